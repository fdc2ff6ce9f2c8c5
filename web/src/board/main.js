// The supervisor board (/board): docs/consoles.md.
import { h, render } from 'preact';
import { signal } from '@preact/signals';
import '../common/base.css';
import '../common/alerts.css';
import '../common/transcript.css';
import './board.css';
import { createCredentials } from '../common/credentials.js';
import { createBoard } from './board.js';
import { Board, SignIn } from './view.js';

const credentials = createCredentials('baton.board');
credentials.takeFromAddress();
const board = signal(null);

function start() {
  board.value = createBoard(credentials);
  board.value.connect();
}

function signIn(user, token) {
  board.peek()?.disconnect();
  credentials.signIn(user, token);
  start();
}

function signOut() {
  board.peek()?.disconnect();
  credentials.signOut();
  board.value = null;
}

function App() {
  const current = board.value;
  if (!current) return h(SignIn, { onSignIn: signIn });
  return h(Board, { board: current, onSignIn: signIn, onSignOut: signOut });
}

if (credentials.get()) start();
render(h(App), document.getElementById('app'));
