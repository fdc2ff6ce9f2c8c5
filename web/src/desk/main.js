// The agent desk (/desk): docs/consoles.md.
import { h, render } from 'preact';
import { signal } from '@preact/signals';
import '../common/base.css';
import '../common/alerts.css';
import '../common/transcript.css';
import './desk.css';
import { createCredentials } from './credentials.js';
import { createDesk } from './desk.js';
import { Desk, SignIn } from './view.js';

const credentials = createCredentials();
credentials.takeFromAddress();
const desk = signal(null);

function start() {
  desk.value = createDesk(credentials);
  desk.value.connect();
}

function signIn(user, token) {
  desk.peek()?.disconnect();
  credentials.signIn(user, token);
  start();
}

function signOut() {
  desk.peek()?.disconnect();
  credentials.signOut();
  desk.value = null;
}

function App() {
  const current = desk.value;
  if (!current) return h(SignIn, { onSignIn: signIn });
  return h(Desk, { desk: current, onSignIn: signIn, onSignOut: signOut });
}

if (credentials.get()) start();
render(h(App), document.getElementById('app'));
