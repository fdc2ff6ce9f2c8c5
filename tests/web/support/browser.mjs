// Debian's Chromium, headless, through puppeteer-core: no browser download.
// Screenshots go to BATON_SCREENS_DIR (the build's web-screens/).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { requireFromWeb } from './modules.mjs';
import { startBaton } from './baton.mjs';

const puppeteer = requireFromWeb('puppeteer-core');

/** A phone's width: the widget must read well there. */
export const PHONE = { width: 360, height: 640 };

export async function launchBrowser() {
  const args = ['--disable-gpu', '--disable-dev-shm-usage'];
  // Chromium's sandbox needs user namespaces that root in a container lacks.
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args,
  });
}

export async function screenshot(page, name) {
  const dir = process.env.BATON_SCREENS_DIR;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/** A baton and a browser, started side by side; neither is left running
 * when the other fails to start. */
export async function startBatonAndBrowser(options) {
  const [baton, browser] = await Promise.allSettled([startBaton(options), launchBrowser()]);
  if (baton.status === 'fulfilled' && browser.status === 'fulfilled')
    return { baton: baton.value, browser: browser.value };
  if (baton.status === 'fulfilled') await baton.value.stop();
  if (browser.status === 'fulfilled') await browser.value.close();
  throw baton.status === 'rejected' ? baton.reason : browser.reason;
}

/** Stops what startBatonAndBrowser started, whichever of it there is. */
export async function stopBatonAndBrowser({ baton, browser }) {
  await browser?.close();
  await baton?.stop();
}
