// Keyboard conventions the consoles share.

/** Enter sends, as in every chat; Shift+Enter starts a new line. */
export function sendOnEnter(e) {
  if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
  e.preventDefault();
  const { form } = e.currentTarget;
  // Safari before 16 has no requestSubmit.
  if (form.requestSubmit) form.requestSubmit();
  else form.dispatchEvent(new Event('submit', { cancelable: true }));
}
