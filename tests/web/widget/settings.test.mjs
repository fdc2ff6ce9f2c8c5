// The choices the embedding page offers reach the start form intact, and
// nothing else gets in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChoices } from '../../../web/src/widget/settings.js';

test('queue choices are ids with labels', () => {
  assert.deepEqual(parseChoices('sales:Sales,support:Customer support'), [
    { id: 'sales', label: 'Sales' },
    { id: 'support', label: 'Customer support' },
  ]);
  assert.deepEqual(parseChoices('returns'), [{ id: 'returns', label: 'returns' }]);
  assert.deepEqual(parseChoices(''), []);
  assert.deepEqual(parseChoices(null), []);
});

test('an id that is not a protocol identifier is left out', () => {
  assert.deepEqual(parseChoices('bad id:X,ok:Y, :Z,' + 'a'.repeat(65) + ':W'), [
    { id: 'ok', label: 'Y' },
  ]);
});
