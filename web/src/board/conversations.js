// The conversations the board has been told about, open ones first: the
// customer, the queue and topic, the state, who has it, and how long ago it
// started; "Monitor" opens it in the monitor panel with its actions.

import { h } from 'preact';
import htm from 'htm';
import { clock } from '../common/clock.js';

const html = htm.bind(h);

const STATE_TEXT = {
  bot: 'With a bot',
  queued: 'Waiting',
  offered: 'Offered',
  assigned: 'Assigned',
  closed: 'Closed',
};

export const customerName = (c) => c.customer?.name || c.customer?.id || 'Customer';

const agentName = (board, id) =>
  id ? board.agents.value.get(id)?.name || id : '–';

/** Open first, then the oldest first: the longest wait leads. */
function ordered(conversations) {
  return [...conversations.values()].sort(
    (a, b) => (a.state === 'closed') - (b.state === 'closed') || a.created_at - b.created_at,
  );
}

export function ConversationList({ board }) {
  const rows = ordered(board.conversations.value);
  const now = board.now.value;
  const monitored = board.monitored.value;
  return html`
    <section class="panel conversations" aria-labelledby="conversations-title">
      <h2 id="conversations-title">Conversations</h2>
      ${rows.length === 0 &&
      html`<p class="empty">None since the board opened: conversations show as they change.</p>`}
      ${rows.length > 0 &&
      html`<table aria-labelledby="conversations-title">
        <thead>
          <tr>
            <th scope="col">Customer</th><th scope="col">Queue</th><th scope="col">State</th>
            <th scope="col">Agent</th><th scope="col">Started</th><th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (c) => html`<tr key=${c.conversation} data-conversation=${c.conversation} data-state=${c.state}
                data-stale=${c.stale ? 'true' : null}
                title=${c.stale ? `Not heard of since the connection dropped: as of ${new Date(c.stale).toLocaleTimeString()}` : null}
                class=${[c.conversation === monitored ? 'on' : '', c.stale ? 'stale' : ''].join(' ').trim()}>
              <th scope="row">${customerName(c)}</th>
              <td>${c.queue || '–'}${c.topic ? ` · ${c.topic}` : ''}</td>
              <td class="state">${STATE_TEXT[c.state] || c.state}</td>
              <td class="assignee" data-agent=${c.assignee || ''}>${agentName(board, c.assignee)}${c.agents.length > 1 ? ` (+${c.agents.length - 1})` : ''}</td>
              <td>${clock(now - c.created_at)} ago</td>
              <td>
                <button class="secondary monitor" aria-label=${`Monitor ${customerName(c)}'s conversation`}
                  aria-pressed=${c.conversation === monitored ? 'true' : 'false'}
                  onClick=${() => board.monitor(c.conversation)}>Monitor</button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>`}
    </section>
  `;
}
