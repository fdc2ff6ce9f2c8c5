// What the desk reads out of a conversation's events: who is in it,
// whether it is over for this agent, who waits for an answer, and the
// hand-over under way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  agentsIn,
  endedFor,
  waitingSince,
  handoverUnderWay,
} from '../../../web/src/desk/conversation.js';

const alice = { id: 'alice', role: 'agent', name: 'Alice' };
const carol = { id: 'carol', role: 'agent', name: 'Carol' };
const dana = { id: 'v-1', role: 'customer', name: 'Dana' };
const joined = (participant) => ({ type: 'participant.joined', participant });
const left = (participant, reason = 'left') => ({ type: 'participant.left', participant, reason });
const say = (from, ts, visibility = 'all') => ({ type: 'message', from, ts, text: 'x', visibility });

test('the agents in it are those who joined and have not left', () => {
  assert.deepEqual(agentsIn([joined(alice), joined(carol), left(alice)]), [carol]);
  assert.deepEqual(agentsIn([joined(dana)]), [], 'a customer is no agent');
});

test('a conversation is over for an agent who left it, and for everyone once closed', () => {
  const events = [joined(alice), joined(carol), left(alice, 'transferred')];
  assert.equal(endedFor(events, 'alice'), 'transferred');
  assert.equal(endedFor(events, 'carol'), '');
  assert.equal(endedFor([...events, joined(alice)], 'alice'), '', 'taken back by a new offer');
  assert.equal(endedFor([...events, { type: 'conversation.closed' }], 'carol'), 'closed');
});

test('the customer waits from their first unanswered message; a whisper answers nothing', () => {
  assert.equal(waitingSince([say(dana, 10), say(dana, 20)]), 10);
  assert.equal(waitingSince([say(dana, 10), say(alice, 15)]), 0);
  assert.equal(waitingSince([say(dana, 10), say(alice, 15, 'agents')]), 10);
  assert.equal(waitingSince([say(dana, 10), say(alice, 15), say(dana, 30)]), 30);
});

test('a transfer is under way from its request to its ending', () => {
  const requested = {
    type: 'transfer.requested',
    transfer: 't-1',
    to_queue: 'sales',
    from: alice,
  };
  const asked = { type: 'transfer.consent_request', transfer: 't-1' };
  assert.equal(handoverUnderWay([requested]).asked, false);
  assert.equal(handoverUnderWay([requested, asked]).asked, true);
  assert.equal(
    handoverUnderWay([requested, asked, { type: 'transfer.declined', transfer: 't-1', result: 'declined' }]),
    null,
  );
  assert.equal(
    handoverUnderWay([requested, { type: 'transfer.completed', transfer: 't-2', result: 'completed' }]).id,
    't-1',
    "another transfer's ending is not this one's",
  );
});
