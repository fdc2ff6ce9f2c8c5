// The form that hands a conversation on: a transfer (to a queue or an
// agent, with a reason, a note, cold or warm) or a conference. The queues
// and how many of their agents are available come from queue.list; the
// agents themselves from agent.list, which only agents allowed to
// supervise may read (docs/consoles.md, "Protocol gaps"). Topics have no
// list in the protocol: the desk offers those it has met and takes any id.

import { h } from 'preact';
import { useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import htm from 'htm';
import { everyAgent } from '../common/roster.js';

const html = htm.bind(h);

function QueueOptions({ queues }) {
  return queues.map(
    (q) =>
      html`<option value=${q.queue}>
        ${q.name} (${q.agents_available} available, ${q.waiting} waiting)
      </option>`,
  );
}

/** The agents of the chosen queue, where the protocol lets this agent see them. */
function AgentsOfQueue({ agents }) {
  if (agents === null) return null;
  if (agents.refused)
    return html`<p class="hint">Which agents are available is shown to supervisors only; the
      count is beside each queue.</p>`;
  return html`
    <ul class="queue-agents" aria-label="Agents of this queue">
      ${agents.map(
        (a) => html`<li data-status=${a.status}>
          ${a.name}: ${a.status.replace('_', ' ')}, ${a.load}/${a.capacity}
        </li>`,
      )}
    </ul>
  `;
}

export function HandOver({ desk, id, kind, onDone }) {
  const queues = useSignal([]);
  const target = useSignal('queue'); // queue | agent
  const queue = useSignal('');
  const agent = useSignal('');
  const agents = useSignal(null); // the chosen queue's rows, {refused}, or null
  const topic = useSignal('');
  const note = useSignal('');
  const mode = useSignal('cold');
  const busy = useSignal(false);
  const isTransfer = kind === 'transfer';
  const prefix = `${kind}-`;

  useEffect(() => {
    desk.ask('queue.list').then((ok) => {
      if (ok.refused) return;
      queues.value = ok.queues;
      if (!queue.peek() && ok.queues.length > 0) queue.value = ok.queues[0].queue;
    });
  }, []);

  useEffect(() => {
    if (!queue.value) return;
    const ask = (type, fields) =>
      desk.ask(type, fields).then((ok) => (ok.refused ? Promise.reject(ok) : ok));
    everyAgent(ask, { queue: queue.value }).then(
      (roster) => (agents.value = roster.rows),
      () => (agents.value = { refused: true }),
    );
  }, [queue.value]);

  const submit = async (e) => {
    e.preventDefault();
    busy.value = true;
    const ok = await desk.handOver(id, {
      kind,
      toQueue: target.value === 'queue' ? queue.value : '',
      toAgent: target.value === 'agent' ? agent.value.trim() : '',
      topic: topic.value.trim(),
      note: note.value.trim(),
      mode: mode.value,
    });
    busy.value = false;
    if (ok) onDone();
  };

  const knownAgents = Array.isArray(agents.value) ? agents.value : [];
  return html`
    <form class="handover" data-kind=${kind} onSubmit=${submit} aria-label=${isTransfer ? 'Transfer' : 'Conference'}>
      <fieldset>
        <legend>${isTransfer ? 'Transfer to' : 'Bring in'}</legend>
        <label>
          <input
            type="radio"
            name=${`${prefix}target`}
            value="queue"
            checked=${target.value === 'queue'}
            onChange=${() => (target.value = 'queue')}
          />
          A queue
        </label>
        <label>
          <input
            type="radio"
            name=${`${prefix}target`}
            value="agent"
            checked=${target.value === 'agent'}
            onChange=${() => (target.value = 'agent')}
          />
          An agent
        </label>
      </fieldset>
      <label for=${`${prefix}queue`}>Queue</label>
      <select
        id=${`${prefix}queue`}
        value=${queue.value}
        onChange=${(e) => (queue.value = e.currentTarget.value)}
      >
        <${QueueOptions} queues=${queues.value} />
      </select>
      <${AgentsOfQueue} agents=${agents.value} />
      ${target.value === 'agent' &&
      html`
        <label for=${`${prefix}agent`}>Agent (id)</label>
        <input
          id=${`${prefix}agent`}
          required
          list=${`${prefix}agents`}
          value=${agent.value}
          onInput=${(e) => (agent.value = e.currentTarget.value)}
        />
        <datalist id=${`${prefix}agents`}>
          ${knownAgents.map((a) => html`<option value=${a.agent}>${a.name}</option>`)}
        </datalist>
      `}
      ${isTransfer &&
      html`
        <label for=${`${prefix}topic`}>Reason (topic)</label>
        <input
          id=${`${prefix}topic`}
          list=${`${prefix}topics`}
          value=${topic.value}
          onInput=${(e) => (topic.value = e.currentTarget.value)}
        />
        <datalist id=${`${prefix}topics`}>
          ${desk.topicsSeen().map((t) => html`<option value=${t}></option>`)}
        </datalist>
        <fieldset>
          <legend>How</legend>
          <label>
            <input
              type="radio"
              name=${`${prefix}mode`}
              value="cold"
              checked=${mode.value === 'cold'}
              onChange=${() => (mode.value = 'cold')}
            />
            Cold: leave once the customer agrees
          </label>
          <label>
            <input
              type="radio"
              name=${`${prefix}mode`}
              value="warm"
              checked=${mode.value === 'warm'}
              onChange=${() => (mode.value = 'warm')}
            />
            Warm: stay until the next agent joins
          </label>
        </fieldset>
      `}
      <label for=${`${prefix}note`}>Note for the next agent (optional)</label>
      <textarea
        id=${`${prefix}note`}
        rows="2"
        maxlength="4096"
        value=${note.value}
        onInput=${(e) => (note.value = e.currentTarget.value)}
      ></textarea>
      <div class="form-actions">
        <button type="submit" disabled=${busy.value}>
          ${isTransfer ? 'Request transfer' : 'Request conference'}
        </button>
        <button type="button" class="secondary" onClick=${onDone}>Cancel</button>
      </div>
    </form>
  `;
}
