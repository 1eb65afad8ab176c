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

describe('the script-tag loader', () => {
  let kindred: KindredServer;
  let host: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    kindred = await startKindred({ demoOrigins: [`http://127.0.0.1:${port}`] });
    host = await startHostSite(() => pageWithTwoLoaders(`${kindred.url}/kindred.js`), port);
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
});
