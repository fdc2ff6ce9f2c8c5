// widget.js on a page: a button that opens the widget in an iframe, with
// the page's choices passed on; the landing page is such a page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBatonAndBrowser, stopBatonAndBrowser, screenshot } from '../support/browser.mjs';

let baton;
let browser;

before(async () => ({ baton, browser } = await startBatonAndBrowser()));
after(() => stopBatonAndBrowser({ baton, browser }));

test('the landing page embeds the widget behind a button', async () => {
  const page = await browser.newPage();
  await page.setViewport({ width: 1024, height: 720 });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${baton.url}/`);
  assert.equal(await page.$eval('h1', (e) => e.textContent), 'Baton demo centre');
  const link = await page.$eval('a[href^="widget"]', (a) => a.href);
  assert.match(link, /\/widget\?queues=sales:Sales/);

  const button = await page.waitForSelector('button[aria-controls=baton-widget]');
  assert.equal(await button.evaluate((b) => b.getAttribute('aria-expanded')), 'false');
  assert.equal(await page.$eval('#baton-widget', (f) => f.hidden), true);
  await button.click();
  assert.equal(await button.evaluate((b) => b.getAttribute('aria-expanded')), 'true');

  const frame = await (await page.$('#baton-widget')).contentFrame();
  await frame.waitForSelector('form.start button[type=submit]:not([disabled])');
  const queues = await frame.$$eval('#start-queue option', (os) =>
    os.map((o) => [o.value, o.textContent]),
  );
  assert.deepEqual(queues, [
    ['sales', 'Sales'],
    ['support', 'Customer support'],
    ['returns', 'Returns desk'],
  ]);
  await screenshot(page, 'landing-with-widget');
  assert.deepEqual(problems, [], 'no script error, no CSP violation');
  await page.close();
});
