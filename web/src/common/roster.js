// The roster's rows from `agent.list`, every page of them (docs/protocol.md:
// a page ends at `limit` or at a frame, and `more` says whether the next
// one, after the last row's `agent`, holds more).

/**
 * Reads every page with `request(type, fields)`, which resolves with the
 * reply or rejects. Resolves with the rows and whether they are all of them:
 * `whole` is false when a page came back empty though more were said to
 * follow (agents that did not answer), where reading stops.
 */
export async function everyAgent(request, fields = {}) {
  const rows = [];
  for (;;) {
    const page =
      rows.length > 0 ? { ...fields, after_agent: rows[rows.length - 1].agent } : fields;
    const ok = await request('agent.list', page);
    rows.push(...ok.agents);
    if (!ok.more) return { rows, whole: true };
    if (ok.agents.length === 0) return { rows, whole: false };
  }
}
