// Two desks hand a conversation between them, in Chromium against a real
// baton: a conference brings the second agent in, a whisper shows on both
// desks and never reaches the customer, the first agent leaves, and a warm
// transfer with the customer's consent offers the conversation back with
// who sent it, the note and the history. Then the pull queue: a desk picks
// from its waiting list, loses the server and finds it all again; a long
// waiting list shows its top and says that more wait.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCustomer } from '../support/agent.mjs';
import { startBatonAndBrowser, stopBatonAndBrowser, screenshot } from '../support/browser.mjs';
import { openDesk, goReady, includes, seqs, assertLabelled, tab, drive } from './pages.mjs';

let baton;
let browser;

before(async () => ({ baton, browser } = await startBatonAndBrowser()));
after(() => stopBatonAndBrowser({ baton, browser }));

async function signInReady(user) {
  const desk = await openDesk(browser, await baton.link('agent', user));
  await goReady(desk.page);
  return desk;
}

/** Accepts the one offer on `page` and waits for its tab. */
async function acceptOnly(page, conversation) {
  await page.waitForSelector('.offer button.accept');
  await page.click('.offer button.accept');
  await page.waitForSelector(`${tab(conversation)}[aria-selected=true]`);
}

function send(page, text, { whisper = false } = {}) {
  return (async () => {
    const on = await page.$eval('#composer-whisper', (c) => c.checked);
    if (on !== whisper) await page.click('#composer-whisper');
    await page.type('#composer-text', text);
    await page.keyboard.press('Enter');
  })();
}

async function handOver(page, { kind, queue, agent, topic, note, warm }) {
  await page.click(kind === 'transfer' ? '.chat-actions .transfer-open' : '.chat-actions .conference-open');
  const form = `form.handover[data-kind=${kind}]`;
  await page.waitForSelector(`${form} select option`);
  // The chosen queue's agents (or why they are not shown) render a moment
  // later and move what is below the choice: wait for them before clicking.
  await page.waitForSelector(`${form} .queue-agents, ${form} .hint`);
  if (agent) {
    await page.click(`${form} input[value=agent]`);
    // The agent field replaces the queue list once the choice renders.
    await page.waitForSelector(`#${kind}-agent`);
    await page.type(`#${kind}-agent`, agent);
  } else {
    await page.select(`#${kind}-queue`, queue);
  }
  if (topic) await page.type(`#${kind}-topic`, topic);
  if (warm) await page.click(`${form} input[value=warm]`);
  if (note) await page.type(`#${kind}-note`, note);
  await assertLabelled(page);
  await page.click(`${form} button[type=submit]`);
  await page.waitForFunction((f) => !document.querySelector(f), {}, form);
}

test('a conference, a whisper on both desks, leave, and a warm transfer back', async () => {
  let alice;
  let carol;
  let finn;
  await drive('desk-handover', () => [alice, carol, finn], async () => {
      alice = await signInReady('alice');
      carol = await signInReady('carol');
      finn = await startCustomer(baton, 'Finn', { queue: 'sales', text: 'I was charged twice' });
      const id = finn.conversation;
      await acceptOnly(alice.page, id);
      await send(alice.page, 'Let me check that for you.');
      await finn.waitFor((e) => e.type === 'message' && e.text === 'Let me check that for you.');

      await handOver(alice.page, { kind: 'conference', agent: 'carol', note: 'Billing question' });
      const offer = await carol.page.waitForSelector('.offer[data-kind=conference]');
      assert.match(await offer.evaluate((o) => o.textContent), /From alice[\s\S]*Billing question/);
      await acceptOnly(carol.page, id);
      await includes(alice.page, '.chat-where', 'with Alice, Carol');

      await send(alice.page, 'He is a VIP', { whisper: true });
      const seen = await carol.page.waitForFunction(() =>
        [...document.querySelectorAll('.msg.whisper')].find((m) => m.textContent.includes('He is a VIP')),
      );
      assert.match(await seen.evaluate((m) => m.textContent), /agents only/);
      await send(carol.page, 'Hello Finn, Carol from billing here.');
      await finn.waitFor((e) => e.type === 'message' && e.text.startsWith('Hello Finn'));
      assert.equal(
        finn.events.some((e) => e.visibility === 'agents' || String(e.text).includes('VIP')),
        false,
        'the customer never gets the whisper',
      );
      await screenshot(carol.page, 'desk-conference-whisper');

      await alice.page.click('.chat-actions .leave');
      await alice.page.waitForFunction(
        (sel) => document.querySelector(sel)?.getAttribute('aria-label').includes('left'),
        {},
        tab(id),
      );
      await includes(carol.page, '.chat-where', 'with Carol');

      await handOver(carol.page, {
        kind: 'transfer',
        queue: 'sales',
        topic: 'billing',
        note: 'Refund approved, needs the sales code',
        warm: true,
      });
      await carol.page.waitForFunction(() =>
        document.querySelector('.handover-state')?.textContent.includes('waiting for the customer to agree'),
      );
      const question = await finn.waitFor((e) => e.type === 'transfer.consent_request');
      await finn.request('transfer.consent', { conversation: id, transfer: question.transfer, accept: true });

      const transfer = await alice.page.waitForSelector('.offer[data-kind=transfer]');
      const content = await transfer.evaluate((o) => o.textContent);
      assert.match(content, /From carol/);
      assert.match(content, /Refund approved, needs the sales code/);
      assert.match(content, /Conversation transferred by Carol at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      assert.match(content, /Let me check that for you\./, 'the history comes along');
      assert.doesNotMatch(content, /VIP/, 'never a whisper');
      await screenshot(alice.page, 'desk-transfer-offer');

      await alice.page.click('.offer[data-kind=transfer] button.accept');
      await alice.page.waitForFunction(
        (sel) => {
          const t = document.querySelector(`${sel}[aria-selected=true]`);
          return t && !t.getAttribute('aria-label').includes('left');
        },
        {},
        tab(id),
      );
      await includes(alice.page, '.brought', 'Refund approved');
      await carol.page.waitForFunction(
        (sel) => document.querySelector(sel)?.getAttribute('aria-label').includes('transferred'),
        {},
        tab(id),
      );
      await send(alice.page, 'Back with me, Finn: the refund is on its way.');
      await finn.waitFor((e) => e.type === 'message' && e.text.startsWith('Back with me'));
      const shown = await seqs(alice.page);
      assert.equal(new Set(shown).size, shown.length, 'no event twice');
      assert.deepEqual(alice.problems, []);
      assert.deepEqual(carol.problems, []);
  });
});

test('a desk picks from the waiting list, loses the server, and finds it all again', async () => {
  let gina;
  let dave;
  await drive('desk-pick', () => [dave, gina], async () => {
      gina = await startCustomer(baton, 'Gina', { queue: 'returns', text: 'The shoes do not fit' });
      dave = await signInReady('dave');
      const { page } = dave;
      const entry = `.waiting-entry[data-conversation="${gina.conversation}"]`;
      await page.waitForSelector(entry);
      assert.match(await page.$eval(entry, (e) => e.textContent), /Gina[\s\S]*returns[\s\S]*The shoes do not fit/);
      await screenshot(page, 'desk-waiting-list');
      await page.click(`${entry} button`);
      await page.waitForSelector(`${tab(gina.conversation)}[aria-selected=true]`);
      await includes(page, '#conversation-panel .transcript', 'The shoes do not fit');
      await page.waitForFunction((e) => !document.querySelector(e), {}, entry);
      await send(page, 'Which size would you like?');
      await gina.waitFor((e) => e.type === 'message' && e.text === 'Which size would you like?');
      await page.waitForFunction(() => !document.querySelector('.pending'));
      const before = await seqs(page);

      await baton.crash();
      await page.waitForFunction(() =>
        document.querySelector('[role=alert]')?.textContent.includes('reconnecting'),
      );
      await baton.start();
      // The desk's next retry may be up to 10 s away (its backoff), and the
      // server's start is slow on a busy machine.
      await page.waitForFunction(() => !document.querySelector('.banner'), { timeout: 45000 });
      await page.waitForSelector('button[data-status=ready][aria-checked=true]');
      assert.deepEqual(await seqs(page), before, 'the same conversation, each event once');
      await send(page, 'Size 42 is on its way.');
      await page.waitForFunction(
        () => !document.querySelector('.pending') && document.querySelector('.transcript').textContent.includes('Size 42'),
      );
      const after = await seqs(page);
      assert.equal(new Set(after).size, after.length);
      assert.deepEqual(dave.problems.filter((p) => !p.includes('WebSocket')), []);
  });
});

test('a long waiting list shows its fifty longest waiting and says more wait', async () => {
  const waiting = [];
  let dave;
  await drive('desk-long-waiting-list', () => [dave, ...waiting], async () => {
      for (let i = 0; i < 51; i += 1) {
        waiting.push(await startCustomer(baton, `Backlog ${i}`, { queue: 'returns', text: `parcel ${i}` }));
      }
      dave = await signInReady('dave');
      const { page } = dave;
      await page.waitForFunction(() => document.querySelectorAll('.waiting-entry').length === 50);
      assert.equal(await page.$eval('#waitlist-title', (e) => e.textContent.trim()), 'Waiting list 50+');
      await screenshot(page, 'desk-long-waiting-list');
      const first = `.waiting-entry[data-conversation="${waiting[0].conversation}"]`;
      const last = `.waiting-entry[data-conversation="${waiting[50].conversation}"]`;
      assert.ok(await page.$(first), 'the longest waiting is shown');
      assert.equal(await page.$(last), null, 'the newest waits out of view');
  });
});
