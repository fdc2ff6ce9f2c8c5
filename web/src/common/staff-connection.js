// The socket of a staff console (the desk, the board): `hello` as its role
// on every new socket, and back to the sign-in form, with the reason, when
// the server ends the session for good.
import { signal } from '@preact/signals';
import { Connection, DISCONNECTED } from './protocol.js';
import { signedOutText } from './signed-out.js';

/**
 * Connects `user` as `role` ('agent', 'supervisor') to `url`. After each
 * `hello`, `onHello(client, ok)` reads what the console needs; `onLost()`
 * runs when a socket closes, before any reconnect. Returns the client, its
 * state (`connection`) and why the session ended (`signedOut`, '' while
 * it has not).
 */
export function connectStaff({ url, role, user, token, onHello, onEvent, onLost }) {
  const connection = signal('connecting');
  const signedOut = signal('');
  let helloRefusal = '';

  async function onOpen(client) {
    let ok;
    try {
      ok = await client.request('hello', { role, user, token });
      helloRefusal = '';
    } catch (err) {
      // The server closes the socket next; its reason is less telling. A
      // hello lost with its socket was refused by nobody.
      if (err.code !== DISCONNECTED) helloRefusal = err.message;
      throw err;
    }
    await onHello(client, ok);
  }

  function onClose(code, reason) {
    onLost();
    const ended = signedOutText(code, reason, role, helloRefusal);
    if (ended) signedOut.value = ended;
    return !ended;
  }

  const client = new Connection({
    url,
    onOpen,
    onEvent,
    onClose,
    onState: (s) => (connection.value = s),
  });
  return { client, connection, signedOut };
}
