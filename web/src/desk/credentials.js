// Who is signed in at this desk. A sign-in link carries the user and the
// token in its fragment (`/desk#user=alice&token=...`, printed by
// `baton token --link`): browsers never send a fragment, so the token stays
// out of server logs and Referer headers. The desk moves it to this tab's
// sessionStorage and takes it out of the address bar, so it is neither
// bookmarked nor shared by copying the URL.

const KEY = 'baton.desk';

function read(storage) {
  try {
    return JSON.parse(storage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

function write(storage, value) {
  try {
    storage.setItem(KEY, JSON.stringify(value));
  } catch {
    // Storage off: the desk works until the tab is reloaded.
  }
}

export function createCredentials(storage = window.sessionStorage) {
  let held = read(storage);
  const save = (changes) => {
    held = { ...held, ...changes };
    write(storage, held);
  };
  return {
    /** {user, token} or null. */
    get() {
      return held.user && held.token ? { user: held.user, token: held.token } : null;
    },
    signIn(user, token) {
      save({ user, token, status: '' });
    },
    signOut() {
      held = {};
      write(storage, held);
    },
    /** The status this agent last chose at this desk, or ''. */
    get status() {
      return held.status || '';
    },
    set status(status) {
      save({ status });
    },
    /** Takes `#user=...&token=...` from the address; true when it did. */
    takeFromAddress(location = window.location, history = window.history) {
      const params = new URLSearchParams(location.hash.replace(/^#/, ''));
      const user = params.get('user');
      const token = params.get('token');
      if (!user || !token) return false;
      this.signIn(user, token);
      history.replaceState(null, '', location.pathname + location.search);
      return true;
    },
  };
}
