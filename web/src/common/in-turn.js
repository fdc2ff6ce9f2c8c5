// A few requests at a time: a console that reads back dozens of
// conversations after a reconnect must stay within the server's bounds on
// requests in flight and per second (docs/protocol.md, `[limits]`).

/** Runs `run(item)` for each of `items`, at most `width` at once; resolves
 * when all have settled. A rejection is `run`'s own to handle. */
export async function inTurn(items, width, run) {
  const waiting = [...items];
  const worker = async () => {
    while (waiting.length > 0) {
      try {
        await run(waiting.shift());
      } catch {
        // The item's own failure: the others still run.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, waiting.length) }, worker));
}
