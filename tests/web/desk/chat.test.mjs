// An agent's day at the desk, in Chromium against a real baton: signing in
// through the link `baton token --link` prints, going ready, an offer with
// its countdown, a chat with a customer in the widget, a whisper the
// customer never gets, a second conversation in a second tab with an
// unread count, a reload that brings back both conversations with each
// event once, and closing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCustomer } from '../support/agent.mjs';
import { startBatonAndBrowser, stopBatonAndBrowser, screenshot } from '../support/browser.mjs';
import {
  openDesk,
  goReady,
  openWidget,
  startChat,
  includes,
  seqs,
  assertLabelled,
  tab,
  selectTab,
  keepScreens,
  drive,
} from './pages.mjs';

let baton;
let browser;

before(async () => ({ baton, browser } = await startBatonAndBrowser()));
after(() => stopBatonAndBrowser({ baton, browser }));

/** The conversation id of the offer from `name`, once it is on the desk. */
async function offerFrom(page, name) {
  const handle = await page.waitForFunction(
    (n) =>
      [...document.querySelectorAll('.offer')].find((o) =>
        o.querySelector('.offer-title')?.textContent.includes(n),
      ),
    {},
    name,
  );
  return handle;
}

async function accept(page, name) {
  const offer = await offerFrom(page, name);
  const button = await offer.$('button.accept');
  await button.click();
  const tabHandle = await page.waitForFunction(
    (n) =>
      [...document.querySelectorAll('.tab')].find((t) => t.textContent.includes(n)),
    {},
    name,
  );
  return tabHandle.evaluate((t) => t.dataset.conversation);
}

test('an agent signs in by link, chats in two tabs, whispers, reloads and closes', async () => {
  let desk;
  let customer;
  let eve;
  await drive('desk-chat', () => [desk, customer, eve], async () => {
      const link = await baton.link('agent', 'alice');
      assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/desk#user=alice&token=\d+\.[0-9a-f]{64}$/);
      desk = await openDesk(browser, link);
      customer = await openWidget(browser, baton);
      const { page } = desk;
      // The token left the address bar for this tab's storage.
      assert.equal(await page.evaluate(() => window.location.hash), '');
      assert.equal(new URL(page.url()).pathname, '/desk');
      assert.match(
        await page.evaluate(() => window.sessionStorage.getItem('baton.desk')),
        /"user":"alice"/,
      );

      await goReady(page);

      await startChat(customer.page, { name: 'Dana', text: 'Do you ship to Norway?' });
      const offer = await offerFrom(page, 'Dana');
      assert.match(await offer.evaluate((o) => o.textContent), /Do you ship to Norway\?/);
      const first = await offer.$eval('.left', (e) => e.textContent);
      assert.match(first, /^0:[0-2]\d$/, 'seconds left of the 20 s offer');
      await page.waitForFunction(
        (was) => {
          const left = document.querySelector('.offer .left')?.textContent;
          return left && left !== was;
        },
        {},
        first,
      );
      await assertLabelled(page);
      await screenshot(page, 'desk-offer');

      const dana = await accept(page, 'Dana');
      await includes(page, '#conversation-panel .transcript', 'Do you ship to Norway?');
      await customer.page.waitForFunction(() =>
        document.querySelector('.status')?.textContent.includes('Chatting with Alice'),
      );

      await page.type('#composer-text', 'Yes, in 3 to 5 days.');
      await page.keyboard.press('Enter');
      await includes(customer.page, '.transcript', 'Yes, in 3 to 5 days.');
      await customer.page.type('#composer-text', 'Great, thanks!');
      await customer.page.keyboard.press('Enter');
      await includes(page, '#conversation-panel .transcript', 'Great, thanks!');

      await page.click('#composer-whisper');
      await page.type('#composer-text', 'VIP customer, be nice');
      await page.keyboard.press('Enter');
      const whisper = await page.waitForSelector('.msg.whisper:not(.pending)');
      assert.match(await whisper.evaluate((w) => w.textContent), /agents only[\s\S]*VIP customer/);
      assert.equal(await whisper.evaluate((w) => w.dataset.visibility), 'agents');
      await page.click('#composer-whisper');
      await page.type('#composer-text', 'Anything else?');
      await page.keyboard.press('Enter');
      // The customer has what came after the whisper, and not the whisper.
      await includes(customer.page, '.transcript', 'Anything else?');
      assert.equal(
        await customer.page.evaluate(() => document.documentElement.outerHTML.includes('VIP customer')),
        false,
        'a whisper never reaches the customer',
      );

      eve = await startCustomer(baton, 'Eve', { queue: 'support', text: 'My invoice is wrong' });
      const eveTab = await accept(page, 'Eve');
      assert.equal(eveTab, eve.conversation);
      await page.waitForSelector(`${tab(eveTab)}[aria-selected=true]`);
      await includes(page, '#conversation-panel .transcript', 'My invoice is wrong');

      await customer.page.type('#composer-text', 'One more question');
      await customer.page.keyboard.press('Enter');
      await page.waitForFunction(
        (sel) => document.querySelector(`${sel} .unread`)?.textContent === '1',
        {},
        tab(dana),
      );
      assert.match(
        await page.$eval(tab(dana), (t) => t.getAttribute('aria-label')),
        /Dana, 1 unread, waiting \d+:\d\d/,
      );
      // The title follows the badge once the page has painted it.
      await page.waitForFunction(() => document.title.startsWith('(1) Desk'));
      await assertLabelled(page);
      await screenshot(page, 'desk-two-chats');

      // The tabs answer the arrow keys, as WAI-ARIA tabs do.
      await page.focus(`${tab(eveTab)}`);
      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector(`${tab(dana)}[aria-selected=true]`);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.conversation), dana);
      await page.waitForFunction((sel) => !document.querySelector(`${sel} .unread`), {}, tab(dana));
      await includes(page, '#conversation-panel .transcript', 'One more question');
      const before = await seqs(page);
      await screenshot(page, 'desk-whisper');

      await page.reload();
      await page.waitForSelector(tab(dana));
      await page.waitForSelector(tab(eveTab));
      await page.waitForSelector('button[data-status=ready][aria-checked=true]');
      await selectTab(page, dana);
      await includes(page, '#conversation-panel .transcript', 'One more question');
      await page.waitForFunction(
        (n) => document.querySelectorAll('#conversation-panel .transcript [data-seq]').length >= n,
        {},
        before.length,
      );
      const after = await seqs(page);
      assert.deepEqual(after, before, 'the same events, in order, once each');
      const count = (text) =>
        page.$$eval('#conversation-panel .msg', (els, t) => els.filter((e) => e.textContent.includes(t)).length, text);
      assert.equal(await count('VIP customer'), 1);
      assert.equal(await count('Great, thanks!'), 1);
      await selectTab(page, eveTab);
      await includes(page, '#conversation-panel .transcript', 'My invoice is wrong');
      assert.equal(await count('My invoice is wrong'), 1);

      await selectTab(page, dana);
      await page.click('.close-open');
      await page.click('.close-confirm');
      await includes(customer.page, '.transcript', 'This chat has ended.');
      await page.waitForFunction(
        (sel) => document.querySelector(sel)?.getAttribute('aria-label').includes('closed'),
        {},
        tab(dana),
      );
      await page.click('.chat-actions.ended button');
      await page.waitForFunction((sel) => !document.querySelector(sel), {}, tab(dana));
      await page.waitForSelector(`${tab(eveTab)}[aria-selected=true]`);
      assert.deepEqual(desk.problems, [], 'no script error, no CSP violation on the desk');
      assert.deepEqual(customer.problems, []);
  });
});

test('a refused link shows the sign-in form, which takes a user and a token', async () => {
  const refused = `${baton.url}/desk#user=alice&token=1.${'0'.repeat(64)}`;
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  try {
    await page.goto(refused);
    const alert = await page.waitForSelector('.sign-in [role=alert]');
    assert.match(await alert.evaluate((a) => a.textContent), /refused this sign-in.*not valid for this role and user/);
    assert.equal(await page.evaluate(() => window.location.hash), '');
    await assertLabelled(page);
    await screenshot(page, 'desk-sign-in');

    await page.type('#sign-in-user', 'carol');
    await page.type('#sign-in-token', baton.token('agent', 'carol'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.desk-head .me')?.textContent === 'carol');
    await page.waitForSelector('button[data-status=ready]:not([disabled])');
    // Keyboard alone: the status buttons are reached and pressed.
    await page.focus('button[data-status=ready]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('button[data-status=ready][aria-checked=true]');

    await page.click('.sign-out');
    await page.waitForSelector('#sign-in-user');
    assert.equal(await page.evaluate(() => window.sessionStorage.getItem('baton.desk')), '{}');
  } catch (err) {
    await keepScreens('desk-sign-in', [page]);
    throw err;
  } finally {
    await context.close();
  }
});
