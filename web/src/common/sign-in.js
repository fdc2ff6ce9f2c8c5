// The sign-in form of a staff console: a user and a bare token, what a
// sign-in link would have filled in (what `baton token` prints without
// --link). `role` is the role the example command names.

import { h } from 'preact';
import { useSignal } from '@preact/signals';
import htm from 'htm';

const html = htm.bind(h);

export function SignIn({ title, role, user: example, why, onSignIn }) {
  const user = useSignal('');
  const token = useSignal('');
  const submit = (e) => {
    e.preventDefault();
    if (user.value.trim() && token.value.trim()) onSignIn(user.value.trim(), token.value.trim());
  };
  return html`
    <main class="sign-in">
      <h1>${title}</h1>
      ${why && html`<p class="problem" role="alert">${why}</p>`}
      <p>
        Open the sign-in link your centre gave you. For the demo centre,
        <code>baton token --config config/baton.toml --role ${role} --user ${example} --link</code>
        prints one. Or give the user and token here:
      </p>
      <form onSubmit=${submit} aria-label="Sign in">
        <label for="sign-in-user">User</label>
        <input id="sign-in-user" autocomplete="username" value=${user.value}
          onInput=${(e) => (user.value = e.currentTarget.value)} />
        <label for="sign-in-token">Token</label>
        <input id="sign-in-token" type="password" autocomplete="off" value=${token.value}
          onInput=${(e) => (token.value = e.currentTarget.value)} />
        <button type="submit">Sign in</button>
      </form>
    </main>
  `;
}
