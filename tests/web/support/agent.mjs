// An agent as the tests need one: a WebSocket client of the protocol that
// signs in, gets ready, and waits for the events it is told to expect.
import { requireFromWeb } from './modules.mjs';

const WebSocket = requireFromWeb('ws');

const WAIT_MS = 10000;

export async function connectAgent(baton, user) {
  const socket = new WebSocket(baton.wsUrl);
  const events = [];
  const waiters = [];
  const replies = new Map();
  let nextId = 1;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.re !== undefined && replies.has(frame.re)) {
      const { resolve, reject } = replies.get(frame.re);
      replies.delete(frame.re);
      if (frame.type === 'ok') resolve(frame);
      else reject(new Error(`${frame.code}: ${frame.message}`));
      return;
    }
    if (frame.type === 'ok' || frame.type === 'error') return;
    events.push(frame);
    for (const w of [...waiters])
      if (w.match(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });

  const agent = {
    events,
    request(type, fields = {}) {
      const id = String(nextId++);
      return new Promise((resolve, reject) => {
        replies.set(id, { resolve, reject });
        socket.send(JSON.stringify({ type, id, ...fields }));
      });
    },
    /** The first event, past or to come, for which `match` is true. */
    waitFor(match, what = 'an event') {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${user} waited in vain for ${what}`)),
          WAIT_MS,
        );
        waiters.push({
          match,
          resolve: (frame) => {
            clearTimeout(timer);
            resolve(frame);
          },
        });
      });
    },
    close() {
      socket.close();
    },
  };
  await agent.request('hello', {
    role: 'agent',
    user,
    token: baton.token('agent', user),
  });
  await agent.request('agent.status', { status: 'ready' });
  return agent;
}
