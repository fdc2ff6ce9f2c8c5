// How the monitored conversation was routed, asked for when the supervisor
// opens the section (`conversation.explain`): each step as the server tells
// it, with the agents it weighed.

import { h } from 'preact';
import { useSignal } from '@preact/signals';
import htm from 'htm';

const html = htm.bind(h);

function time(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The eligible agents the queue ranked, best first. */
function Ranked({ why }) {
  if (!why?.ranked?.length) return null;
  return html`<p class="ranked">
    Ranked by ${why.strategy}: ${why.ranked.map((r) => `${r.agent} (${r.load}/${r.capacity})`).join(', ')}
  </p>`;
}

function Step({ step }) {
  return html`
    <li class="step" data-step=${step.step} data-seq=${step.seq}>
      <time datetime=${new Date(step.ts).toISOString()}>${time(step.ts)}</time>
      <p>${step.text}</p>
      <${Ranked} why=${step.why} />
    </li>
  `;
}

export function RoutingStory({ board, id }) {
  const steps = useSignal(null);
  const load = async () => {
    steps.value = await board.explain(id);
  };
  return html`
    <details class="action routing" onToggle=${(e) => e.currentTarget.open && load()}>
      <summary>How it was routed</summary>
      ${steps.value === null
        ? html`<p class="muted">Reading…</p>`
        : html`
            <ol class="steps" aria-label="Routing steps">
              ${steps.value.map((s) => html`<${Step} key=${s.seq} step=${s} />`)}
            </ol>
            <button type="button" class="link" onClick=${load}>Read again</button>
          `}
    </details>
  `;
}
