// A sign-in link's token moves from the address to the tab's storage and
// out of the address bar; nothing else is taken for one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCredentials } from '../../../web/src/desk/credentials.js';

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
  };
}

function address(hash) {
  const replaced = [];
  return {
    location: { pathname: '/desk', search: '?x=1', hash },
    history: { replaceState: (state, title, url) => replaced.push(url) },
    replaced,
  };
}

test('the link signs in and its fragment is cleared', () => {
  const storage = memoryStorage();
  const { location, history, replaced } = address('#user=alice&token=17.ab');
  const credentials = createCredentials(storage);
  assert.equal(credentials.takeFromAddress(location, history), true);
  assert.deepEqual(credentials.get(), { user: 'alice', token: '17.ab' });
  assert.deepEqual(replaced, ['/desk?x=1'], 'the token leaves the address bar');
  assert.deepEqual(createCredentials(storage).get(), { user: 'alice', token: '17.ab' },
    'a reload of the tab finds it');
});

test('an address without both user and token changes nothing', () => {
  const storage = memoryStorage();
  for (const hash of ['', '#token=17.ab', '#user=alice']) {
    const { location, history, replaced } = address(hash);
    const credentials = createCredentials(storage);
    assert.equal(credentials.takeFromAddress(location, history), false);
    assert.equal(credentials.get(), null);
    assert.deepEqual(replaced, []);
  }
});

test('the chosen status is kept until sign-out, and a new sign-in forgets it', () => {
  const storage = memoryStorage();
  const credentials = createCredentials(storage);
  credentials.signIn('alice', '17.ab');
  credentials.status = 'ready';
  assert.equal(createCredentials(storage).status, 'ready');
  credentials.signIn('bob', '18.cd');
  assert.equal(credentials.status, '');
  credentials.signOut();
  assert.equal(createCredentials(storage).get(), null);
});
