// An agent with the desk open twice, and what one desk must learn without
// being told: an offer accepted at the other leaves it. Then a message too
// large for the server's frames: marked not sent, and the desk carries on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCustomer } from '../support/agent.mjs';
import { startBatonAndBrowser, stopBatonAndBrowser, screenshot } from '../support/browser.mjs';
import { openDesk, goReady, includes, tab, drive } from './pages.mjs';

let baton;
let browser;

before(
  async () =>
    ({ baton, browser } = await startBatonAndBrowser({
      extra: `
[[queues]]
id = "callbacks"
name = "Callbacks"
[[agents]]
id = "ivan"
name = "Ivan"
queues = ["callbacks"]
capacity = 2
`,
    })),
);
after(() => stopBatonAndBrowser({ baton, browser }));

const offerOf = (conversation) => `.offer[data-conversation="${conversation}"]`;

/** The id of the offer of `conversation` on `page`, once it is shown. */
async function offerShown(page, conversation) {
  const handle = await page.waitForFunction(
    (c) =>
      [...document.querySelectorAll('.offer')].find((o) => o.dataset.conversation === c)?.dataset
        .offer,
    {},
    conversation,
  );
  return handle.jsonValue();
}

test('an offer accepted at one desk leaves the other, and too large a message is not sent', async () => {
  let first;
  let second;
  let customer;
  await drive('two-desks', () => [first, second, customer], async () => {
    const link = await baton.link('agent', 'ivan');
    first = await openDesk(browser, link);
    second = await openDesk(browser, link);
    await goReady(first.page);
    customer = await startCustomer(baton, 'Jo', { queue: 'callbacks', text: 'Call me back' });
    const offer = await offerShown(first.page, customer.conversation);
    assert.equal(await offerShown(second.page, customer.conversation), offer);

    await first.page.click(`.offer[data-offer="${offer}"] button.accept`);
    await first.page.waitForSelector(tab(customer.conversation));
    // Well before the offer would have run out (20 s).
    await second.page.waitForFunction(
      (id) => !document.querySelector(`.offer[data-offer="${id}"]`),
      { timeout: 5000 },
      offer,
    );
    await second.page.waitForSelector(tab(customer.conversation));
    await screenshot(second.page, 'desk-offer-taken-elsewhere');

    // Over the server's 64 KiB frame: the server would close the socket on
    // it, and a desk that sent it again on every new socket would never
    // stay connected.
    const { page } = first;
    await page.click(tab(customer.conversation));
    await page.$eval('#composer-text', (t) => {
      t.value = 'x'.repeat(70000);
      t.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('.composer button[type=submit]');
    await includes(page, '#conversation-panel', 'Not sent: too long to send');
    await page.type('#composer-text', 'Calling you now');
    await page.keyboard.press('Enter');
    const sent = await customer.waitFor(
      (e) => e.type === 'message' && e.text === 'Calling you now',
      'the message after',
    );
    assert.equal(sent.from.id, 'ivan');
    const failed = await page.$$eval('[data-state=failed]', (els) => els.length);
    assert.equal(failed, 1, 'only the one too large failed');
    assert.deepEqual(first.problems, []);
    assert.deepEqual(second.problems, []);
  });
});
