// Waits, countdowns and ages, as every console shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clock } from '../../../web/src/common/clock.js';

test('waits and countdowns read as minutes and seconds', () => {
  assert.equal(clock(0), '0:00');
  assert.equal(clock(61_500), '1:01');
  assert.equal(clock(3_723_000), '1:02:03');
  assert.equal(clock(-5), '0:00', 'an expired offer shows no negative time');
});
