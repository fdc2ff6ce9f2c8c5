// One conversation at the desk: who is in it, what a transfer brought
// along, the transcript (whispers marked as seen by agents only), the
// composer, and what the agent may do with it.

import { h } from 'preact';
import { useRef, useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import htm from 'htm';
import { sendOnEnter } from '../common/keys.js';
import { isWhisper } from '../common/whisper.js';
import { agentsIn, handoverUnderWay } from './conversation.js';
import { HandOver } from './handover.js';

const html = htm.bind(h);

function time(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

const nameOf = (p) => p.name || p.id;

/** The line a desk shows for an event that is not a message. */
function noticeText(e) {
  switch (e.type) {
    case 'conversation.assigned':
      return e.by ? `Back to ${e.agent}` : '';
    case 'conversation.closed':
      return `Closed by ${e.by}${e.reason && e.reason !== 'closed' ? ` (${e.reason})` : ''}`;
    case 'transfer.requested':
    case 'conference.requested': {
      const what = e.type === 'transfer.requested' ? `${e.mode} transfer` : 'Conference';
      const to = e.to_queue ? `queue ${e.to_queue}` : e.to_agent;
      const reason = e.topic ? `, reason ${e.topic}` : '';
      const note = e.note ? ` · note: “${e.note}”` : '';
      return `${what[0].toUpperCase()}${what.slice(1)} to ${to} asked by ${nameOf(e.from)}${reason}${note}`;
    }
    case 'transfer.consent_request':
      return `The customer was asked: “${e.text}”`;
    default:
      if (e.result) return e.text || `${e.type.split('.')[0]} ${e.result}${e.reason ? ` (${e.reason})` : ''}`;
      return e.text || '';
  }
}

function Message({ event, me }) {
  const whisper = isWhisper(event);
  const mine = event.from.id === me;
  const side = event.from.role === 'customer' ? 'theirs' : 'ours';
  return html`
    <li
      class=${`msg ${side}${mine ? ' mine' : ''}${whisper ? ' whisper' : ''}`}
      data-seq=${event.seq}
      data-visibility=${event.visibility}
    >
      ${whisper && html`<span class="whisper-tag">Whisper · agents only, the customer does not see it</span>`}
      <span class="who">${mine ? 'You' : nameOf(event.from)}</span>
      <p class="text">${event.text}</p>
      <span class="meta"><time datetime=${new Date(event.ts).toISOString()}>${time(event.ts)}</time></span>
    </li>
  `;
}

function Pending({ desk, id, message }) {
  const failed = message.state === 'failed';
  return html`
    <li
      class=${`msg ours mine pending${message.whisper ? ' whisper' : ''}`}
      data-client-msg-id=${message.clientMsgId}
    >
      ${message.whisper && html`<span class="whisper-tag">Whisper · agents only</span>`}
      <span class="who">You</span>
      <p class="text">${message.text}</p>
      <span class="meta">
        <span class="state" data-state=${message.state}>
          ${failed ? `Not sent: ${message.why}` : 'Sending…'}
        </span>
        ${failed &&
        html` <button class="link" onClick=${() => desk.retry(id, message.clientMsgId)}>Retry</button>`}
      </span>
    </li>
  `;
}

function Transcript({ desk, c }) {
  desk.version.value; // signals skip a render whose props did not change
  const list = useRef(null);
  const events = c.events;
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [events.length, c.pending.length]);
  return html`
    <ol class="transcript" ref=${list} role="log" aria-live="polite" aria-label="Conversation">
      ${events.map((e) => {
        if (e.type === 'message') return html`<${Message} key=${e.seq} event=${e} me=${desk.user} />`;
        const text = noticeText(e);
        return text
          ? html`<li key=${e.seq} class="notice" data-seq=${e.seq} data-type=${e.type}>${text}</li>`
          : html`<li key=${e.seq} hidden data-seq=${e.seq}></li>`;
      })}
      ${c.pending.map(
        (m) => html`<${Pending} key=${m.clientMsgId} desk=${desk} id=${c.id} message=${m} />`,
      )}
    </ol>
  `;
}

function Composer({ desk, id }) {
  const text = useSignal('');
  const whisper = useSignal(false);
  const input = useRef(null);
  // Ready to type in a conversation just opened, unless the agent is
  // moving through the tabs with the keyboard.
  useEffect(() => {
    if (!document.activeElement?.matches('[role=tab]')) input.current?.focus();
  }, [id]);
  const submit = (e) => {
    e.preventDefault();
    const t = text.value.trim();
    if (!t) return;
    desk.send(id, t, { whisper: whisper.value });
    text.value = '';
  };
  return html`
    <form class=${`composer${whisper.value ? ' whispering' : ''}`} onSubmit=${submit}>
      <label for="composer-text" class="visually-hidden">
        ${whisper.value ? 'Whisper to the agents' : 'Message to the customer'}
      </label>
      <textarea
        id="composer-text"
        ref=${input}
        rows="2"
        placeholder=${whisper.value ? 'Whisper to the agents only' : 'Type a message'}
        value=${text.value}
        onInput=${(e) => {
          text.value = e.currentTarget.value;
          if (!whisper.value) desk.typed(id);
        }}
        onKeyDown=${sendOnEnter}
      ></textarea>
      <div class="composer-side">
        <label class="whisper-toggle">
          <input
            type="checkbox"
            id="composer-whisper"
            checked=${whisper.value}
            onChange=${(e) => (whisper.value = e.currentTarget.checked)}
          />
          Whisper (agents only)
        </label>
        <button type="submit">${whisper.value ? 'Whisper' : 'Send'}</button>
      </div>
    </form>
  `;
}

/** Close with an optional wrap-up code, asked in place. */
function CloseButton({ desk, id }) {
  const asking = useSignal(false);
  const wrapUp = useSignal('');
  if (!asking.value)
    return html`<button class="secondary close-open" onClick=${() => (asking.value = true)}>Close…</button>`;
  const submit = async (e) => {
    e.preventDefault();
    if (await desk.close(id, wrapUp.value.trim())) asking.value = false;
  };
  return html`
    <form class="close-form" onSubmit=${submit} aria-label="Close the conversation">
      <label for="wrap-up">Wrap-up code (optional)</label>
      <input
        id="wrap-up"
        pattern="[A-Za-z0-9_.:@\\-]{1,64}"
        value=${wrapUp.value}
        onInput=${(e) => (wrapUp.value = e.currentTarget.value)}
      />
      <button type="submit" class="close-confirm">Close conversation</button>
      <button type="button" class="secondary" onClick=${() => (asking.value = false)}>Cancel</button>
    </form>
  `;
}

/** What the offer this conversation was taken from said: a transfer's
 * hand-over (who, when, note, recent history). */
function Brought({ c }) {
  const o = c.offer;
  if (!o || !(o.from_agent || o.kind === 'transfer')) return null;
  return html`
    <details class="brought" open>
      <summary>${o.kind === 'conference' ? 'Conference' : 'Transfer'} from ${o.from_agent || 'the queue'}</summary>
      ${o.note && html`<p><strong>Note:</strong> ${o.note}</p>`}
      ${o.content && html`<p class="offer-content">${o.content}</p>`}
    </details>
  `;
}

export function ChatPanel({ desk, id }) {
  desk.version.value;
  const c = desk.conversation(id);
  const openForm = useSignal(''); // '' | 'transfer' | 'conference'
  if (!c) return null;
  const events = c.events;
  const ended = desk.endedFor(id);
  const agents = agentsIn(events);
  const under = handoverUnderWay(events);
  const { queue, topic, channel } = c.about;
  return html`
    <div
      class="chat"
      id="conversation-panel"
      role="tabpanel"
      aria-labelledby=${`tab-${id}`}
      data-conversation=${id}
    >
      <header class="chat-head">
        <h2>${desk.customerName(id)}</h2>
        <p class="chat-where">
          ${[queue && `queue ${queue}`, topic && `topic ${topic}`, channel].filter(Boolean).join(' · ')}
          ${agents.length > 0 && ` · with ${agents.map(nameOf).join(', ')}`}
        </p>
        ${under &&
        html`<p class="handover-state" role="status">
          ${under.type === 'transfer.requested' ? 'Transfer' : 'Conference'} to
          ${under.to_queue ? ` queue ${under.to_queue}` : ` ${under.to_agent}`} under way
          ${under.asked ? ': waiting for the customer to agree' : ''}
        </p>`}
      </header>
      <${Brought} c=${c} />
      <${Transcript} desk=${desk} c=${c} />
      <p class="typing" aria-live="polite">${c.typing && `${c.typing} is typing…`}</p>
      ${ended
        ? html`<div class="chat-actions ended">
            <p role="status">
              ${ended === 'closed' ? 'This conversation is closed.' : ended === 'transferred' ? 'You transferred this conversation.' : 'You are no longer in this conversation.'}
            </p>
            <button onClick=${() => desk.dismiss(id)}>Remove from the desk</button>
          </div>`
        : c.gone
          ? html`<div class="chat-actions ended">
              <p role="status">This conversation is no longer yours.</p>
              <button onClick=${() => desk.dismiss(id)}>Remove from the desk</button>
            </div>`
          : html`
              <${Composer} desk=${desk} id=${id} />
              <div class="chat-actions" role="group" aria-label="Conversation actions">
                <button
                  class="secondary transfer-open"
                  aria-expanded=${openForm.value === 'transfer' ? 'true' : 'false'}
                  onClick=${() => (openForm.value = openForm.value === 'transfer' ? '' : 'transfer')}
                >
                  Transfer…
                </button>
                <button
                  class="secondary conference-open"
                  aria-expanded=${openForm.value === 'conference' ? 'true' : 'false'}
                  onClick=${() => (openForm.value = openForm.value === 'conference' ? '' : 'conference')}
                >
                  Conference…
                </button>
                ${agents.length > 1 &&
                html`<button class="secondary leave" onClick=${() => desk.leave(id)}>Leave</button>`}
                <${CloseButton} desk=${desk} id=${id} />
              </div>
              ${openForm.value &&
              html`<${HandOver}
                key=${openForm.value}
                desk=${desk}
                id=${id}
                kind=${openForm.value}
                onDone=${() => (openForm.value = '')}
              />`}
            `}
    </div>
  `;
}
