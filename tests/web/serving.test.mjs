// baton serves the built consoles over HTTP as docs/consoles.md says:
// types, caching, gzip, the policy headers, and the API's answers kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startBaton } from './support/baton.mjs';

let baton;
before(async () => {
  baton = await startBaton();
});
after(async () => {
  await baton?.stop();
});

/** A raw HTTP request: the path goes as written (a URL would lose its
 * `..`), and the body as sent (fetch would undo the gzip). */
function get(path, { method = 'GET', headers = {} } = {}) {
  const { hostname, port } = new URL(baton.url);
  return new Promise((resolve, reject) => {
    const options = { host: hostname, port, path, method, headers };
    const req = request(options, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('the landing page, the widget, its loader and the desk are served', async () => {
  for (const [path, type] of [
    ['/', 'text/html; charset=utf-8'],
    ['/widget', 'text/html; charset=utf-8'],
    ['/desk', 'text/html; charset=utf-8'],
    ['/widget.js', 'text/javascript; charset=utf-8'],
  ]) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['content-type'], type, path);
    assert.equal(res.headers['cache-control'], 'no-cache', path);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
    assert.match(res.headers['content-security-policy'], /script-src 'self';/, path);
    assert.doesNotMatch(res.headers['content-security-policy'], /unsafe/, path);
  }
  // Only the widget may be framed by other sites; the desk holds a token.
  const desk = await get('/desk');
  assert.match(desk.headers['content-security-policy'], /frame-ancestors 'self'/);
  assert.match(desk.body.toString(), /src="assets\/desk-[A-Z0-9]+\.js"/);
});

test('hashed assets are immutable and come gzipped when asked', async () => {
  const page = (await get('/widget')).body.toString();
  const script = /src="(assets\/widget-[A-Z0-9]+\.js)"/.exec(page)?.[1];
  assert.ok(script, 'the page names its hashed bundle');
  const plain = await get(`/${script}`);
  assert.equal(plain.status, 200);
  assert.match(plain.headers['cache-control'], /immutable/);
  assert.equal(plain.headers['content-encoding'], undefined);
  const zipped = await get(`/${script}`, { headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'Accept-Encoding');
  assert.ok(zipped.body.length < plain.body.length / 2);
  assert.equal(zipped.body[0], 0x1f, 'a gzip stream');
  assert.equal(zipped.body[1], 0x8b);

  const again = await get(`/${script}`, {
    headers: { 'if-none-match': plain.headers.etag },
  });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
});

test('other paths and methods get the answers they got before', async () => {
  const missing = await get('/nothing-here');
  assert.equal(missing.status, 404);
  assert.deepEqual(JSON.parse(missing.body), {
    code: 'not_found',
    message: 'no such endpoint',
  });
  for (const path of ['/../etc/passwd', '/assets/../widget', '/widget/', '/%2e%2e/widget.js'])
    assert.equal((await get(path)).status, 404, path);
  const post = await get('/widget', { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  const head = await get('/widget', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.ok(Number(head.headers['content-length']) > 0);
  assert.equal((await get('/healthz')).body.toString(), 'ok\n');
});

test('a reload moves the consoles under a prefix, and turns them off', async () => {
  await baton.reconfigureConsole('prefix = "/chat"');
  assert.equal((await get('/widget')).status, 404);
  assert.equal((await get('/chat/widget')).status, 200);
  const bare = await get('/chat');
  assert.equal(bare.status, 308);
  assert.equal(bare.headers.location, '/chat/');

  await baton.reconfigureConsole('enabled = false');
  for (const path of ['/', '/widget', '/chat/widget', '/widget.js']) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.equal(JSON.parse(res.body).code, 'not_found', path);
  }
  assert.equal((await get('/healthz')).status, 200);
});
