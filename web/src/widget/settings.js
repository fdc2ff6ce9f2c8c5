// What the page embedding the widget says, through the iframe's URL
// (widget.js copies its data- attributes there): the title, and the queues
// or topics a customer may choose from. The protocol gives a customer no
// way to list them (docs/consoles.md, "Protocol gaps").

/** `sales:Sales,support:Customer support` -> [{id, label}]. */
export function parseChoices(text) {
  if (!text) return [];
  const choices = [];
  for (const item of text.split(',')) {
    const colon = item.indexOf(':');
    const id = (colon < 0 ? item : item.slice(0, colon)).trim();
    const label = colon < 0 ? id : item.slice(colon + 1).trim() || id;
    if (/^[A-Za-z0-9_.:@-]{1,64}$/.test(id)) choices.push({ id, label });
  }
  return choices;
}

export function readSettings(search = window.location.search) {
  const params = new URLSearchParams(search);
  return {
    title: params.get('title') || 'Chat with us',
    queues: parseChoices(params.get('queues')),
    topics: parseChoices(params.get('topics')),
    // A single fixed queue or topic, without a choice.
    queue: params.get('queue') || '',
    topic: params.get('topic') || '',
  };
}
