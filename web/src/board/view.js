// The board's screen: a header with the connection, the queue tiles, the
// agent grid, the conversations and, beside them, the one monitored.
// Before sign-in, or once the server ended the session, the sign-in form.

import { h } from 'preact';
import htm from 'htm';
import { clock } from '../common/clock.js';
import { SignIn as CommonSignIn } from '../common/sign-in.js';
import { ConversationList } from './conversations.js';
import { MonitorPanel } from './monitor.js';

const html = htm.bind(h);

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  waiting: 'Connection lost: reconnecting…',
  stopped: 'Disconnected.',
};

const STATUS_TEXT = { ready: 'Ready', not_ready: 'Not ready', offline: 'Offline' };

/** Offers out: the conversations of the queue being offered now. */
function offersOut(board, queue) {
  let n = 0;
  for (const c of board.conversations.value.values())
    if (c.queue === queue && c.state === 'offered' && !c.stale) n += 1;
  return n;
}

function Tile({ board, row }) {
  const id = `tile-${row.queue}`;
  const figures = [
    ['waiting', 'Waiting', row.waiting],
    ['longest', 'Longest wait', clock(row.longest_wait_ms)],
    // The wait of a conversation arriving now; "–" while the queue cannot
    // tell (docs/routing.md, "Wait estimates").
    ['estimate', 'Wait if new', row.estimated_wait_s === undefined ? '–' : clock(row.estimated_wait_s * 1000)],
    ['available', 'Agents available', row.agents_available],
    ['offers', 'Offers out', offersOut(board, row.queue)],
  ];
  return html`
    <li class="tile" data-queue=${row.queue} aria-labelledby=${id}>
      <h3 id=${id}>${row.name || row.queue}</h3>
      <dl>
        ${figures.map(
          ([key, label, value]) => html`<div class=${`figure ${key}`} key=${key}>
            <dt>${label}</dt>
            <dd data-figure=${key}>${value}</dd>
          </div>`,
        )}
      </dl>
    </li>
  `;
}

function Tiles({ board }) {
  const rows = [...board.queues.value.values()];
  return html`
    <section class="panel tiles" aria-labelledby="tiles-title">
      <h2 id="tiles-title">Queues</h2>
      <ul role="list">
        ${rows.map((row) => html`<${Tile} key=${row.queue} board=${board} row=${row} />`)}
      </ul>
    </section>
  `;
}

function AgentGrid({ board }) {
  const rows = [...board.agents.value.values()];
  return html`
    <section class="panel agents" aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      <table aria-labelledby="agents-title">
        <thead>
          <tr><th scope="col">Agent</th><th scope="col">Status</th><th scope="col">Load</th><th scope="col">Queues</th></tr>
        </thead>
        <tbody>
          ${rows.map(
            (a) => html`<tr key=${a.agent} data-agent=${a.agent}>
              <th scope="row">${a.name || a.agent}</th>
              <td><span class=${`status status-${a.status}`} data-status=${a.status}>${STATUS_TEXT[a.status] || a.status}</span></td>
              <td class="load">
                <meter min="0" max=${a.capacity} value=${a.load} aria-hidden="true"></meter>
                <span>${a.load} of ${a.capacity}</span>
              </td>
              <td>${a.queues.join(', ')}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>
  `;
}

function Notices({ board }) {
  return html`
    <section class="panel notices" aria-labelledby="notices-title">
      <h2 id="notices-title">Notices</h2>
      <ul role="log" aria-live="polite">
        ${board.notices.value.map(
          (n) => html`<li key=${n.key}>
            ${n.text}
            <button class="link" aria-label="Dismiss this notice" onClick=${() => board.dropNotice(n.key)}>×</button>
          </li>`,
        )}
      </ul>
    </section>
  `;
}

export function Board({ board, onSignIn, onSignOut }) {
  const state = board.connection.value;
  if (board.signedOut.value)
    return html`<${SignIn} why=${board.signedOut.value} onSignIn=${onSignIn} />`;
  return html`
    <div class="board" data-connection=${state}>
      <header class="board-head">
        <h1>Board · <span class="me">${board.user}</span></h1>
        <button class="link sign-out" onClick=${onSignOut}>Sign out</button>
      </header>
      ${state !== 'open' && html`<p class="banner" role="alert">${CONNECTION_TEXT[state]}</p>`}
      ${board.problem.value && html`<p class="problem" role="alert">${board.problem.value}</p>`}
      <main class="board-body">
        <div class="overview">
          <${Tiles} board=${board} />
          <${AgentGrid} board=${board} />
          <${ConversationList} board=${board} />
          <${Notices} board=${board} />
        </div>
        <${MonitorPanel} board=${board} />
      </main>
    </div>
  `;
}

/** The sign-in form, for a supervisor. */
export function SignIn(props) {
  return h(CommonSignIn, { ...props, title: 'Supervisor board', role: 'supervisor', user: 'erin' });
}
