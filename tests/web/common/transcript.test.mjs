// The transcript keeps each event once whatever order live events and
// history pages come in, and knows where the next read starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transcript, readHistory } from '../../../web/src/common/transcript.js';

const message = (seq, text = `m${seq}`) => ({ type: 'message', seq, text });

test('an event seen live and again in history is kept once', () => {
  const t = new Transcript();
  assert.equal(t.add(message(2)), true);
  assert.equal(t.add(message(2)), false);
  t.add(message(1));
  assert.deepEqual(t.events().map((e) => e.seq), [1, 2]);
});

test('events without a seq are not part of the transcript', () => {
  const t = new Transcript();
  assert.equal(t.add({ type: 'typing', conversation: 'c-1' }), false);
  assert.equal(t.size, 0);
});

test('history is read page by page from where the transcript is complete', async () => {
  const stored = [2, 3, 5, 6, 7].map((s) => message(s));
  const asked = [];
  const request = async (type, fields) => {
    asked.push(fields.after_seq);
    const after = stored.filter((e) => e.seq > fields.after_seq);
    return { ok: true, events: after.slice(0, 2), more: after.length > 2 };
  };
  const t = new Transcript();
  // A live event that came before the read must not make it skip 2..6.
  t.add(message(7));
  await readHistory(request, 'c-1', t);
  assert.deepEqual(asked, [0, 3, 6]);
  assert.deepEqual(t.events().map((e) => e.seq), [2, 3, 5, 6, 7]);
  assert.equal(t.synced, 7);

  // Live events move the cursor on until the socket drops.
  t.add(message(9));
  assert.equal(t.synced, 9);
  t.lost();
  t.add(message(12));
  assert.equal(t.synced, 9, 'after a drop, 10 and 11 may be missing');
});
