// What a supervisor may do with the monitored conversation: assign a
// waiting one to an agent, unassign an assigned one to a queue or an agent
// with a reason (a topic), and take it over, with a first message or not.
// The server decides what is permitted; a refusal shows as a problem.

import { h } from 'preact';
import { useSignal } from '@preact/signals';
import htm from 'htm';

const html = htm.bind(h);

function AssignForm({ board, summary }) {
  const agent = useSignal('');
  const agents = [...board.agents.value.values()].filter(
    (a) => !summary.queue || a.queues.includes(summary.queue),
  );
  const submit = async (e) => {
    e.preventDefault();
    if (agent.value) await board.assign(summary.conversation, agent.value);
  };
  return html`
    <details class="action assign">
    <summary>Assign…</summary>
    <form onSubmit=${submit} aria-label="Assign to an agent">
      <label for="assign-agent">Assign to</label>
      <select id="assign-agent" value=${agent.value} onChange=${(e) => (agent.value = e.currentTarget.value)}>
        <option value="">Choose an agent…</option>
        ${agents.map(
          (a) => html`<option key=${a.agent} value=${a.agent}>
            ${a.name || a.agent} · ${a.status.replace('_', ' ')} · ${a.load} of ${a.capacity}
          </option>`,
        )}
      </select>
      <button type="submit" disabled=${!agent.value}>Assign</button>
    </form>
    </details>
  `;
}

function UnassignForm({ board, summary }) {
  const target = useSignal('');
  const topic = useSignal(summary.topic || '');
  const note = useSignal('');
  const queues = [...board.queues.value.values()];
  const agents = [...board.agents.value.values()].filter((a) => a.agent !== summary.assignee);
  const submit = async (e) => {
    e.preventDefault();
    // Ids may hold ':' themselves: only the first one is the separator.
    const colon = target.value.indexOf(':');
    const kind = target.value.slice(0, colon);
    const id = target.value.slice(colon + 1);
    const ok = await board.unassign(summary.conversation, {
      toQueue: kind === 'queue' ? id : '',
      toAgent: kind === 'agent' ? id : '',
      topic: topic.value.trim(),
      note: note.value.trim(),
    });
    if (ok) note.value = '';
  };
  return html`
    <details class="action unassign">
    <summary>Unassign…</summary>
    <form onSubmit=${submit} aria-label="Unassign">
      <label for="unassign-target">Unassign to</label>
      <select id="unassign-target" value=${target.value} onChange=${(e) => (target.value = e.currentTarget.value)}>
        <option value="">Choose a queue or an agent…</option>
        <optgroup label="Queues">
          ${queues.map((q) => html`<option key=${q.queue} value=${`queue:${q.queue}`}>${q.name || q.queue}</option>`)}
        </optgroup>
        <optgroup label="Agents">
          ${agents.map((a) => html`<option key=${a.agent} value=${`agent:${a.agent}`}>${a.name || a.agent}</option>`)}
        </optgroup>
      </select>
      <label for="unassign-topic">Reason (a topic)</label>
      <input id="unassign-topic" list="unassign-topics" value=${topic.value}
        onInput=${(e) => (topic.value = e.currentTarget.value)} />
      <datalist id="unassign-topics">
        ${board.topicsSeen().map((t) => html`<option key=${t} value=${t} />`)}
      </datalist>
      <label for="unassign-note">Note for the next agent</label>
      <input id="unassign-note" value=${note.value} onInput=${(e) => (note.value = e.currentTarget.value)} />
      <button type="submit" disabled=${!target.value || !topic.value.trim()}>Unassign</button>
    </form>
    </details>
  `;
}

function TakeoverForm({ board, summary }) {
  const text = useSignal('');
  const take = async (withText) => {
    const ok = await board.takeover(summary.conversation, withText ? text.value.trim() : '');
    if (ok && withText) text.value = '';
  };
  return html`
    <details class="action takeover">
    <summary>Take over…</summary>
    <form aria-label="Take over" onSubmit=${(e) => {
      e.preventDefault();
      take(!!text.value.trim());
    }}>
      <label for="takeover-text">First message (optional)</label>
      <input id="takeover-text" value=${text.value} onInput=${(e) => (text.value = e.currentTarget.value)} />
      <div class="buttons">
        <button type="button" class="secondary take" onClick=${() => take(false)}>Take over</button>
        <button type="submit" class="take-send" disabled=${!text.value.trim()}>Take over and send</button>
      </div>
    </form>
    </details>
  `;
}

export function Actions({ board, summary }) {
  if (!summary || summary.state === 'closed') return null;
  const mine = summary.assignee === board.user;
  const waiting = summary.state === 'queued' || summary.state === 'offered';
  return html`
    <div class="actions" role="group" aria-label="Actions">
      ${waiting && html`<${AssignForm} board=${board} summary=${summary} key=${`a-${summary.conversation}`} />`}
      ${summary.state === 'assigned' && !mine &&
      html`<${UnassignForm} board=${board} summary=${summary} key=${`u-${summary.conversation}`} />`}
      ${summary.state !== 'bot' && !mine &&
      html`<${TakeoverForm} board=${board} summary=${summary} key=${`t-${summary.conversation}`} />`}
    </div>
  `;
}
