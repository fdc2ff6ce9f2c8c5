// Agents and customers as the tests need them: WebSocket clients of the
// protocol that say hello and wait for the events they are told to expect.
import { requireFromWeb } from './modules.mjs';

const WebSocket = requireFromWeb('ws');

const WAIT_MS = 10000;

/** A socket that has said `hello` with `fields`; `who` names it in errors. */
export async function connectClient(baton, who, fields) {
  const user = who;
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
  agent.hello = await agent.request('hello', fields);
  return agent;
}

/** An agent, signed in and ready. */
export async function connectAgent(baton, user) {
  const agent = await connectClient(baton, user, {
    role: 'agent',
    user,
    token: baton.token('agent', user),
  });
  await agent.request('agent.status', { status: 'ready' });
  return agent;
}

/** An anonymous customer who starts a conversation; `conversation` is its id. */
export async function startCustomer(baton, name, fields) {
  const customer = await connectClient(baton, name, { role: 'customer', name });
  const ok = await customer.request('conversation.start', {
    channel: 'web',
    attributes: { name },
    ...fields,
  });
  customer.conversation = ok.conversation;
  return customer;
}
