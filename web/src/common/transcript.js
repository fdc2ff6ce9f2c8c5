// A conversation's events by `seq`: live events and history pages may
// overlap after a reconnect or a reload, and each is kept once.

/**
 * Events of a conversation that a reader shows, in `seq` order, and how far
 * they are known to be complete: `synced` is a `seq` up to which nothing is
 * missing, the `after_seq` the next history read starts from.
 */
export class Transcript {
  constructor() {
    this.bySeq = new Map();
    this.synced = 0;
    // True while a socket delivers this conversation's events after a
    // complete read: each live event then moves `synced` on.
    this.live = false;
  }

  /** Adds an event; false when that `seq` was there already. */
  add(event) {
    if (typeof event.seq !== 'number') return false;
    if (this.live && event.seq > this.synced) this.synced = event.seq;
    if (this.bySeq.has(event.seq)) return false;
    this.bySeq.set(event.seq, event);
    return true;
  }

  /** The socket dropped: events may be missed until the next read. */
  lost() {
    this.live = false;
  }

  get lastSeq() {
    let last = 0;
    for (const seq of this.bySeq.keys()) if (seq > last) last = seq;
    return last;
  }

  get size() {
    return this.bySeq.size;
  }

  events() {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}

/**
 * Reads every event after `transcript.synced`, page by page, then follows
 * the live events. `request` is Connection.request.
 */
export async function readHistory(request, conversation, transcript) {
  let after = transcript.synced;
  for (;;) {
    const page = await request('conversation.history', {
      conversation,
      after_seq: after,
      limit: 200,
    });
    for (const event of page.events) transcript.add(event);
    if (page.events.length > 0) after = page.events[page.events.length - 1].seq;
    if (!page.more || page.events.length === 0) break;
  }
  // Every event stored before this read is held, and the live ones since
  // came on this socket, in order.
  transcript.synced = Math.max(after, transcript.lastSeq);
  transcript.live = true;
}
