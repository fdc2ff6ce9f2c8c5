// Every page of agent.list: each asked after the last row of the one
// before, until `more` is gone; an empty page that promises more ends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { everyAgent } from '../../../web/src/common/roster.js';

/** A server with `ids`, `size` rows a page. */
function server(ids, size, asked = []) {
  return async (type, fields) => {
    assert.equal(type, 'agent.list');
    asked.push(fields);
    const rest = ids.filter((id) => !fields.after_agent || id > fields.after_agent);
    return { agents: rest.slice(0, size).map((agent) => ({ agent })), more: rest.length > size };
  };
}

test('reads every page, each after the last row of the one before', async () => {
  const asked = [];
  const { rows, whole } = await everyAgent(server(['a', 'b', 'c', 'd', 'e'], 2, asked), {
    queue: 'sales',
  });
  assert.deepEqual(
    rows.map((r) => r.agent),
    ['a', 'b', 'c', 'd', 'e'],
  );
  assert.equal(whole, true);
  assert.deepEqual(asked, [
    { queue: 'sales' },
    { queue: 'sales', after_agent: 'b' },
    { queue: 'sales', after_agent: 'd' },
  ]);
});

test('an empty page that promises more stops the reading, not whole', async () => {
  const { rows, whole } = await everyAgent(async () => ({ agents: [], more: true }));
  assert.deepEqual(rows, []);
  assert.equal(whole, false);
});

test('a refusal rejects as the request did', async () => {
  await assert.rejects(
    everyAgent(async () => {
      throw new Error('forbidden');
    }),
    /forbidden/,
  );
});
