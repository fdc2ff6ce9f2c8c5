// The monitored conversation: read-only while the supervisor only listens
// (whispers shown, marked agents-only), with its actions; once taken over,
// a composer, since the supervisor is then in it.

import { h } from 'preact';
import { useRef, useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import htm from 'htm';
import { sendOnEnter } from '../common/keys.js';
import { isWhisper } from '../common/whisper.js';
import { Actions } from './actions.js';
import { RoutingStory } from './routing.js';
import { customerName } from './conversations.js';
import { outcomeText } from './board.js';

const html = htm.bind(h);

const nameOf = (p) => p.name || p.id;

function time(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The line shown for an event that is not a message; '' hides it.
 * `agentName` names an agent id. */
function eventText(e, agentName) {
  switch (e.type) {
    case 'conversation.assigned':
      return `Assigned to ${agentName(e.agent)}`;
    case 'conversation.closed':
      return `Closed by ${e.by}${e.reason && e.reason !== 'closed' ? ` (${e.reason})` : ''}`;
    case 'transfer.requested':
    case 'conference.requested':
    case 'assign.requested': {
      const what = e.type.split('.')[0];
      const to = e.to_queue ? `queue ${e.to_queue}` : e.to_agent;
      return `${what[0].toUpperCase()}${what.slice(1)} to ${to} asked by ${nameOf(e.from)}${e.topic ? `, reason ${e.topic}` : ''}${e.note ? ` · note: “${e.note}”` : ''}`;
    }
    default:
      return e.text || (e.result ? outcomeText(e) : '');
  }
}

function Message({ event }) {
  const whisper = isWhisper(event);
  const side = event.from.role === 'customer' ? 'theirs' : 'ours';
  return html`
    <li class=${`msg ${side}${whisper ? ' whisper' : ''}`} data-seq=${event.seq} data-visibility=${event.visibility}>
      ${whisper && html`<span class="whisper-tag">Whisper · agents only, the customer does not see it</span>`}
      <span class="who">${nameOf(event.from)}</span>
      <p class="text">${event.text}</p>
      <span class="meta"><time datetime=${new Date(event.ts).toISOString()}>${time(event.ts)}</time></span>
    </li>
  `;
}

function Transcript({ board }) {
  board.version.value;
  const events = board.events();
  const list = useRef(null);
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [events.length]);
  return html`
    <ol class="transcript" ref=${list} role="log" aria-live="polite" aria-label="Monitored conversation">
      ${events.map((e) => {
        if (e.type === 'message') return html`<${Message} key=${e.seq} event=${e} />`;
        const text = eventText(e, (id) => board.agents.value.get(id)?.name || id);
        return text
          ? html`<li key=${e.seq} class="notice" data-seq=${e.seq} data-type=${e.type}>${text}</li>`
          : html`<li key=${e.seq} hidden data-seq=${e.seq}></li>`;
      })}
    </ol>
  `;
}

function Composer({ board, id }) {
  const text = useSignal('');
  const send = async () => {
    const t = text.value.trim();
    if (t && (await board.send(id, t))) text.value = '';
  };
  return html`
    <form class="composer" aria-label="Write to the customer" onSubmit=${(e) => {
      e.preventDefault();
      send();
    }}>
      <label for="board-composer" class="visually-hidden">Message to the customer</label>
      <textarea id="board-composer" rows="2" value=${text.value}
        onInput=${(e) => (text.value = e.currentTarget.value)} onKeyDown=${sendOnEnter}></textarea>
      <button type="submit">Send</button>
    </form>
  `;
}

export function MonitorPanel({ board }) {
  const id = board.monitored.value;
  if (!id)
    return html`<section class="panel monitor empty" aria-label="Monitor">
      <p>Choose “Monitor” on a conversation to listen in, read-only.</p>
    </section>`;
  const summary = board.conversations.value.get(id);
  const inIt = summary?.agents.includes(board.user);
  return html`
    <section class="panel monitor" id="monitor-panel" data-conversation=${id} aria-labelledby="monitor-title">
      <header>
        <h2 id="monitor-title">${summary ? customerName(summary) : id}</h2>
        <span class="badge">${inIt ? 'You are in it' : 'Monitoring, read-only'}</span>
        <button class="link" onClick=${() => board.stopMonitoring()}>Stop monitoring</button>
      </header>
      <${Actions} board=${board} summary=${summary} />
      <${RoutingStory} board=${board} id=${id} key=${`r-${id}`} />
      <${Transcript} board=${board} />
      ${inIt && summary.state !== 'closed' && html`<${Composer} board=${board} id=${id} />`}
    </section>
  `;
}
