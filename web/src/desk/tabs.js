// The conversations at the desk as tabs (WAI-ARIA tabs: arrow keys move
// between them, Home and End jump), each with its customer, its unread
// count and how long the customer has waited for an answer.

import { h } from 'preact';
import htm from 'htm';
import { clock } from '../common/clock.js';
import { waitingSince } from './conversation.js';
import { ChatPanel } from './chat.js';

const html = htm.bind(h);

const ENDED_TEXT = { closed: 'closed', transferred: 'transferred', left: 'left' };

function Tab({ desk, id, selected }) {
  desk.version.value; // signals skip a render whose props did not change
  const c = desk.conversation(id);
  const ended = desk.endedFor(id);
  const since = ended ? 0 : waitingSince(c.events);
  const name = desk.customerName(id);
  const extra = [
    c.unread > 0 ? `${c.unread} unread` : '',
    since ? `waiting ${clock(desk.now.value - since)}` : '',
    ended ? ENDED_TEXT[ended] : '',
  ].filter(Boolean);
  return html`
    <button
      role="tab"
      id=${`tab-${id}`}
      class=${`tab${ended ? ' ended' : ''}`}
      data-conversation=${id}
      aria-selected=${selected ? 'true' : 'false'}
      aria-controls="conversation-panel"
      aria-label=${[name, ...extra].join(', ')}
      tabindex=${selected ? 0 : -1}
      onClick=${() => desk.select(id)}
    >
      <span class="tab-name">${name}</span>
      ${c.unread > 0 && html`<span class="unread" aria-hidden="true">${c.unread}</span>`}
      ${since > 0 &&
      html`<span class="waiting" aria-hidden="true">${clock(desk.now.value - since)}</span>`}
      ${ended && html`<span class="ended-mark" aria-hidden="true">${ENDED_TEXT[ended]}</span>`}
    </button>
  `;
}

function moveWithKeys(desk, e) {
  const tabs = desk.tabs.value;
  const at = tabs.indexOf(desk.active.value);
  const to = {
    ArrowRight: at + 1,
    ArrowDown: at + 1,
    ArrowLeft: at - 1,
    ArrowUp: at - 1,
    Home: 0,
    End: tabs.length - 1,
  }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  const id = tabs[(to + tabs.length) % tabs.length];
  desk.select(id);
  document.getElementById(`tab-${id}`)?.focus();
}

export function Conversations({ desk }) {
  desk.version.value; // re-render when a conversation changes
  const tabs = desk.tabs.value;
  const active = desk.active.value;
  if (tabs.length === 0)
    return html`<section class="conversations empty-desk" aria-label="Conversations">
      <p>No conversation yet. Go <strong>Ready</strong> to get offers, or pick one from the waiting list.</p>
    </section>`;
  return html`
    <section class="conversations" aria-label="Conversations">
      <div
        class="tabs"
        role="tablist"
        aria-label="Your conversations"
        onKeyDown=${(e) => moveWithKeys(desk, e)}
      >
        ${tabs.map((id) => html`<${Tab} key=${id} desk=${desk} id=${id} selected=${id === active} />`)}
      </div>
      ${active && html`<${ChatPanel} key=${active} desk=${desk} id=${active} />`}
    </section>
  `;
}
