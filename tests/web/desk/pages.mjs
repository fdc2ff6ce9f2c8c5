// The pages the desk tests drive: an agent's desk opened from its sign-in
// link, and a customer's widget, each in a browser context of its own (its
// own storage, as two people on two machines).
import assert from 'node:assert/strict';
import { PHONE, screenshot } from '../support/browser.mjs';

/** A laptop's screen: the desk is for people at a desk. */
export const LAPTOP = { width: 1280, height: 800 };

/** Script errors and CSP violations on `page`, for the test to assert none. */
function watchProblems(page) {
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

export async function openDesk(browser, link) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(LAPTOP);
  const problems = watchProblems(page);
  await page.goto(link);
  await page.waitForSelector('.desk-head');
  return { page, context, problems };
}

/** Clicks Ready once the desk is connected (the status buttons are
 * disabled until then) and waits for the server to say so. */
export async function goReady(page) {
  await page.waitForSelector('button[data-status=ready]:not([disabled])');
  await page.click('button[data-status=ready]');
  await page.waitForSelector('button[data-status=ready][aria-checked=true]');
}

export async function openWidget(browser, baton, query = '?queues=sales:Sales,support:Customer%20support') {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(PHONE);
  const problems = watchProblems(page);
  await page.goto(`${baton.url}/widget${query}`);
  return { page, context, problems };
}

export async function startChat(page, { name, text }) {
  await page.waitForSelector('form.start button[type=submit]:not([disabled])');
  await page.type('#start-name', name);
  await page.type('#start-text', text);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#composer-text');
}

export function includes(page, selector, text) {
  return page.waitForFunction(
    (s, t) => document.querySelector(s)?.textContent.includes(t),
    {},
    selector,
    text,
  );
}

/** The `seq`s the desk shows in the open conversation. */
export function seqs(page) {
  return page.$$eval('#conversation-panel .transcript [data-seq]', (els) =>
    els.map((e) => Number(e.dataset.seq)),
  );
}

/** The ids of the form controls that no label names, and the buttons
 * without a name. */
export async function assertLabelled(page) {
  const unlabelled = await page.$$eval('input, textarea, select', (els) =>
    els.filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id || e.outerHTML),
  );
  assert.deepEqual(unlabelled, [], 'every form control has a label');
  const nameless = await page.$$eval('button', (els) =>
    els
      .filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim()))
      .map((b) => b.outerHTML),
  );
  assert.deepEqual(nameless, [], 'every button has a name');
}

/** The desk's tab of a conversation. */
export const tab = (conversation) => `.tab[data-conversation="${conversation}"]`;

export async function selectTab(page, conversation) {
  await page.click(tab(conversation));
  await page.waitForSelector(`#conversation-panel[data-conversation="${conversation}"]`);
}

/** Screenshots of the pages as a failure left them, named `NAME-failed-N`;
 * a page that cannot be shot any more does not hide the failure. */
export async function keepScreens(name, pages) {
  let n = 0;
  for (const page of pages) {
    n += 1;
    if (!page) continue;
    try {
      await screenshot(page, `${name}-failed-${n}`);
    } catch {
      // The page or browser is gone: the test's own error says more.
    }
  }
}

/**
 * Runs a test's `steps` with what it opens: `opened()` lists the pages
 * (from openDesk, openWidget) and the sockets it got to, pages first. On a
 * failure the pages' screens are kept as `NAME-failed-N`; all are closed
 * either way.
 */
export async function drive(name, opened, steps) {
  try {
    await steps();
  } catch (err) {
    await keepScreens(name, opened().map((o) => o?.page));
    throw err;
  } finally {
    for (const o of opened()) {
      if (o?.context) await o.context.close();
      else o?.close();
    }
  }
}
