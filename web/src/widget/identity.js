// Who the visitor is across reloads: the id and resume token an anonymous
// hello returned (valid 7 days), the conversation on screen, and the
// transfer questions already answered. Kept in localStorage, so that a
// reload or a new tab carries on; a blocked storage only forgets.

const KEY = 'baton.widget';
const ANSWERS_KEPT = 20;

function read() {
  try {
    return JSON.parse(window.localStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

function write(value) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(value));
  } catch {
    // Private mode or storage off: the chat works, a reload starts afresh.
  }
}

export const identity = {
  get() {
    return read();
  },
  update(changes) {
    write({ ...read(), ...changes });
  },
  /** The credentials no longer work: start again as a new visitor. */
  forget() {
    write({});
  },
  answered(transfer) {
    return (read().answered || []).includes(transfer);
  },
  answer(transfer) {
    const answered = [...(read().answered || []), transfer];
    this.update({ answered: answered.slice(-ANSWERS_KEPT) });
  },
};
