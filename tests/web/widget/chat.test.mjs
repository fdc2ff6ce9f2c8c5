// The customer widget in Chromium at phone width, against a real baton,
// with an agent on a WebSocket: start, chat both ways, reload mid-chat,
// answer a transfer question, and the end of the chat.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connectAgent } from '../support/agent.mjs';
import { startBatonAndBrowser, stopBatonAndBrowser, screenshot, PHONE } from '../support/browser.mjs';

let baton;
let browser;

before(async () => ({ baton, browser } = await startBatonAndBrowser()));
after(() => stopBatonAndBrowser({ baton, browser }));

/** A new visitor: its own browser context, so its own localStorage. */
async function openWidget(query = '?queues=sales:Sales,support:Customer%20support') {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(PHONE);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${baton.url}/widget${query}`);
  return { page, context, problems };
}

function transcriptIncludes(page, text) {
  return page.waitForFunction(
    (t) => document.querySelector('.transcript')?.textContent.includes(t),
    {},
    text,
  );
}

function seqs(page) {
  return page.$$eval('.transcript [data-seq]', (els) =>
    els.map((e) => Number(e.dataset.seq)),
  );
}

/** The ids of the form controls that no label names. */
function unlabelled(page) {
  return page.$$eval('input, textarea, select', (els) =>
    els.filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id),
  );
}

async function startChat(page, { name, text, queue }) {
  await page.waitForSelector('form.start button[type=submit]:not([disabled])');
  assert.deepEqual(await unlabelled(page), []);
  await page.type('#start-name', name);
  if (queue) await page.select('#start-queue', queue);
  await page.type('#start-text', text);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#composer-text');
}

test('a customer chats with an agent, reloads, and finds the chat once', async () => {
  const alice = await connectAgent(baton, 'alice');
  const { page, context, problems } = await openWidget();
  try {
    await startChat(page, { name: 'Dana', text: 'Do you ship to Norway?' });
    await transcriptIncludes(page, 'A sales agent will be with you soon');
    assert.match(await page.$eval('.status', (e) => e.textContent), /Waiting/);
    // The queue says where the chat stands in its line.
    await page.waitForFunction(() =>
      document.querySelector('.status')?.textContent.includes('You are next in line.'),
    );
    await screenshot(page, 'widget-waiting');
    // A reload keeps the place: `hello` says where the chat stands, before
    // the line moves again.
    await page.reload();
    await page.waitForFunction(() =>
      document.querySelector('.status')?.textContent.includes('You are next in line.'),
    );

    const offer = await alice.waitFor((e) => e.type === 'offer', 'the offer');
    assert.equal(offer.content, 'Do you ship to Norway?');
    assert.equal(offer.customer.name, 'Dana');
    const { conversation } = offer;
    await alice.request('offer.accept', { offer: offer.offer });
    await page.waitForFunction(() =>
      document.querySelector('.status')?.textContent.includes('Chatting with Alice'),
    );

    await alice.request('typing', { conversation });
    await page.waitForFunction(() =>
      document.querySelector('.typing')?.textContent.includes('Alice is typing'),
    );
    await alice.request('message.send', { conversation, text: 'Yes, in 3 to 5 days.' });
    await transcriptIncludes(page, 'Yes, in 3 to 5 days.');
    assert.equal(await page.$eval('.typing', (e) => e.textContent.trim()), '',
      'a message ends the typing line');

    await page.type('#composer-text', 'Great, thanks!');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.msg.mine:not(.pending)')].some(
        (m) => m.textContent.includes('Great, thanks!') && m.querySelector('[data-state=sent]'),
      ),
    );
    const reply = await alice.waitFor(
      (e) => e.type === 'message' && e.text === 'Great, thanks!',
      "the customer's reply",
    );
    assert.equal(reply.from.role, 'customer');
    await page.waitForFunction(
      (seq) => document.querySelector(`[data-seq="${seq}"]`),
      {},
      reply.seq,
    );
    assert.deepEqual(await unlabelled(page), []);
    assert.equal(await page.$eval('.transcript', (e) => e.getAttribute('role')), 'log');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `fits a phone's width, not ${width}px`);
    await screenshot(page, 'widget-chat');
    const before = await seqs(page);

    await page.reload();
    await page.waitForFunction(
      (seq) => document.querySelector(`[data-seq="${seq}"]`),
      {},
      reply.seq,
    );
    const after = await seqs(page);
    assert.deepEqual(after, before, 'the same events, in order, once each');
    assert.equal(new Set(after).size, after.length);
    const agentLines = await page.$$eval('.msg', (els) =>
      els.filter((e) => e.textContent.includes('Yes, in 3 to 5 days.')).length,
    );
    assert.equal(agentLines, 1);
    assert.equal(await page.$('.pending'), null, 'nothing left to send');
    await screenshot(page, 'widget-after-reload');

    await alice.request('conversation.close', { conversation, wrap_up: 'resolved' });
    await transcriptIncludes(page, 'This chat has ended.');
    await page.waitForSelector('.actions button');
    assert.match(await page.$eval('.status', (e) => e.textContent), /Chat ended/);
    assert.deepEqual(problems, [], 'no script error, no CSP violation');
  } finally {
    alice.close();
    await context.close();
  }
});

test('a transfer question is answered with its yes and no buttons', async () => {
  const alice = await connectAgent(baton, 'alice');
  const { page, context, problems } = await openWidget();
  try {
    await startChat(page, { name: 'Eve', text: 'My invoice is wrong', queue: 'support' });
    const offer = await alice.waitFor(
      (e) => e.type === 'offer' && e.customer.name === 'Eve',
      'the offer',
    );
    const { conversation } = offer;
    await alice.request('offer.accept', { offer: offer.offer });
    await page.waitForFunction(() =>
      document.querySelector('.status')?.textContent.includes('Chatting with Alice'),
    );

    const transfer = (note) =>
      alice.request('transfer.request', {
        conversation,
        to_queue: 'sales',
        topic: 'billing',
        note,
      });
    const first = await transfer('Billing knows this');
    await page.waitForSelector('.consent button');
    await screenshot(page, 'widget-consent');
    const [yes, no] = await page.$$('.consent button');
    assert.equal(await yes.evaluate((b) => b.textContent.trim()), 'Yes');
    await no.click();
    const declined = await alice.waitFor(
      (e) => e.type === 'transfer.declined' && e.transfer === first.transfer,
      'the refusal',
    );
    assert.equal(declined.reason, 'customer');
    await page.waitForFunction(() => !document.querySelector('.consent'));

    const second = await transfer('Second try');
    await page.waitForSelector('.consent button');
    await page.click('.consent button:not(.secondary)');
    await alice.waitFor(
      (e) => e.type === 'participant.left' && e.conversation === conversation,
      'leaving on the transfer',
    );
    await page.waitForFunction(() =>
      document.querySelector('.status')?.textContent.includes('Waiting'),
    );
    assert.equal(await page.$('.consent'), null);
    assert.ok(second.transfer);
    assert.deepEqual(problems, []);
  } finally {
    alice.close();
    await context.close();
  }
});

test('after the server crashes the widget reconnects, sends what waited, and misses nothing', async () => {
  const alice = await connectAgent(baton, 'alice');
  const { page, context } = await openWidget();
  let alice2;
  try {
    await startChat(page, { name: 'Finn', text: 'Is the shop open on Sunday?' });
    const offer = await alice.waitFor(
      (e) => e.type === 'offer' && e.customer.name === 'Finn',
      'the offer',
    );
    const { conversation } = offer;
    await alice.request('offer.accept', { offer: offer.offer });
    await page.waitForFunction(() =>
      document.querySelector('.status')?.textContent.includes('Chatting with Alice'),
    );

    await baton.crash();
    await page.waitForFunction(() =>
      document.querySelector('[role=alert]')?.textContent.includes('reconnecting'),
    );
    await page.type('#composer-text', 'Hello? Anyone there?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.pending [data-state=sending]');
    await screenshot(page, 'widget-reconnecting');

    await baton.start();
    alice2 = await connectAgent(baton, 'alice');
    const waited = await alice2.waitFor(
      (e) => e.type === 'message' && e.text === 'Hello? Anyone there?',
      'the message that waited',
    );
    await alice2.request('message.send', { conversation, text: 'Yes, from 10 to 4.' });
    await transcriptIncludes(page, 'Yes, from 10 to 4.');
    await page.waitForFunction(
      (seq) => document.querySelector(`[data-seq="${seq}"]`),
      {},
      waited.seq,
    );
    assert.equal(await page.$('.pending'), null, 'nothing left to send');
    // The banner goes once the catch-up is done, which may end after the
    // agent's message came live.
    await page.waitForFunction(() => !document.querySelector('[role=alert]'));
    const shown = await seqs(page);
    assert.equal(new Set(shown).size, shown.length, 'no event twice');
    const waitedLines = await page.$$eval('.msg', (els) =>
      els.filter((e) => e.textContent.includes('Hello? Anyone there?')).length,
    );
    assert.equal(waitedLines, 1, 'sent once, shown once');
  } finally {
    alice.close();
    alice2?.close();
    await context.close();
  }
});

test('a name the server would refuse is refused at once, and the visitor can still chat', async () => {
  const { page, context, problems } = await openWidget();
  try {
    await page.waitForSelector('form.start button[type=submit]:not([disabled])');
    // 100 characters fit the field, but they are 300 bytes: the server takes 256.
    await page.type('#start-name', 'あ'.repeat(100));
    await page.type('#start-text', 'Hello there');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.body.textContent.includes('Your name is too long: please shorten it.'),
    );
    await screenshot(page, 'widget-name-too-long');
    assert.equal(
      await page.evaluate(() => JSON.parse(localStorage.getItem('baton.widget') || '{}').name),
      undefined,
      'a refused name is not kept for the next hello',
    );
    await page.$eval('#start-name', (e) => {
      e.value = '';
      e.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.type('#start-name', 'Ana');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#composer-text');
    await page.reload();
    await transcriptIncludes(page, 'Hello there');
    assert.equal(
      await page.evaluate(() => JSON.parse(localStorage.getItem('baton.widget')).name),
      'Ana',
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a message over the frame limit is marked not sent, and the next one goes', async () => {
  const alice = await connectAgent(baton, 'alice');
  const { page, context, problems } = await openWidget();
  try {
    await startChat(page, { name: 'Bo', text: 'A big paste follows' });
    const offer = await alice.waitFor(
      (e) => e.type === 'offer' && e.customer.name === 'Bo',
      'the offer',
    );
    await alice.request('offer.accept', { offer: offer.offer });
    await page.$eval('#composer-text', (t) => {
      t.value = 'y'.repeat(70000);
      t.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.msg.mine [data-state=failed]');
    await page.type('#composer-text', 'Sorry, here is the short version');
    await page.keyboard.press('Enter');
    await alice.waitFor(
      (e) => e.type === 'message' && e.text === 'Sorry, here is the short version',
      'the short message',
    );
    assert.equal(await page.$$eval('[data-state=failed]', (els) => els.length), 1);
    assert.deepEqual(problems, []);
  } finally {
    alice.close();
    await context.close();
  }
});
