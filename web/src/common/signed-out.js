// Why the server ended a staff console's session for good, in the words the
// sign-in form shows.

/** The close code for a token refused or run out, or a member taken off the
 * roster: retrying would be refused again. */
const ENDED_FOR_GOOD = 1008;

const REASONS = {
  unauthorized: () => 'The server refused this sign-in.',
  token_expired: () => 'The sign-in expired: open a new sign-in link.',
  removed_from_roster: () => 'You are no longer on the roster of this centre.',
  limit_reached: (role) => `Too many sessions are open for this ${role}.`,
};

/**
 * What to tell a `role` ('agent', 'supervisor') whose socket closed with
 * `code` and `reason`, with the refusal of its `hello` if there was one; or
 * '' when the session may simply reconnect.
 */
export function signedOutText(code, reason, role, helloRefusal) {
  if (code !== ENDED_FOR_GOOD) return '';
  const why = REASONS[reason]?.(role) || `The server ended the session (${reason}).`;
  return helloRefusal ? `${why} (${helloRefusal})` : why;
}
