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

const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 10000;

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
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = async () => {
      try {
        await this.onOpen(this);
        this.retryMs = FIRST_RETRY_MS;
        this.onState('open');
      } catch (err) {
        // A refused hello closes the socket; onclose decides what next.
        if (!(err instanceof ProtocolError)) socket.close();
      }
    };
    socket.onmessage = (e) => this.receive(e.data);
    socket.onclose = (e) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending();
      if (this.stopped) return;
      if (this.onClose(e.code, e.reason) === false) {
        this.stop();
        return;
      }
      this.retrySoon(this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, LONGEST_RETRY_MS);
    };
  }

  retrySoon(delayMs) {
    if (this.stopped || (this.socket && delayMs > 0)) return;
    if (this.socket && this.socket.readyState === WebSocket.OPEN) return;
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
      const { resolve, reject } = this.pending.get(frame.re);
      this.pending.delete(frame.re);
      if (frame.type === 'ok') resolve(frame);
      else reject(new ProtocolError(frame.code, frame.message));
      return;
    }
    if (frame.type !== 'ok' && frame.type !== 'error') this.onEvent(frame);
  }

  failPending() {
    for (const { reject } of this.pending.values())
      reject(new ProtocolError(DISCONNECTED, 'the connection dropped'));
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
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ type, id, ...fields }));
    });
  }
}
