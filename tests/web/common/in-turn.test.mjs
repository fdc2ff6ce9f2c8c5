// A few at a time: never more than the width in flight, every item run
// once, and one failure stops none of the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inTurn } from '../../../web/src/common/in-turn.js';

test('runs every item once, never more than the width at once', async () => {
  let running = 0;
  let most = 0;
  const done = [];
  await inTurn([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setImmediate(resolve));
    running -= 1;
    done.push(n);
  });
  assert.equal(most, 3);
  assert.deepEqual([...done].sort(), [1, 2, 3, 4, 5, 6, 7]);
});

test('a failing item stops none of the others', async () => {
  const done = [];
  await inTurn(['a', 'b', 'c'], 1, async (x) => {
    if (x === 'a') throw new Error('refused');
    done.push(x);
  });
  assert.deepEqual(done, ['b', 'c']);
});

test('nothing to run resolves at once', async () => {
  await inTurn([], 4, () => assert.fail('nothing to run'));
});
