// Whispers are messages only agents (and supervisors) see: every staff
// console marks them, so that none passes for one the customer reads.

export const isWhisper = (event) =>
  event.type === 'message' && event.visibility === 'agents';
