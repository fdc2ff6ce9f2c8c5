// Who is signed in at a staff console. A sign-in link carries the user and
// the token in its fragment (`/desk#user=alice&token=...`, printed by
// `baton token --link`): browsers never send a fragment, so the token stays
// out of server logs and Referer headers. The console moves it to this
// tab's sessionStorage and takes it out of the address bar, so it is
// neither bookmarked nor shared by copying the URL.

function read(storage, key) {
  try {
    return JSON.parse(storage.getItem(key)) || {};
  } catch {
    return {};
  }
}

function write(storage, key, value) {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage off: the console works until the tab is reloaded.
  }
}

/** `key` names the console's entry in the tab's storage. */
export function createCredentials(key, storage = window.sessionStorage) {
  let held = read(storage, key);
  const save = (changes) => {
    held = { ...held, ...changes };
    write(storage, key, held);
  };
  return {
    /** {user, token} or null. */
    get() {
      return held.user && held.token ? { user: held.user, token: held.token } : null;
    },
    /** A new sign-in forgets what the last one remembered. */
    signIn(user, token) {
      held = {};
      save({ user, token });
    },
    signOut() {
      held = {};
      write(storage, key, held);
    },
    /** A value kept with this sign-in, or ''. */
    recall(name) {
      return held[name] || '';
    },
    remember(name, value) {
      save({ [name]: value });
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
