// The agent's messages on their way: shown as "Sending…" until the
// conversation's transcript holds them. A message carries a
// client_msg_id, so after a drop it goes again on the next socket and the
// server keeps it once; a whisper has none, so it waits for the agent to
// retry it, and its `seq` from the reply says which event it became.

import { DISCONNECTED } from '../common/protocol.js';

let clientMsgIds = 0;
function newClientMsgId() {
  clientMsgIds += 1;
  const random = Math.random().toString(36).slice(2, 8);
  return `d-${Date.now().toString(36)}-${random}-${clientMsgIds}`;
}

/** `client` is the Connection; `changed` tells the view to render. */
export function createOutbox(client, changed) {
  /** Drops the messages on their way that conversation `c` now holds. */
  function prune(c) {
    if (c.pending.length === 0) return;
    const stored = new Set();
    for (const e of c.events)
      if (e.type === 'message' && e.client_msg_id) stored.add(e.client_msg_id);
    c.pending = c.pending.filter(
      (m) => !stored.has(m.clientMsgId) && !(m.seq && c.transcript.bySeq.has(m.seq)),
    );
  }

  function deliver(c, message) {
    const fields = { conversation: c.id, text: message.text };
    if (!message.whisper) fields.client_msg_id = message.clientMsgId;
    return client
      .request(message.whisper ? 'whisper.send' : 'message.send', fields)
      .then((ok) => {
        message.seq = ok.seq;
        prune(c);
        changed();
      })
      .catch((err) => {
        if (err.code === DISCONNECTED && !message.whisper) return;
        message.state = 'failed';
        message.why = err.code === DISCONNECTED ? 'the connection dropped' : err.message;
        changed();
      });
  }

  return {
    prune,
    /** After a reconnect: the messages still sending go again. */
    resend(c) {
      for (const m of c.pending) if (m.state === 'sending' && !m.whisper) deliver(c, m);
    },
    send(c, text, { whisper = false } = {}) {
      if (!c) return;
      const message = { clientMsgId: newClientMsgId(), text, whisper, state: 'sending', why: '' };
      if (whisper && !client.connected) {
        message.state = 'failed';
        message.why = 'not connected';
      }
      c.pending = [...c.pending, message];
      changed();
      if (client.connected) deliver(c, message);
    },
    retry(c, clientMsgId) {
      const message = c?.pending.find((m) => m.clientMsgId === clientMsgId);
      if (!message) return;
      message.state = 'sending';
      message.why = '';
      changed();
      if (client.connected) deliver(c, message);
    },
  };
}
