// The widget's screen: a start form, then the chat. Every control is a
// labelled form element or button, the transcript is a live region, and
// the layout is one column that fits 360 px.

import { h } from 'preact';
import { useRef, useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import htm from 'htm';
import { sendOnEnter } from '../common/keys.js';

const html = htm.bind(h);

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  waiting: 'Connection lost: reconnecting…',
  stopped: 'Disconnected.',
};

function time(ts) {
  return new Date(ts).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
}

function Choice({ id, label, choices, value }) {
  if (choices.length === 0) return null;
  return html`
    <label for=${id}>${label}</label>
    <select
      id=${id}
      value=${value.value}
      onChange=${(e) => (value.value = e.currentTarget.value)}
    >
      ${choices.map((c) => html`<option value=${c.id}>${c.label}</option>`)}
    </select>
  `;
}

function StartForm({ chat }) {
  const { settings } = chat;
  const name = useSignal('');
  const text = useSignal('');
  const queue = useSignal(settings.queue || settings.queues[0]?.id || '');
  const topic = useSignal(settings.topic || settings.topics[0]?.id || '');
  const busy = useSignal(false);
  const submit = async (e) => {
    e.preventDefault();
    if (!text.value.trim() || busy.value) return;
    busy.value = true;
    const started = await chat.start({
      name: name.value.trim(),
      text: text.value.trim(),
      queue: queue.value,
      topic: topic.value,
    });
    busy.value = false;
    if (started) text.value = '';
  };
  return html`
    <form class="start" onSubmit=${submit} aria-label="Start a chat">
      <label for="start-name">Your name (optional)</label>
      <input
        id="start-name"
        autocomplete="name"
        maxlength="100"
        value=${name.value}
        onInput=${(e) => (name.value = e.currentTarget.value)}
      />
      <${Choice}
        id="start-queue"
        label="Who would you like to talk to?"
        choices=${settings.queues}
        value=${queue}
      />
      <${Choice}
        id="start-topic"
        label="What is it about?"
        choices=${settings.topics}
        value=${topic}
      />
      <label for="start-text">How can we help?</label>
      <textarea
        id="start-text"
        rows="3"
        required
        value=${text.value}
        onInput=${(e) => (text.value = e.currentTarget.value)}
        onKeyDown=${sendOnEnter}
      ></textarea>
      <button type="submit" disabled=${busy.value || chat.connection.value !== 'open'}>
        Start chat
      </button>
    </form>
  `;
}

function Message({ event, mine }) {
  return html`
    <li class=${mine ? 'msg mine' : 'msg'} data-seq=${event.seq}>
      <span class="who">${mine ? 'You' : event.from.name}</span>
      <p class="text">${event.text}</p>
      <span class="meta">
        <time datetime=${new Date(event.ts).toISOString()}>${time(event.ts)}</time>
        ${mine && html` · <span class="state" data-state="sent">Sent</span>`}
      </span>
    </li>
  `;
}

function Pending({ message, chat }) {
  const failed = message.state === 'failed';
  return html`
    <li class="msg mine pending" data-client-msg-id=${message.clientMsgId}>
      <span class="who">You</span>
      <p class="text">${message.text}</p>
      <span class="meta">
        <span class="state" data-state=${message.state}>
          ${failed ? `Not sent: ${message.why}` : 'Sending…'}
        </span>
        ${failed &&
        html` <button class="link" onClick=${() => chat.retry(message.clientMsgId)}>
          Retry
        </button>`}
      </span>
    </li>
  `;
}

/** The lines a customer reads between messages: joins, queue, notices. */
function Notice({ event, chat }) {
  if (event.type === 'conversation.closed')
    return html`<li class="notice" data-seq=${event.seq}>This chat has ended.</li>`;
  // The open transfer question is shown once: with its buttons, below.
  if (!event.text || chat.consent.value?.seq === event.seq) return null;
  return html`
    <li class="notice" data-seq=${event.seq} data-type=${event.type}>
      ${event.text}
      ${event.type === 'agent.absent' &&
      html` <button class="link" onClick=${chat.askSomeoneElse}>
        Ask someone else
      </button>`}
    </li>
  `;
}

function Consent({ chat }) {
  const question = chat.consent.value;
  if (!question) return null;
  const busy = chat.answering.value === question.transfer;
  return html`
    <div class="consent" role="group" aria-labelledby="consent-text">
      <p id="consent-text">${question.text}</p>
      <button disabled=${busy} onClick=${() => chat.answerConsent(question.transfer, true)}>
        Yes
      </button>
      <button
        class="secondary"
        disabled=${busy}
        onClick=${() => chat.answerConsent(question.transfer, false)}
      >
        No
      </button>
    </div>
  `;
}

function Composer({ chat }) {
  const text = useSignal('');
  const input = useRef(null);
  useEffect(() => input.current?.focus(), []);
  const send = () => {
    const t = text.value.trim();
    if (!t) return;
    chat.send(t);
    text.value = '';
  };
  return html`
    <form
      class="composer"
      onSubmit=${(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label for="composer-text" class="visually-hidden">Your message</label>
      <textarea
        id="composer-text"
        ref=${input}
        rows="2"
        placeholder="Type a message"
        value=${text.value}
        onInput=${(e) => {
          text.value = e.currentTarget.value;
          chat.typed();
        }}
        onKeyDown=${sendOnEnter}
      ></textarea>
      <button type="submit">Send</button>
    </form>
  `;
}

function Transcript({ chat }) {
  const list = useRef(null);
  const events = chat.events.value;
  const outbox = chat.outbox.value;
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [events.length, outbox.length]);
  return html`
    <ol class="transcript" ref=${list} role="log" aria-live="polite" aria-label="Conversation">
      ${events.map((e) =>
        e.type === 'message'
          ? html`<${Message} key=${e.seq} event=${e} mine=${e.from.role === 'customer'} />`
          : html`<${Notice} key=${e.seq} event=${e} chat=${chat} />`,
      )}
      ${outbox.map(
        (m) => html`<${Pending} key=${m.clientMsgId} message=${m} chat=${chat} />`,
      )}
    </ol>
  `;
}

/** "You are number 2 in line, about 3 min": where the queue says the
 * conversation stands (conversation.position), while it waits. */
function placeText(place) {
  if (!place) return '';
  const line = place.position === 1 ? 'You are next in line' : `You are number ${place.position} in line`;
  const s = place.estimated_wait_s;
  if (s === undefined) return `${line}.`;
  const about = s < 60 ? 'less than a minute' : `about ${Math.round(s / 60)} min`;
  return `${line}, ${about}.`;
}

function Status({ chat }) {
  const phase = chat.phase.value;
  const text =
    phase.state === 'waiting'
      ? ['Waiting for an agent…', placeText(chat.place.value)].filter(Boolean).join(' ')
      : phase.state === 'chatting'
        ? `Chatting with ${phase.with}`
        : phase.state === 'closed'
          ? 'Chat ended'
          : '';
  return html`<p class="status" role="status">${text}</p>`;
}

function Chat({ chat }) {
  const closed = chat.closed.value;
  return html`
    <${Status} chat=${chat} />
    <${Transcript} chat=${chat} />
    <p class="typing" aria-live="polite">
      ${chat.typing.value && `${chat.typing.value} is typing…`}
    </p>
    <${Consent} chat=${chat} />
    ${closed
      ? html`<div class="actions">
          <button onClick=${chat.startAgain}>Start a new chat</button>
          <button class="secondary" onClick=${chat.reopen}>Reopen this chat</button>
        </div>`
      : html`<${Composer} chat=${chat} />
          <div class="actions">
            <button class="link" onClick=${chat.end}>End chat</button>
          </div>`}
  `;
}

export function Widget({ chat }) {
  const state = chat.connection.value;
  return html`
    <main class="widget">
      <header>
        <h1>${chat.settings.title}</h1>
      </header>
      ${state !== 'open' &&
      html`<p class="banner" role="alert">${CONNECTION_TEXT[state]}</p>`}
      ${chat.problem.value &&
      html`<p class="problem" role="alert">${chat.problem.value}</p>`}
      ${chat.conversation.value
        ? html`<${Chat} chat=${chat} />`
        : html`<${StartForm} chat=${chat} />`}
    </main>
  `;
}
