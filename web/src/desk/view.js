// The desk's screen: a header with the agent's status and the connection,
// a side column (offers, waiting list, notices) and the conversations in
// tabs. Before sign-in, or once the server ended the session, the sign-in
// form (common/sign-in.js).

import { h } from 'preact';
import { useEffect } from 'preact/hooks';
import htm from 'htm';
import { Offers } from './offers.js';
import { WaitingList } from './waitlist.js';
import { Conversations } from './tabs.js';
import { SignIn as CommonSignIn } from '../common/sign-in.js';

const html = htm.bind(h);

const CONNECTION_TEXT = {
  connecting: 'Connecting…',
  waiting: 'Connection lost: reconnecting…',
  stopped: 'Disconnected.',
};

const STATUSES = [
  ['ready', 'Ready'],
  ['not_ready', 'Not ready'],
  ['offline', 'Offline'],
];

function StatusPicker({ desk }) {
  const status = desk.status.value;
  return html`
    <div class="status-picker" role="radiogroup" aria-label="Your status">
      ${STATUSES.map(
        ([value, label]) => html`
          <button
            role="radio"
            aria-checked=${status === value ? 'true' : 'false'}
            class=${`status-${value}${status === value ? ' on' : ''}`}
            data-status=${value}
            onClick=${() => desk.setStatus(value)}
            disabled=${desk.connection.value !== 'open'}
          >
            ${label}
          </button>
        `,
      )}
      ${desk.statusReason.value === 'missed_offers' &&
      html`<span class="hint" role="status">Set to not ready: offers were missed.</span>`}
    </div>
  `;
}

function Notices({ desk }) {
  const notices = desk.notices.value;
  return html`
    <section class="panel notices" aria-labelledby="notices-title">
      <h2 id="notices-title">Notices</h2>
      <ul role="log" aria-live="polite">
        ${notices.map(
          (n) => html`<li key=${n.key}>
            ${n.text}
            <button class="link" aria-label="Dismiss this notice" onClick=${() => desk.dropNotice(n.key)}>×</button>
          </li>`,
        )}
      </ul>
    </section>
  `;
}

/** The window's title counts what waits: offers and unread messages. */
function useTitle(desk) {
  desk.version.value;
  let unread = 0;
  for (const id of desk.tabs.value) unread += desk.conversation(id)?.unread || 0;
  const waiting = desk.offers.value.length + unread;
  useEffect(() => {
    document.title = `${waiting > 0 ? `(${waiting}) ` : ''}Desk · ${desk.myName.value}`;
  }, [waiting, desk.myName.value]);
}

export function Desk({ desk, onSignIn, onSignOut }) {
  useTitle(desk);
  const state = desk.connection.value;
  if (desk.signedOut.value)
    return html`<${SignIn} why=${desk.signedOut.value} onSignIn=${onSignIn} />`;
  return html`
    <div class="desk">
      <header class="desk-head">
        <h1>Desk · <span class="me">${desk.myName.value}</span></h1>
        <${StatusPicker} desk=${desk} />
        <button class="link sign-out" onClick=${onSignOut}>Sign out</button>
      </header>
      ${state !== 'open' && html`<p class="banner" role="alert">${CONNECTION_TEXT[state]}</p>`}
      ${desk.problem.value && html`<p class="problem" role="alert">${desk.problem.value}</p>`}
      <main class="desk-body">
        <aside class="side" aria-label="Offers, waiting list and notices">
          <${Offers} desk=${desk} />
          <${WaitingList} desk=${desk} />
          <${Notices} desk=${desk} />
        </aside>
        <${Conversations} desk=${desk} />
      </main>
    </div>
  `;
}

/** The sign-in form, for an agent. */
export function SignIn(props) {
  return h(CommonSignIn, { ...props, title: 'Agent desk', role: 'agent', user: 'alice' });
}
