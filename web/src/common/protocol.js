// A client of Baton's WebSocket protocol (docs/protocol.md), shared by the
// consoles: one socket at a time, requests answered by promises, events
// handed to a listener, and a fresh socket after a drop with backoff.

/** A refused request: the protocol's error code and its message. */
export class ProtocolError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The socket closed before the reply came. */
export const DISCONNECTED = 'disconnected';
/** Refused before it was sent, or the server closed for its size. */
export const TOO_LARGE = 'limit_reached';

const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 10000;
/** The server closes a socket on a larger frame (docs/protocol.md:
 * `server.max_frame_bytes`, 65536 by default): such a request is refused
 * here instead. */
const MAX_FRAME_BYTES = 65536;
/** A reply later than this: the socket is taken for dead and replaced (a
 * half-open TCP connection takes minutes to fail on its own). */
const REPLY_PATIENCE_MS = 30000;
/** The client's own close codes (4000–4999 are the application's). */
const SETUP_FAILED = 4000;
const NO_REPLY = 4001;
/** The server's close for a frame over its limit. */
const MESSAGE_TOO_BIG = 1009;

/** The UTF-8 length of `text`, counted only when it may be over `limit`. */
function overBytes(text, limit) {
  if (text.length * 3 <= limit) return false;
  return text.length > limit || new TextEncoder().encode(text).length > limit;
}

/** The endpoint beside the page: ws://host/v1/ws or wss://host/v1/ws. */
export function socketUrl(location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/v1/ws`;
}

/**
 * One logical connection that outlives its sockets.
 *
 * `onOpen(client)` runs on each new socket and must send `hello` first; it
 * resolves once the session is ready. `onEvent(frame)` gets every event.
 * `onState(state)` follows 'connecting', 'open', 'waiting' (a retry is
 * scheduled) and 'stopped'. `onClose(code, reason)` tells why a socket
 * closed; returning false stops the retries.
 */
export class Connection {
  constructor({ url, onOpen, onEvent, onState, onClose }) {
    this.url = url;
    this.onOpen = onOpen;
    this.onEvent = onEvent;
    this.onState = onState || (() => {});
    this.onClose = onClose || (() => true);
    this.socket = null;
    this.pending = new Map();
    this.nextId = 1;
    this.retryMs = FIRST_RETRY_MS;
    this.retryTimer = null;
    this.stopped = false;
    this.reconnectNow = () => this.retrySoon(0);
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    this.open();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    clearTimeout(this.retryTimer);
    if (this.socket) this.socket.close(1000, 'bye');
    this.onState('stopped');
  }

  open() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.onState('connecting');
    const previous = this.socket;
    if (previous) {
      previous.onopen = null;
      previous.close();
    }
    const socket = new WebSocket(this.url);
    socket.helloAccepted = false;
    this.socket = socket;
    socket.onopen = async () => {
      try {
        await this.onOpen(this);
        if (this.socket !== socket || this.stopped) return; // dropped meanwhile
        this.retryMs = FIRST_RETRY_MS;
        this.onState('open');
      } catch (err) {
        // A refused hello: the server closes the socket, and its close code
        // says why. Anything refused after it leaves this socket half set
        // up: it is dropped, and another tried after the backoff.
        if (!(err instanceof ProtocolError) || socket.helloAccepted)
          this.drop(socket, SETUP_FAILED, 'setup failed');
      }
    };
    socket.onmessage = (e) => this.receive(e.data);
    socket.onclose = (e) => this.closed(socket, e.code, e.reason);
  }

  /** Closes `socket` without waiting for its closing handshake. */
  drop(socket, code, reason) {
    socket.close(code, reason);
    this.closed(socket, code, reason);
  }

  closed(socket, code, reason) {
    if (this.socket !== socket) return;
    this.socket = null;
    this.failPending(code);
    if (this.stopped) return;
    if (this.onClose(code, reason) === false) {
      this.stop();
      return;
    }
    this.retrySoon(this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
  }

  retrySoon(delayMs) {
    // A socket still held is open, on its way, or closing: its own close
    // schedules the next (closed() lets go of it first).
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.onState('waiting');
    // Jitter, so that a restarted server is not met by every client at once.
    const jitter = delayMs > 0 ? Math.random() * delayMs * 0.3 : 0;
    this.retryTimer = setTimeout(() => this.open(), delayMs + jitter);
  }

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.re !== undefined && this.pending.has(frame.re)) {
      const { resolve, reject, timer } = this.pending.get(frame.re);
      clearTimeout(timer);
      this.pending.delete(frame.re);
      if (frame.type === 'ok') resolve(frame);
      else reject(new ProtocolError(frame.code, frame.message));
      return;
    }
    if (frame.type !== 'ok' && frame.type !== 'error') this.onEvent(frame);
  }

  /** Fails what waits for a reply on a socket closed with `code`. After a
   * close for a frame too large, the largest request in flight is the one
   * (if any was over the limit, it was); the others only lost their socket. */
  failPending(code) {
    let largest = null;
    if (code === MESSAGE_TOO_BIG) {
      const encoder = new TextEncoder();
      for (const entry of this.pending.values()) {
        entry.bytes = encoder.encode(entry.text).length; // as the server counts
        if (!largest || entry.bytes > largest.bytes) largest = entry;
      }
    }
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(
        entry === largest
          ? new ProtocolError(TOO_LARGE, 'the server refused a request too large for it')
          : new ProtocolError(DISCONNECTED, 'the connection dropped'),
      );
    }
    this.pending.clear();
  }

  get connected() {
    return !!this.socket && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends `{type, id, ...fields}`; resolves with the `ok` frame. */
  request(type, fields = {}) {
    if (!this.connected)
      return Promise.reject(new ProtocolError(DISCONNECTED, 'not connected'));
    const id = String(this.nextId++);
    const text = JSON.stringify({ type, id, ...fields });
    if (overBytes(text, MAX_FRAME_BYTES))
      return Promise.reject(
        new ProtocolError(TOO_LARGE, `too long to send: at most ${MAX_FRAME_BYTES} bytes`),
      );
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.drop(socket, NO_REPLY, 'no reply in time'),
        REPLY_PATIENCE_MS,
      );
      this.pending.set(id, {
        resolve: (ok) => {
          if (type === 'hello') socket.helloAccepted = true;
          resolve(ok);
        },
        reject,
        timer,
        text,
      });
      socket.send(text);
    });
  }
}
