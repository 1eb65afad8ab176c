import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startHostSite, type HostSite } from './support/host-site.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { freePort } from './support/net.js';

/** A host page that loads the loader twice and adds a second thread later. */
const pageWithTwoLoaders = (loader: string): string => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Two widgets</title>
    <script src="${loader}" data-site="demo"></script>
    <script src="${loader}" data-site="demo"></script>
  </head>
  <body>
    <kindred-thread topic="loader-first"></kindred-thread>
    <div id="later"></div>
  </body>
</html>`;

/** A hospital page in Spanish with ask-an-expert on it. */
const spanishPage = (loader: string): string => `<!doctype html>
<html lang="es">
  <head>
    <meta charset="utf-8" />
    <title>Pregunte a un experto</title>
    <script src="${loader}" data-site="demo"></script>
  </head>
  <body><kindred-ask-expert topic="loader-es"></kindred-ask-expert></body>
</html>`;

describe('the script-tag loader', () => {
  let kindred: KindredServer;
  let host: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    kindred = await startKindred({ demoOrigins: [`http://127.0.0.1:${port}`] });
    host = await startHostSite(
      (url) => (url.pathname === '/es' ? spanishPage(`${kindred.url}/kindred.js`) : pageWithTwoLoaders(`${kindred.url}/kindred.js`)),
      port,
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await kindred?.stop();
  });

  it('loads each element once, picks up elements added later, and shares one socket', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    const sockets: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    page.on('websocket', (socket) => sockets.push(socket.url()));
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(host.origin);
    await page.locator('kindred-thread[topic="loader-first"]').getByText('No posts yet').waitFor();

    await page.evaluate(() => {
      const late = document.createElement('kindred-thread');
      late.setAttribute('topic', 'loader-later');
      document.getElementById('later')!.append(late);
    });
    await page.locator('kindred-thread[topic="loader-later"]').getByText('No posts yet').waitFor();

    expect(errors).toEqual([]);
    expect(scripts.filter((path) => path === '/kindred-thread.js')).toHaveLength(1);
    await expect.poll(() => sockets.length).toBe(1);
    await page.waitForTimeout(500);
    expect(sockets).toHaveLength(1);
    await page.close();
  });

  it('fetches an element, what it imports and the tables of the page\'s language together, and shows Spanish from the first text', async () => {
    const page = await browser.newPage();
    // The element's chunk is held back until everything else it needs has been asked for (at most 3 s):
    // only a loader that asks for it all at once gets them asked for while it is held.
    const askedWhileHeld: string[] = [];
    let held = true;
    page.on('request', (request) => {
      if (held && request.resourceType() === 'script') askedWhileHeld.push(new URL(request.url()).pathname);
    });
    const needed = [/\/chunks\/kindred-shared-/, /\/chunks\/kindred-visitor-/, /\/chunks\/kindred-strings-es-/, /\/chunks\/kindred-ask-expert-es-/];
    const allAsked = (): boolean => needed.every((pattern) => askedWhileHeld.some((path) => pattern.test(path)));
    await page.route('**/kindred-ask-expert.js', async (route) => {
      for (const deadline = Date.now() + 3000; !allAsked() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
      held = false;
      await route.continue();
    });
    // Every text the element shows, from its first render on (recorded in the page before its scripts run).
    await page.addInitScript(() => {
      const shown: string[] = [];
      Object.defineProperty(window, '__shown', { value: shown });
      customElements.whenDefined('kindred-ask-expert').then(() => {
        const root = document.querySelector('kindred-ask-expert')!.shadowRoot!;
        const record = (): void => void shown.push(root.textContent ?? '');
        record();
        new MutationObserver(record).observe(root, { childList: true, subtree: true, characterData: true });
      });
    });
    await page.goto(`${host.origin}/es`);
    await page.locator('kindred-ask-expert').getByText('no son consejo médico').first().waitFor();

    for (const pattern of needed) expect(askedWhileHeld.some((path) => pattern.test(path)), `${pattern} asked for with the element`).toBe(true);
    const shown = await page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);
    expect(shown.filter((text) => text.trim())).not.toHaveLength(0);
    // The widget's own English words (the site's disclaimer is shown as the hospital wrote it, here in English).
    for (const text of shown) expect(text).not.toMatch(/Answers are general information|Ask a question|To ask a question|Display name/);
    await page.close();
  });
});
