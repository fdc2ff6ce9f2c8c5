// What an agent's desk reads out of one conversation's events: who is in
// it, whether it is over for this agent, how long the customer has waited
// for an answer, and the transfer or conference under way. Pure: the
// events in, plain values out, so that it is tested without a browser.

import { isWhisper } from '../common/whisper.js';

const ENDINGS = new Set(['completed', 'declined', 'failed', 'cancelled']);
const HANDOVER_REQUESTS = new Set(['transfer.requested', 'conference.requested']);

/** The agents in it now, by id: {id, name}, in the order they joined. */
export function agentsIn(events) {
  const agents = new Map();
  for (const e of events) {
    if (e.type === 'participant.joined' && e.participant.role !== 'customer')
      agents.set(e.participant.id, e.participant);
    else if (e.type === 'participant.left') agents.delete(e.participant.id);
  }
  return [...agents.values()];
}

/**
 * Whether the conversation is over for agent `me`: 'closed', 'left'
 * (transferred away, left a conference, taken over), or '' while it is
 * theirs. A conversation that was resumed or came back is theirs again
 * only through a new offer, so the last word decides.
 */
export function endedFor(events, me) {
  let ended = '';
  for (const e of events) {
    if (e.type === 'conversation.closed') ended = 'closed';
    else if (e.type === 'participant.left' && e.participant.id === me)
      ended = e.reason === 'transferred' ? 'transferred' : 'left';
    else if (e.type === 'participant.joined' && e.participant.id === me) ended = '';
  }
  return ended;
}

/**
 * Since when the customer waits for an answer: the `ts` of their oldest
 * message that no agent answered after (a whisper is no answer); 0 when
 * nobody waits.
 */
export function waitingSince(events) {
  let since = 0;
  for (const e of events) {
    if (e.type !== 'message' || isWhisper(e)) continue;
    if (e.from.role === 'customer') since = since || e.ts;
    else since = 0;
  }
  return since;
}

/** The customer, as the conversation names them: {id, name}. */
export function customerOf(events, fallback) {
  for (const e of events)
    if (e.type === 'message' && e.from.role === 'customer')
      return { id: e.from.id, name: e.from.name || e.from.id };
  return fallback;
}

/**
 * The transfer or conference this conversation waits on, or null: the
 * last `*.requested` without its ending, and whether the customer has
 * been asked to agree.
 */
export function handoverUnderWay(events) {
  let open = null;
  for (const e of events) {
    if (HANDOVER_REQUESTS.has(e.type)) {
      open = { ...e, id: e.transfer || e.conference, asked: false };
    } else if (open && e.type === 'transfer.consent_request' && e.transfer === open.id) {
      open = { ...open, asked: true };
    } else if (open && ENDINGS.has(e.result) && (e.transfer || e.conference) === open.id) {
      open = null;
    } else if (e.type === 'conversation.closed') {
      open = null;
    }
  }
  return open;
}

/** A message from someone else: counts as unread when not looked at. */
export const isIncoming = (event, me) =>
  event.type === 'message' && event.from.id !== me;
