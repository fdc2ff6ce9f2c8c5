// A supervisor's board as state the view renders: it speaks
// docs/protocol.md through one Connection with a supervisor's token. The
// queues and agents are read at each hello and kept up to date by
// `supervise.subscribe`'s events; the conversations are those the
// subscription told about since (nothing lists them: docs/consoles.md).
// A monitored conversation is read with its history, whispers included.

import { signal, batch } from '@preact/signals';
import { ProtocolError, DISCONNECTED, socketUrl } from '../common/protocol.js';
import { Transcript, readHistory } from '../common/transcript.js';
import { connectStaff } from '../common/staff-connection.js';
import { everyAgent } from '../common/roster.js';

/** Notices kept on screen. */
const NOTICES_KEPT = 6;
/** Closed conversations kept in the list, the newest. */
const CLOSED_KEPT = 20;
/** Pages of a routing story read at most (each fills a frame: 64 KiB). */
const EXPLAIN_PAGES = 20;


const byId = (rows, key) => new Map(rows.map((r) => [r[key], r]));

export function createBoard(credentials, url = socketUrl()) {
  const { user, token } = credentials.get();
  const problem = signal('');
  const queues = signal(new Map()); // id -> queue row
  const agents = signal(new Map()); // id -> agent row
  const conversations = signal(new Map()); // id -> summary
  const notices = signal([]); // {key, text}
  const monitored = signal(''); // the conversation in the monitor panel
  const version = signal(0); // bumped when the monitored transcript changes
  const now = signal(Date.now());
  const topicsSeen = new Set();
  let transcript = new Transcript();
  let noticeKeys = 0;
  let lostAt = 0; // when the connection dropped, until the next hello

  const ticker = setInterval(() => (now.value = Date.now()), 1000);
  const changed = () => (version.value += 1);

  function notify(text) {
    noticeKeys += 1;
    notices.value = [...notices.peek(), { key: noticeKeys, text }].slice(-NOTICES_KEPT);
  }

  function putQueues(rows) {
    const next = new Map(queues.peek());
    for (const row of rows) next.set(row.queue, row);
    queues.value = next;
  }

  function putAgent(row) {
    agents.value = new Map(agents.peek()).set(row.agent, row);
  }

  function putConversation(summary) {
    if (summary.topic) topicsSeen.add(summary.topic);
    const next = new Map(conversations.peek());
    next.set(summary.conversation, summary);
    const closed = [...next.values()].filter((c) => c.state === 'closed');
    for (const c of closed.slice(0, Math.max(0, closed.length - CLOSED_KEPT)))
      next.delete(c.conversation);
    conversations.value = next;
  }

  function markStale(since) {
    const next = new Map();
    for (const [id, c] of conversations.peek())
      next.set(id, c.state === 'closed' || c.stale ? c : { ...c, stale: since });
    conversations.value = next;
  }

  async function readMonitored() {
    const id = monitored.peek();
    if (!id) return;
    try {
      await readHistory((t, f) => client.request(t, f), id, transcript);
    } catch (err) {
      if (err.code !== DISCONNECTED) problem.value = err.message;
    }
    changed();
  }

  function onEvent(frame) {
    switch (frame.type) {
      case 'queue.stats':
        putQueues(frame.queues);
        return;
      case 'agent.updated':
        putAgent(frame);
        return;
      case 'conversation.updated':
        putConversation(frame);
        return;
      case 'notice':
        notify(frame.text);
        return;
      default:
        if (frame.result) notify(frame.text || outcomeText(frame));
        if (frame.conversation === monitored.peek() && typeof frame.seq === 'number') {
          if (transcript.add(frame)) changed();
        }
    }
  }

  async function onHello(client) {
    problem.value = '';
    // What changed while the connection was down was never told: the rows
    // of open conversations are shown as of then until they change again.
    if (conversations.peek().size > 0) markStale(lostAt || Date.now());
    lostAt = 0;
    const [queueList, roster] = await Promise.all([
      client.request('queue.list'),
      everyAgent((t, f) => client.request(t, f)),
    ]);
    batch(() => {
      queues.value = byId(queueList.queues, 'queue');
      agents.value = byId(roster.rows, 'agent');
    });
    if (!roster.whole) problem.value = 'Some agents did not answer: the grid lacks them.';
    await client.request('supervise.subscribe', {});
    // Monitoring ends with the session: ask again, then read what was missed.
    // A conversation that closed or left meanwhile is monitored no more.
    const id = monitored.peek();
    if (id) {
      try {
        await client.request('conversation.monitor', { conversation: id });
      } catch (err) {
        if (!(err instanceof ProtocolError) || err.code === DISCONNECTED) throw err;
        if (err.code === 'unavailable' || err.code === 'rate_limited') throw err;
        stopMonitoring();
        notify(`Monitoring of the conversation ended: ${err.message}.`);
        return;
      }
      await readMonitored();
    }
  }

  const { client, connection, signedOut } = connectStaff({
    url,
    role: 'supervisor',
    user,
    token,
    onHello,
    onEvent,
    onLost: () => {
      transcript.lost();
      lostAt ||= Date.now();
    },
  });

  /** Sends a request; the `ok` frame, or null with the refusal shown. */
  async function act(type, fields) {
    try {
      problem.value = '';
      return await client.request(type, fields);
    } catch (err) {
      problem.value =
        err instanceof ProtocolError && err.code !== DISCONNECTED
          ? `${err.message} (${err.code})`
          : 'Not connected: trying again…';
      return null;
    }
  }

  async function monitor(id) {
    batch(() => {
      transcript = new Transcript();
      monitored.value = id;
      changed();
    });
    if (!(await act('conversation.monitor', { conversation: id }))) return false;
    await readMonitored();
    return true;
  }

  function stopMonitoring() {
    // The protocol has no way to stop monitoring: the events are dropped.
    transcript = new Transcript();
    monitored.value = '';
    changed();
  }

  async function assign(id, agent) {
    const ok = await act('conversation.assign', { conversation: id, agent });
    if (ok) notify(`Assignment of the conversation to ${agent} asked.`);
    return !!ok;
  }

  /** A cold transfer without consent: `to` {queue} or {agent}, a reason. */
  async function unassign(id, { toQueue, toAgent, topic, note }) {
    const fields = { conversation: id, topic };
    if (toQueue) fields.to_queue = toQueue;
    else fields.to_agent = toAgent;
    if (note) fields.note = note;
    return !!(await act('conversation.unassign', fields));
  }

  /** Takes the conversation over, with a first message when `text`. */
  async function takeover(id, text) {
    const fields = { conversation: id };
    if (text) fields.text = text;
    const ok = await act('conversation.takeover', fields);
    if (ok && monitored.peek() !== id) await monitor(id);
    return !!ok;
  }

  const send = async (id, text) =>
    !!(await act('message.send', { conversation: id, text }));

  /** How the conversation was routed (`conversation.explain`): its steps,
   * every page of them, or null with the refusal shown. */
  async function explain(id) {
    const steps = [];
    for (let page = 0; page < EXPLAIN_PAGES; page += 1) {
      const fields = { conversation: id };
      if (steps.length > 0) fields.after_seq = steps[steps.length - 1].seq;
      const ok = await act('conversation.explain', fields);
      if (!ok) return steps.length > 0 ? steps : null;
      steps.push(...ok.steps);
      if (!ok.more || ok.steps.length === 0) break;
    }
    return steps;
  }

  return {
    user,
    connection,
    problem,
    signedOut,
    queues,
    agents,
    conversations,
    notices,
    monitored,
    version,
    now,
    events: () => transcript.events(),
    topicsSeen: () => [...topicsSeen],
    connect: () => client.start(),
    disconnect: () => {
      clearInterval(ticker);
      client.stop();
    },
    monitor,
    stopMonitoring,
    assign,
    unassign,
    takeover,
    send,
    explain,
    dropNotice: (key) => (notices.value = notices.peek().filter((n) => n.key !== key)),
  };
}

const WHAT = { transfer: 'Transfer', conference: 'Conference', assign: 'Assignment' };

/** How a transfer, unassign or assignment this supervisor asked ended. */
export function outcomeText(frame) {
  const what = WHAT[frame.type.split('.')[0]] || frame.type;
  return `${what} ${frame.result}${frame.reason ? ` (${frame.reason})` : ''}.`;
}
