// The waiting list of this agent's queues (the pull queues' only way in):
// the longest waiting first, with a pick button. Nothing tells an agent
// that the list changed (docs/consoles.md, "Protocol gaps"), so it is read
// again every few seconds while the desk is connected.

import { h } from 'preact';
import { useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import htm from 'htm';
import { clock } from '../common/clock.js';

const html = htm.bind(h);

const REFRESH_MS = 5000;
// The longest waiting only: every desk reads the list every few seconds,
// and in a backlog the whole of it is hundreds of entries per queue.
const SHOWN = 50;

export function WaitingList({ desk }) {
  const entries = useSignal([]);
  const more = useSignal(false);
  const readAt = useSignal(0);
  const refusal = useSignal('');
  const connected = desk.connection.value === 'open';

  const refresh = async () => {
    const ok = await desk.ask('waitlist.list', { limit: SHOWN });
    if (ok.refused) {
      refusal.value = ok.refused.message;
      return;
    }
    refusal.value = '';
    entries.value = ok.entries;
    more.value = ok.more === true;
    readAt.value = Date.now();
  };

  useEffect(() => {
    if (!connected) return undefined;
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [connected]);

  const pick = async (entry) => {
    await desk.pick(entry);
    refresh();
  };

  const since = desk.now.value - readAt.value;
  const shown = entries.value.length;
  const count = shown ? `${shown}${more.value ? '+' : ''}` : '';
  return html`
    <section class="panel waitlist" aria-labelledby="waitlist-title">
      <h2 id="waitlist-title">
        Waiting list <span class="count">${count}</span>
      </h2>
      <button class="link" onClick=${refresh} disabled=${!connected}>Refresh</button>
      ${refusal.value && html`<p class="problem">${refusal.value}</p>`}
      ${entries.value.length === 0 && html`<p class="empty">Nobody is waiting in your queues.</p>`}
      <ul>
        ${entries.value.map(
          (e) => html`
            <li key=${e.conversation} class="waiting-entry" data-conversation=${e.conversation}>
              <p>
                <strong>${e.customer.name || e.customer.id}</strong> · ${e.queue}
                ${e.topic && ` · ${e.topic}`} · waiting ${clock(e.waited_ms + since)}
              </p>
              ${e.content && html`<p class="offer-content">${e.content}</p>`}
              <button
                onClick=${() => pick(e)}
                disabled=${desk.status.value !== 'ready'}
                aria-label=${`Pick the conversation with ${e.customer.name || e.customer.id}`}
              >
                Pick
              </button>
            </li>
          `,
        )}
      </ul>
      ${desk.status.value !== 'ready' &&
      entries.value.length > 0 &&
      html`<p class="hint">Go Ready to pick.</p>`}
    </section>
  `;
}
