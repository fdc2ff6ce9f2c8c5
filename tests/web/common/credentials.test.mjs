// Each staff console keeps its own sign-in in the tab, and what it
// remembers with it goes with the next sign-in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCredentials } from '../../../web/src/common/credentials.js';

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
  };
}

test('the desk and the board of one tab are signed in apart', () => {
  const storage = memoryStorage();
  createCredentials('baton.desk', storage).signIn('alice', '17.ab');
  const board = createCredentials('baton.board', storage);
  assert.equal(board.get(), null);
  board.signIn('erin', '18.cd');
  assert.deepEqual(createCredentials('baton.desk', storage).get(), { user: 'alice', token: '17.ab' });
  assert.deepEqual(createCredentials('baton.board', storage).get(), { user: 'erin', token: '18.cd' });
});

test('a new sign-in forgets what the last one remembered', () => {
  const storage = memoryStorage();
  const credentials = createCredentials('baton.board', storage);
  credentials.signIn('erin', '18.cd');
  credentials.remember('monitored', 'c-1');
  assert.equal(createCredentials('baton.board', storage).recall('monitored'), 'c-1');
  credentials.signIn('erin', '19.ef');
  assert.equal(credentials.recall('monitored'), '');
});
