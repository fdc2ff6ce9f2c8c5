// An agent's desk as state the view renders: it speaks docs/protocol.md
// through one Connection with the agent's token, and holds the status,
// the offers, the conversations (one Transcript each) and the notices.
// The server's word is the truth: hello lists the open conversations and
// offers, and every conversation is read again after the last `seq` known
// complete, so a reload or a reconnect shows each event once.

import { signal, batch } from '@preact/signals';
import { ProtocolError, DISCONNECTED, socketUrl } from '../common/protocol.js';
import { Transcript, readHistory } from '../common/transcript.js';
import { connectStaff } from '../common/staff-connection.js';
import { customerOf, endedFor, isIncoming } from './conversation.js';
import { createOutbox } from './outbox.js';
import { inTurn } from '../common/in-turn.js';

/** How long "Dana is typing…" stays without another typing event. */
const TYPING_SHOWN_MS = 6000;
/** How often this desk says the agent is typing, at most. */
const TYPING_SENT_EVERY_MS = 3000;
/** Notices kept on screen. */
const NOTICES_KEPT = 6;
/** Conversations read back at once after a reconnect. */
const READ_AT_ONCE = 4;
/** A read the server put off (too many requests, a store behind) is asked
 * again after this, and up to as long again at random. */
const READ_AGAIN_MS = 1000;
const READ_AGAIN_AFTER = new Set(['rate_limited', 'unavailable', 'limit_reached']);
/** An offer still shown this long after it ran out was answered elsewhere
 * (rejected at another desk: nothing says so to this one). Long, so that a
 * desk whose clock runs minutes ahead of the server's keeps live offers. */
const OFFER_OUTLIVED_MS = 5 * 60000;

/** The offer ran out long ago by this desk's clock, or, with a clock ahead
 * of the server's, long after it came. */
function outlived(offer) {
  const shown = Math.max(offer.expires_at - offer.receivedAt, 0);
  return Date.now() - offer.receivedAt > shown + OFFER_OUTLIVED_MS;
}

/** One conversation at the desk. */
class Conversation {
  constructor(id, about) {
    this.id = id;
    this.transcript = new Transcript();
    this.about = about; // {customer, queue, topic, channel} from offer or summary
    this.offer = null; // the offer it was accepted from: a transfer's content
    this.unread = 0;
    this.typing = '';
    this.typingTimer = null;
    this.pending = []; // {clientMsgId, text, whisper, state, why}
    this.reading = null; // the history read under way
    this.gone = false; // the server no longer lets this agent read it
  }

  /** In `seq` order; sorted again only when an event was added. */
  get events() {
    if (this.sortedSize !== this.transcript.size) {
      this.sorted = this.transcript.events();
      this.sortedSize = this.transcript.size;
    }
    return this.sorted;
  }
}

export function createDesk(credentials, url = socketUrl()) {
  const { user, token } = credentials.get();
  const problem = signal('');
  const status = signal(credentials.status || 'not_ready');
  const statusReason = signal('');
  const offers = signal([]);
  const tabs = signal([]); // conversation ids, in the order they came
  const active = signal('');
  const version = signal(0); // bumped when a conversation changes
  const notices = signal([]); // {key, text, conversation}
  const now = signal(Date.now());
  const myName = signal(user);
  const conversations = new Map();
  const topicsSeen = new Map(); // id -> name, what the desk has met
  const dismissed = new Set(); // conversations whose tab the agent removed
  let noticeKeys = 0;
  let lastTypingSent = 0;

  const ticker = setInterval(() => {
    now.value = Date.now();
    dropOffers(outlived);
  }, 1000);
  // Messages that came while the window was hidden were unread; the open
  // conversation is read once the agent looks again.
  const onVisible = () => {
    if (!document.hidden && active.peek()) select(active.peek());
  };
  document.addEventListener('visibilitychange', onVisible);

  const changed = () => (version.value += 1);

  function notify(text, conversation = '') {
    noticeKeys += 1;
    notices.value = [...notices.peek(), { key: noticeKeys, text, conversation }].slice(
      -NOTICES_KEPT,
    );
  }

  function dropOffers(which) {
    if (offers.peek().some(which)) offers.value = offers.peek().filter((o) => !which(o));
  }

  function learnTopic(topic) {
    if (topic) topicsSeen.set(topic, topic);
  }

  function conversationOf(id, about) {
    if (about) dismissed.delete(id); // taken again: an accept or a pick
    let c = conversations.get(id);
    if (!c) {
      c = new Conversation(id, about || {});
      conversations.set(id, c);
      tabs.value = [...tabs.peek(), id];
      if (!active.peek()) active.value = id;
    } else if (about) {
      c.about = { ...c.about, ...about };
      c.gone = false;
    }
    learnTopic(c.about.topic);
    return c;
  }

  function nameOfCustomer(c) {
    const customer = customerOf(c.events, c.about.customer);
    return customer?.name || customer?.id || 'Customer';
  }

  /** Reads what is missing; a read asked for while one runs runs after it. */
  function catchUp(c) {
    if (c.reading) {
      c.again = true;
      return c.reading;
    }
    c.reading = (async () => {
      do {
        c.again = false;
        try {
          await readHistory((t, f) => client.request(t, f), c.id, c.transcript);
          for (const e of c.events) learnFrom(c, e);
        } catch (err) {
          if (err.code === 'forbidden' || err.code === 'not_found') c.gone = true;
          else if (READ_AGAIN_AFTER.has(err.code)) readAgainLater(c);
          else if (err.code !== DISCONNECTED) problem.value = err.message;
        }
        outbox.prune(c);
        changed();
      } while (c.again && client.connected);
      c.reading = null;
    })();
    return c.reading;
  }

  function readAgainLater(c) {
    if (c.readAgain) return;
    c.readAgain = setTimeout(
      () => {
        c.readAgain = null;
        if (client.connected) catchUp(c);
      },
      READ_AGAIN_MS * (1 + Math.random()),
    );
  }

  function learnFrom(c, e) {
    if (e.type === 'transfer.requested' || e.type === 'conference.requested')
      learnTopic(e.topic);
    if (e.type === 'participant.joined' && e.participant.id === user)
      myName.value = e.participant.name || user;
  }

  function takeConversationEvent(frame) {
    // Accepted at another of the agent's desks: nothing else tells this one.
    if (frame.type === 'participant.joined' && frame.participant.id === user)
      dropOffers((o) => o.conversation === frame.conversation);
    // A removed tab stays removed: how a transfer it asked for ended comes
    // as a notice instead.
    if (dismissed.has(frame.conversation)) {
      if (frame.result && frame.text) notify(frame.text, frame.conversation);
      return;
    }
    const c = conversationOf(frame.conversation);
    if (!c.transcript.add(frame)) return;
    learnFrom(c, frame);
    if (frame.type === 'message') {
      if (c.typing && frame.from.name === c.typing) c.typing = '';
      if (isIncoming(frame, user) && (active.peek() !== c.id || document.hidden))
        c.unread += 1;
      outbox.prune(c);
    }
    // Events of a conversation first met live: read what came before.
    if (!c.transcript.live) catchUp(c);
    changed();
  }

  function onEvent(frame) {
    switch (frame.type) {
      case 'offer':
        learnTopic(frame.topic);
        frame.receivedAt = Date.now(); // the countdown's full length
        offers.value = [...offers.peek().filter((o) => o.offer !== frame.offer), frame];
        return;
      case 'offer.revoked': {
        const gone = offers.peek().find((o) => o.offer === frame.offer);
        offers.value = offers.peek().filter((o) => o.offer !== frame.offer);
        if (gone) notify(`The offer of ${gone.customer.name || gone.customer.id}'s conversation ended: ${REVOKED[frame.reason] || frame.reason}.`);
        return;
      }
      case 'agent.status':
        batch(() => {
          status.value = frame.status;
          statusReason.value = frame.reason || '';
        });
        credentials.status = frame.status;
        return;
      case 'notice':
        notify(frame.text, frame.conversation);
        return;
      case 'typing': {
        const c = conversations.get(frame.conversation);
        if (!c) return;
        c.typing = frame.from.name || frame.from.id;
        clearTimeout(c.typingTimer);
        c.typingTimer = setTimeout(() => {
          c.typing = '';
          changed();
        }, TYPING_SHOWN_MS);
        changed();
        return;
      }
      default:
        if (frame.conversation && typeof frame.seq === 'number') takeConversationEvent(frame);
    }
  }

  async function onHello(client, ok) {
    problem.value = '';
    batch(() => {
      offers.value = ok.offers.map((o) => ({ ...o, receivedAt: Date.now() }));
      for (const s of ok.conversations)
        conversationOf(s.conversation, {
          customer: s.customer,
          queue: s.queue,
          topic: s.topic,
          channel: s.channel,
        });
    });
    for (const o of ok.offers) learnTopic(o.topic);
    // hello does not say the agent's status (docs/consoles.md, "Protocol
    // gaps"): the status chosen at this desk is said again.
    const chosen = credentials.status;
    if (chosen) await client.request('agent.status', { status: chosen });
    await inTurn(conversations.values(), READ_AT_ONCE, catchUp);
    for (const c of conversations.values()) outbox.resend(c);
  }

  const { client, connection, signedOut } = connectStaff({
    url,
    role: 'agent',
    user,
    token,
    onHello,
    onEvent,
    onLost: () => {
      for (const c of conversations.values()) c.transcript.lost();
    },
  });
  const outbox = createOutbox(client, changed);

  function fail(err) {
    problem.value =
      err instanceof ProtocolError && err.code !== DISCONNECTED
        ? err.message
        : 'Not connected: trying again…';
  }

  async function act(type, fields) {
    try {
      problem.value = '';
      return await client.request(type, fields);
    } catch (err) {
      fail(err);
      return null;
    }
  }

  async function setStatus(next) {
    const ok = await act('agent.status', { status: next });
    if (ok) credentials.status = next;
  }

  function select(id) {
    const c = conversations.get(id);
    if (!c) return;
    c.unread = 0;
    active.value = id;
    changed();
  }

  async function accept(offer) {
    let ok = null;
    try {
      problem.value = '';
      ok = await client.request('offer.accept', { offer: offer.offer });
    } catch (err) {
      fail(err);
      // Only `conflict` says the offer is gone; after any other refusal
      // (a direct offer with every slot taken, a store behind, too many
      // requests, no connection) it is still open, to accept again.
      if (err.code !== 'conflict') return;
    }
    dropOffers((o) => o.offer === offer.offer);
    if (!ok) return;
    const c = conversationOf(ok.conversation, {
      customer: offer.customer,
      queue: offer.queue,
      topic: offer.topic,
      channel: offer.channel,
    });
    c.offer = offer;
    select(c.id);
    c.transcript.live = false;
    await catchUp(c);
  }

  async function reject(offer) {
    dropOffers((o) => o.offer === offer.offer);
    await act('offer.reject', { offer: offer.offer });
  }

  /** After a pick the events come as for an accept: the tab opens on them. */
  async function pick(entry) {
    const ok = await act('waitlist.pick', { conversation: entry.conversation });
    if (!ok) return false;
    const c = conversationOf(entry.conversation, {
      customer: entry.customer,
      queue: entry.queue,
      topic: entry.topic,
      channel: entry.channel,
    });
    select(c.id);
    await catchUp(c);
    return true;
  }

  function typed(id) {
    const t = Date.now();
    if (!client.connected || t - lastTypingSent < TYPING_SENT_EVERY_MS) return;
    lastTypingSent = t;
    client.request('typing', { conversation: id }).catch(() => {});
  }

  async function close(id, wrapUp) {
    const fields = { conversation: id };
    if (wrapUp) fields.wrap_up = wrapUp;
    return !!(await act('conversation.close', fields));
  }

  const leave = async (id) => !!(await act('conversation.leave', { conversation: id }));

  /** Transfer or conference: `kind` 'transfer' | 'conference'. */
  async function handOver(id, { kind, toQueue, toAgent, topic, note, mode }) {
    const fields = { conversation: id };
    if (toQueue) fields.to_queue = toQueue;
    else fields.to_agent = toAgent;
    if (note) fields.note = note;
    if (kind === 'transfer') {
      if (topic) fields.topic = topic;
      fields.mode = mode || 'cold';
    }
    return act(kind === 'transfer' ? 'transfer.request' : 'conference.request', fields);
  }

  /** Takes the tab of a conversation that is over off the desk. */
  function dismiss(id) {
    const c = conversations.get(id);
    if (!c) return;
    clearTimeout(c.typingTimer);
    conversations.delete(id);
    dismissed.add(id);
    const left = tabs.peek().filter((t) => t !== id);
    batch(() => {
      tabs.value = left;
      if (active.peek() === id) active.value = left[left.length - 1] || '';
    });
  }

  /** Asks the server; null when refused (e.g. a list this agent may not read). */
  async function ask(type, fields = {}) {
    try {
      return await client.request(type, fields);
    } catch (err) {
      return { refused: err };
    }
  }

  return {
    user,
    myName,
    connection,
    problem,
    signedOut,
    status,
    statusReason,
    offers,
    tabs,
    active,
    version,
    notices,
    now,
    conversation: (id) => conversations.get(id),
    customerName: (id) => nameOfCustomer(conversations.get(id)),
    endedFor: (id) => endedFor(conversations.get(id).events, user),
    topicsSeen: () => [...topicsSeen.keys()],
    connect: () => client.start(),
    disconnect: () => {
      clearInterval(ticker);
      document.removeEventListener('visibilitychange', onVisible);
      client.stop();
    },
    setStatus,
    select,
    accept,
    reject,
    pick,
    send: (id, text, options) => outbox.send(conversations.get(id), text, options),
    retry: (id, clientMsgId) => outbox.retry(conversations.get(id), clientMsgId),
    typed,
    close,
    leave,
    handOver,
    dismiss,
    ask,
    dropNotice: (key) => (notices.value = notices.peek().filter((n) => n.key !== key)),
  };
}

const REVOKED = {
  timeout: 'it timed out',
  taken: 'another agent took it',
  cancelled: 'it was called off',
  abandoned: 'the customer left',
};
