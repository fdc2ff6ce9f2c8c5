// The customer's side of one chat, as state the view renders: it speaks
// docs/protocol.md through a Connection and keeps nothing the server does
// not say, except the messages on their way.

import { signal, computed, batch } from '@preact/signals';
import {
  Connection,
  ProtocolError,
  DISCONNECTED,
  socketUrl,
} from '../common/protocol.js';
import { Transcript, readHistory } from '../common/transcript.js';
import { identity } from './identity.js';

/** How long "Alice is typing…" stays without a new typing event. */
const TYPING_SHOWN_MS = 6000;
/** How often this side says it is typing, at most. */
const TYPING_SENT_EVERY_MS = 3000;
/** A name's length limit on the server (docs/protocol.md, "Short texts"). */
const NAME_BYTES = 256;

/** Events after which a transfer question no longer waits for an answer. */
const SETTLES_CONSENT = new Set([
  'participant.left',
  'participant.joined',
  'conversation.queued',
  'conversation.closed',
]);

const nameOf = (participant) => participant.name || participant.id;

let clientMsgIds = 0;
function newClientMsgId() {
  clientMsgIds += 1;
  const random = Math.random().toString(36).slice(2, 10);
  return `w-${Date.now().toString(36)}-${random}-${clientMsgIds}`;
}

export function createChat(settings, url = socketUrl()) {
  const connection = signal('connecting'); // connecting|open|waiting|stopped
  const problem = signal(''); // the last refusal, for people
  const conversation = signal(identity.get().conversation || '');
  const version = signal(0); // bumped when the transcript changes
  const outbox = signal([]); // {clientMsgId, text, state: sending|failed, why}
  const typing = signal(''); // who is typing, or ''
  const place = signal(null); // {position, estimated_wait_s?} while waiting
  const answering = signal(''); // the transfer being answered
  let transcript = new Transcript();
  let typingTimer = null;
  let lastTypingSent = 0;

  const events = computed(() => {
    version.value;
    return transcript.events();
  });

  /** Closed, until a resume queues it again. */
  const closed = computed(() => {
    let isClosed = false;
    for (const e of events.value) {
      if (e.type === 'conversation.closed') isClosed = true;
      else if (e.type === 'conversation.queued') isClosed = false;
    }
    return isClosed;
  });

  /** The transfer question still open, or null. */
  const consent = computed(() => {
    let open = null;
    for (const e of events.value) {
      if (e.type === 'transfer.consent_request') open = e;
      else if (SETTLES_CONSENT.has(e.type)) open = null;
    }
    if (!open || identity.answered(open.transfer)) return null;
    return open;
  });

  /** waiting | chatting | closed | none, and with whom. */
  const phase = computed(() => {
    if (!conversation.value) return { state: 'none' };
    if (closed.value) return { state: 'closed' };
    const agents = new Map();
    let waiting = true;
    for (const e of events.value) {
      if (e.type === 'participant.joined') {
        agents.set(e.participant.id, e.participant.name);
        waiting = false;
      } else if (e.type === 'participant.left') {
        agents.delete(e.participant.id);
      } else if (e.type === 'conversation.queued') {
        waiting = true;
      }
    }
    if (waiting || agents.size === 0) return { state: 'waiting' };
    return { state: 'chatting', with: [...agents.values()].join(', ') };
  });

  function changed() {
    version.value += 1;
  }

  function show(conv, list) {
    transcript = new Transcript();
    batch(() => {
      conversation.value = conv;
      typing.value = '';
      place.value = null;
      outbox.value = list;
      changed();
    });
    identity.update({ conversation: conv });
  }

  /** Drops the messages on their way that the transcript now holds, live
   * or from history (a message resent after a drop is kept once). */
  function prune() {
    const stored = new Set();
    for (const e of transcript.events())
      if (e.type === 'message' && e.client_msg_id) stored.add(e.client_msg_id);
    const left = outbox.peek().filter((m) => !stored.has(m.clientMsgId));
    if (left.length !== outbox.peek().length) outbox.value = left;
  }

  function take(event) {
    if (!transcript.add(event)) return;
    batch(() => {
      if (event.type === 'message') {
        if (nameOf(event.from) === typing.peek()) typing.value = '';
        if (event.client_msg_id) prune();
      }
      changed();
    });
  }

  function onEvent(frame) {
    if (!frame.conversation) return;
    if (!conversation.peek()) show(frame.conversation, []);
    if (frame.conversation !== conversation.peek()) return;
    if (frame.type === 'typing') {
      typing.value = nameOf(frame.from);
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => (typing.value = ''), TYPING_SHOWN_MS);
      return;
    }
    if (frame.type === 'conversation.position') {
      place.value = { position: frame.position, estimated_wait_s: frame.estimated_wait_s };
      return;
    }
    take(frame);
  }

  async function onOpen(client) {
    const saved = identity.get();
    const hello = { role: 'customer' };
    if (saved.user && saved.token) {
      hello.user = saved.user;
      hello.token = saved.token;
    }
    if (saved.name) hello.name = saved.name;
    let ok;
    try {
      ok = await client.request('hello', hello);
    } catch (err) {
      if (err.code !== 'bad_request' || !hello.name) throw err;
      // A name the server does not take (kept by an older page): dropped.
      identity.update({ name: '' });
      delete hello.name;
      ok = await client.request('hello', hello);
    }
    if (ok.resume_token) identity.update({ user: ok.user, token: ok.resume_token });
    problem.value = '';
    const current = conversation.peek();
    const open = ok.conversations.map((c) => c.conversation);
    if (!current && open.length > 0) show(open[open.length - 1], []);
    // Still waiting: its place in line as last told, not only at the next move.
    const mine = ok.conversations.find((c) => c.conversation === conversation.peek());
    if (mine?.position) place.value = { position: mine.position, estimated_wait_s: mine.estimated_wait_s };
    if (conversation.peek()) await catchUp(client);
    resend(client);
  }

  async function catchUp(client) {
    const conv = conversation.peek();
    try {
      await readHistory((t, f) => client.request(t, f), conv, transcript);
      batch(() => {
        prune();
        changed();
      });
    } catch (err) {
      if (err.code === 'not_found' || err.code === 'forbidden') {
        // Another visitor's or a forgotten one: start afresh.
        identity.update({ conversation: '' });
        show('', []);
      } else {
        throw err;
      }
    }
  }

  function onClose(code, reason) {
    transcript.lost();
    // The stored credentials no longer work: come back as a new visitor.
    if (code === 1008 && (reason === 'unauthorized' || reason === 'token_expired')) {
      identity.forget();
      show('', []);
    }
    return true;
  }

  const client = new Connection({
    url,
    onOpen,
    onEvent,
    onClose,
    onState: (s) => (connection.value = s),
  });

  function fail(err) {
    problem.value =
      err instanceof ProtocolError && err.code !== DISCONNECTED
        ? err.message
        : 'Not connected: trying again…';
  }

  async function start({ name, text, queue, topic }) {
    if (name && new TextEncoder().encode(name).length > NAME_BYTES) {
      problem.value = 'Your name is too long: please shorten it.';
      return false;
    }
    const fields = { channel: 'web', text };
    if (queue) fields.queue = queue;
    if (topic) fields.topic = topic;
    if (name) fields.attributes = { name };
    try {
      problem.value = '';
      const ok = await client.request('conversation.start', fields);
      // Kept for the next hello only once the server took it.
      if (name) identity.update({ name });
      show(ok.conversation, []);
      // The events the start caused came before its reply: read them.
      transcript.live = false;
      await catchUp(client);
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  }

  function deliver(message) {
    const conv = conversation.peek();
    return client
      .request('message.send', {
        conversation: conv,
        text: message.text,
        client_msg_id: message.clientMsgId,
      })
      .catch((err) => {
        // A drop keeps it queued: it goes again, with the same id, on the
        // next socket, and the server keeps it once.
        if (err.code === DISCONNECTED) return;
        outbox.value = outbox.peek().map((m) =>
          m.clientMsgId === message.clientMsgId
            ? { ...m, state: 'failed', why: err.message }
            : m,
        );
      });
  }

  function resend() {
    for (const m of outbox.peek()) if (m.state === 'sending') deliver(m);
  }

  function send(text) {
    const message = { clientMsgId: newClientMsgId(), text, state: 'sending' };
    outbox.value = [...outbox.peek(), message];
    if (client.connected) deliver(message);
  }

  function retry(clientMsgId) {
    const message = outbox.peek().find((m) => m.clientMsgId === clientMsgId);
    if (!message) return;
    const again = { ...message, state: 'sending', why: '' };
    outbox.value = outbox.peek().map((m) => (m === message ? again : m));
    if (client.connected) deliver(again);
  }

  function typed() {
    const now = Date.now();
    if (!client.connected || now - lastTypingSent < TYPING_SENT_EVERY_MS) return;
    if (phase.peek().state !== 'chatting') return;
    lastTypingSent = now;
    client.request('typing', { conversation: conversation.peek() }).catch(() => {});
  }

  async function answerConsent(transfer, accept) {
    answering.value = transfer;
    try {
      await client.request('transfer.consent', {
        conversation: conversation.peek(),
        transfer,
        accept,
      });
      identity.answer(transfer);
    } catch (err) {
      // Expired, answered elsewhere or withdrawn: the question is gone.
      if (err.code === 'not_found' || err.code === 'invalid_state')
        identity.answer(transfer);
      else fail(err);
    } finally {
      answering.value = '';
      changed();
    }
  }

  async function askSomeoneElse() {
    try {
      await client.request('conversation.request_other', {
        conversation: conversation.peek(),
      });
    } catch (err) {
      fail(err);
    }
  }

  async function end() {
    try {
      await client.request('conversation.close', {
        conversation: conversation.peek(),
      });
    } catch (err) {
      fail(err);
    }
  }

  async function reopen() {
    try {
      await client.request('conversation.resume', {
        conversation: conversation.peek(),
      });
    } catch (err) {
      fail(err);
    }
  }

  function startAgain() {
    identity.update({ conversation: '' });
    show('', []);
  }

  return {
    settings,
    connection,
    problem,
    conversation,
    closed,
    events,
    outbox,
    typing,
    place,
    consent,
    answering,
    phase,
    connect: () => client.start(),
    disconnect: () => client.stop(),
    start,
    send,
    retry,
    typed,
    answerConsent,
    askSomeoneElse,
    end,
    reopen,
    startAgain,
  };
}
