// Offers the agent does not take: one rejected with the desk's Reject
// button, one left to run out its countdown, and the third accepted. The
// customer waits through both and is assigned on the third.
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
offer_timeout_ms = 2000
[[agents]]
id = "ivan"
name = "Ivan"
queues = ["callbacks"]
capacity = 1
`,
    })),
);
after(() => stopBatonAndBrowser({ baton, browser }));

/** The id of the next offer on the desk other than `seen`. */
async function nextOffer(page, seen) {
  const handle = await page.waitForFunction(
    (old) => [...document.querySelectorAll('.offer')].map((o) => o.dataset.offer).find((id) => !old.includes(id)),
    { timeout: 15000 },
    seen,
  );
  return handle.jsonValue();
}

test('an offer rejected, one run out, and the next accepted', async () => {
  let ivan;
  let customer;
  await drive('desk-offers', () => [ivan, customer], async () => {
    ivan = await openDesk(browser, await baton.link('agent', 'ivan'));
    const { page } = ivan;
    await goReady(page);
    customer = await startCustomer(baton, 'Jo', { queue: 'callbacks', text: 'Please call me back' });

    const first = await nextOffer(page, []);
    await page.click(`.offer[data-offer="${first}"] button.reject`);
    await page.waitForFunction((id) => !document.querySelector(`.offer[data-offer="${id}"]`), {}, first);

    // Offered again after the queue's pause; this one runs out.
    const second = await nextOffer(page, [first]);
    await screenshot(page, 'desk-offer-again');
    await includes(page, '.notices', 'it timed out');
    assert.equal(await page.$(`.offer[data-offer="${second}"]`), null, 'the offer that ran out is gone');

    const third = await nextOffer(page, [first, second]);
    await page.click(`.offer[data-offer="${third}"] button.accept`);
    await page.waitForSelector(`${tab(customer.conversation)}[aria-selected=true]`);
    await customer.waitFor((e) => e.type === 'conversation.assigned', 'the assignment');
    const assigned = customer.events.filter((e) => e.type === 'conversation.assigned');
    assert.equal(assigned.length, 1, 'assigned once, on the accepted offer');
    assert.deepEqual(ivan.problems, []);
  });
});
