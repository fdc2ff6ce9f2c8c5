// A supervisor's board in Chromium against a real baton: signing in
// through the link `baton token --link` prints, a queue tile counting a
// customer who waits, an agent going ready in the grid, assigning the
// waiting conversation to that agent, monitoring it with the agent's
// whisper marked agents-only, and taking it over with a message the
// customer gets; then an offer counted out, how it was routed, and an
// unassign with a reason; last, the server restarted under a monitored
// conversation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connectAgent, startCustomer } from '../support/agent.mjs';
import { startBatonAndBrowser, stopBatonAndBrowser, screenshot } from '../support/browser.mjs';
import { LAPTOP, includes, assertLabelled, keepScreens } from '../desk/pages.mjs';

let baton;
let browser;

before(async () => ({ baton, browser } = await startBatonAndBrowser()));
after(() => stopBatonAndBrowser({ baton, browser }));

/** A figure of a queue's tile, once it reads `value`. */
function figure(page, queue, name, value) {
  return page.waitForFunction(
    (q, n, v) =>
      document.querySelector(`.tile[data-queue="${q}"] [data-figure="${n}"]`)?.textContent === v,
    {},
    queue,
    name,
    value,
  );
}

/** The board opened from erin's sign-in link, subscribed; `problems`
 * collects script errors and CSP violations. */
async function openBoard() {
  const link = await baton.link('supervisor', 'erin');
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/board#user=erin&token=\d+\.[0-9a-f]{64}$/);
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(LAPTOP);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(link);
  // Subscribed once the connection is open: what follows is seen live.
  await page.waitForSelector('.board[data-connection=open]');
  return { page, problems };
}

const row = (conversation) => `.conversations tr[data-conversation="${conversation}"]`;

/** A customer `name` writes `text` into sales, alice accepts, and the
 * board monitors the conversation: its customer and alice. */
async function monitorAChat(page, name, text) {
  const alice = await connectAgent(baton, 'alice');
  const customer = await startCustomer(baton, name, { queue: 'sales', text });
  const offer = await alice.waitFor(
    (e) => e.type === 'offer' && e.conversation === customer.conversation,
    'the offer',
  );
  await alice.request('offer.accept', { offer: offer.offer });
  await page.waitForSelector(`${row(customer.conversation)}[data-state=assigned]`);
  await page.click(`${row(customer.conversation)} button.monitor`);
  await includes(page, '#monitor-panel .transcript', text);
  return { alice, customer };
}

/** The server crashes under the board and starts again; alice's socket
 * goes with it. */
async function restartUnder(page, alice) {
  await baton.crash();
  await page.waitForSelector('.board:not([data-connection=open]) .banner');
  alice.close();
  await baton.start();
}

test('a supervisor watches the queues and agents, assigns, monitors and takes over', async () => {
  let page;
  let dave;
  let customer;
  try {
    let problems;
    ({ page, problems } = await openBoard());
    assert.equal(await page.evaluate(() => window.location.hash), '');
    assert.equal(new URL(page.url()).pathname, '/board');
    assert.match(
      await page.evaluate(() => window.sessionStorage.getItem('baton.board')),
      /"user":"erin"/,
    );
    await figure(page, 'returns', 'waiting', '0');
    // Nothing has left the line yet: no estimate, and the tile says so.
    await figure(page, 'returns', 'estimate', '–');
    await page.waitForSelector('tr[data-agent=dave] [data-status=offline]');

    // Returns is a pull queue: the customer waits there until someone acts.
    customer = await startCustomer(baton, 'Dana', { queue: 'returns', text: 'Where is my refund?' });
    await figure(page, 'returns', 'waiting', '1');
    await page.waitForSelector(`${row(customer.conversation)}[data-state=queued]`);
    await includes(page, row(customer.conversation), 'Dana');

    dave = await connectAgent(baton, 'dave');
    await page.waitForSelector('tr[data-agent=dave] [data-status=ready]');
    await assertLabelled(page);
    await screenshot(page, 'board-overview');

    // Monitor it, then give it to Dave.
    await page.click(`${row(customer.conversation)} button.monitor`);
    await page.waitForSelector(`#monitor-panel[data-conversation="${customer.conversation}"]`);
    await includes(page, '#monitor-panel .transcript', 'Where is my refund?');
    await page.click('details.assign summary');
    await page.select('#assign-agent', 'dave');
    await page.click('details.assign button[type=submit]');
    const offer = await dave.waitFor(
      (e) => e.type === 'offer' && e.conversation === customer.conversation,
      'the assignment offer',
    );
    assert.equal(offer.kind, 'assign');
    assert.equal(offer.from_agent, 'erin');
    await dave.request('offer.accept', { offer: offer.offer });
    await page.waitForSelector(`${row(customer.conversation)}[data-state=assigned]`);
    await page.waitForSelector(`${row(customer.conversation)} .assignee[data-agent=dave]`);
    await figure(page, 'returns', 'waiting', '0');
    await page.waitForSelector('tr[data-agent=dave] .load');
    await includes(page, 'tr[data-agent=dave] .load', '1 of 2');

    // Dave's whisper reaches the monitor, marked agents-only.
    await dave.request('whisper.send', { conversation: customer.conversation, text: 'Refund is late, be kind' });
    const whisper = await page.waitForSelector('#monitor-panel .msg.whisper');
    assert.match(
      await whisper.evaluate((w) => w.textContent),
      /agents only[\s\S]*Refund is late, be kind/,
    );
    assert.equal(await whisper.evaluate((w) => w.dataset.visibility), 'agents');
    // Monitoring is read-only: nothing to write with.
    assert.equal(await page.$('#board-composer'), null);
    await screenshot(page, 'board-monitor-whisper');

    // Take over and send: Dave is out, the customer reads Erin.
    await page.click('details.takeover summary');
    await page.type('#takeover-text', 'Hello Dana, I am looking into it.');
    await page.click('details.takeover button.take-send');
    const message = await customer.waitFor(
      (e) => e.type === 'message' && e.from.id === 'erin',
      "Erin's message",
    );
    assert.equal(message.text, 'Hello Dana, I am looking into it.');
    const left = await dave.waitFor(
      (e) => e.type === 'participant.left' && e.participant.id === 'dave',
      'leaving',
    );
    assert.equal(left.reason, 'taken_over');
    await page.waitForSelector(`${row(customer.conversation)} .assignee[data-agent=erin]`);
    await includes(page, '#monitor-panel .transcript', 'Hello Dana, I am looking into it.');
    // Now in it, Erin writes on.
    await page.type('#board-composer', 'It went out today.');
    await page.keyboard.press('Enter');
    await customer.waitFor((e) => e.type === 'message' && e.text === 'It went out today.', 'the reply');
    await screenshot(page, 'board-takeover');
    assert.deepEqual(customer.events.filter((e) => e.visibility === 'agents'), [],
      'the customer never gets the whisper');
    assert.deepEqual(problems, []);
  } catch (err) {
    await keepScreens('board', [page]);
    throw err;
  } finally {
    dave?.close();
    customer?.close();
  }
});

test('an offer is counted out, and an assigned conversation is unassigned with a reason', async () => {
  let page;
  let carol;
  let customer;
  try {
    let problems;
    ({ page, problems } = await openBoard());
    carol = await connectAgent(baton, 'carol');
    await page.waitForSelector('tr[data-agent=carol] [data-status=ready]');

    customer = await startCustomer(baton, 'Eve', { queue: 'support', text: 'My invoice is wrong' });
    const offer = await carol.waitFor(
      (e) => e.type === 'offer' && e.conversation === customer.conversation,
      'the offer',
    );
    await figure(page, 'support', 'offers', '1');
    await carol.request('offer.accept', { offer: offer.offer });
    await page.waitForSelector(`${row(customer.conversation)}[data-state=assigned]`);
    await figure(page, 'support', 'offers', '0');

    // By keyboard alone: the row's Monitor button, then the Unassign form.
    await page.focus(`${row(customer.conversation)} button.monitor`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#monitor-panel[data-conversation="${customer.conversation}"]`);
    // How it was routed, as the server tells it.
    await page.click('details.routing summary');
    await page.waitForSelector('details.routing .step[data-step=assigned]');
    await includes(page, 'details.routing', 'Entered queue support.');
    await includes(page, 'details.routing', 'Offered to carol by longest_idle');
    await includes(page, 'details.routing', 'Assigned to carol.');
    await screenshot(page, 'board-routing');
    await page.focus('details.unassign summary');
    await page.keyboard.press('Enter');
    await page.waitForSelector('details.unassign[open]');
    await page.select('#unassign-target', 'queue:returns');
    await page.type('#unassign-topic', 'billing');
    await page.type('#unassign-note', 'A refund is owed');
    await assertLabelled(page);
    await screenshot(page, 'board-unassign');
    await page.focus('#unassign-note');
    await page.keyboard.press('Enter');

    const left = await carol.waitFor(
      (e) => e.type === 'participant.left' && e.participant.id === 'carol',
      'leaving',
    );
    assert.equal(left.reason, 'transferred');
    await includes(page, '.notices', 'Transfer request placed successfully');
    await page.waitForSelector(`${row(customer.conversation)}[data-state=queued]`);
    await includes(page, row(customer.conversation), 'returns');
    await includes(page, '#monitor-panel .transcript', 'reason billing');
    await includes(page, '#monitor-panel .transcript', 'A refund is owed');
    assert.deepEqual(problems, []);
  } catch (err) {
    await keepScreens('board-unassign', [page]);
    throw err;
  } finally {
    carol?.close();
    customer?.close();
  }
});

test('after a restart the board monitors again, each event once', async () => {
  let page;
  let alice;
  let customer;
  try {
    let problems;
    ({ page, problems } = await openBoard());
    ({ alice, customer } = await monitorAChat(page, 'Fay', 'Before the restart'));
    await restartUnder(page, alice);
    await page.waitForSelector('.board[data-connection=open]');
    // Nothing said what happened while the board was away: the row is
    // shown as of then, greyed, until the conversation changes again.
    await page.waitForSelector(`${row(customer.conversation)}[data-stale=true]`);
    await screenshot(page, 'board-stale-rows');

    alice = await connectAgent(baton, 'alice');
    await alice.request('message.send', { conversation: customer.conversation, text: 'After the restart' });
    await includes(page, '#monitor-panel .transcript', 'After the restart');
    const seqs = await page.$$eval('#monitor-panel .transcript [data-seq]', (els) =>
      els.map((e) => Number(e.dataset.seq)),
    );
    assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'each event once, in order');
    const texts = await page.$$eval('#monitor-panel .msg .text', (els) => els.map((e) => e.textContent));
    assert.deepEqual(texts, ['Before the restart', 'After the restart']);
    await alice.request('conversation.close', { conversation: customer.conversation });
    await page.waitForSelector(`${row(customer.conversation)}[data-state=closed]:not([data-stale])`);
    // The socket dropping is no script error; the failed reconnects are
    // Chromium's own console lines about the socket.
    assert.deepEqual(problems.filter((p) => !/WebSocket/.test(p)), []);
  } catch (err) {
    await keepScreens('board-restart', [page]);
    throw err;
  } finally {
    alice?.close();
    customer?.close();
  }
});

test('a monitored conversation that closed before a restart: the board connects again and says so', async () => {
  let page;
  let alice;
  let customer;
  try {
    let problems;
    ({ page, problems } = await openBoard());
    ({ alice, customer } = await monitorAChat(page, 'Gus', 'Soon closed'));
    await customer.request('conversation.close', { conversation: customer.conversation });
    await page.waitForSelector(`${row(customer.conversation)}[data-state=closed]`);
    await restartUnder(page, alice);
    // Monitoring it again is refused: the board stops monitoring it and is
    // connected, not left "connecting" with the session half set up.
    await page.waitForSelector('.board[data-connection=open]');
    await includes(page, '.notices', 'Monitoring of the conversation ended');
    assert.equal(await page.$('#monitor-panel'), null);
    await screenshot(page, 'board-monitor-ended');
    assert.deepEqual(problems.filter((p) => !/WebSocket/.test(p)), []);
  } catch (err) {
    await keepScreens('board-monitor-ended', [page]);
    throw err;
  } finally {
    alice?.close();
    customer?.close();
  }
});
