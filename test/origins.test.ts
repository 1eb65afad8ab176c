import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startHostSite, type HostSite } from './support/host-site.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { freePort } from './support/net.js';

describe('embedding from another origin', () => {
  let kindred: KindredServer;
  let allowed: HostSite;
  let stranger: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    const allowedPort = await freePort();
    kindred = await startKindred({ demoOrigins: [`http://127.0.0.1:${allowedPort}`] });
    allowed = await startHostSite({ loader: `${kindred.url}/kindred.js` }, allowedPort);
    stranger = await startHostSite({ loader: `${kindred.url}/kindred.js` });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await allowed?.close();
    await stranger?.close();
    await kindred?.stop();
  });

  it('works on a page whose origin the site allows', async () => {
    const page = await browser.newPage();
    await page.goto(allowed.origin);
    await page.locator('kindred-thread').getByText('No posts yet').waitFor();
    await page.close();
  });

  it('is refused on any other origin, and the widget says so', async () => {
    const page = await browser.newPage();
    await page.goto(stranger.origin);
    const thread = page.locator('kindred-thread');
    await thread.getByText(/can.t be shown on this page/i).waitFor();
    await expect(thread.getByLabel('Display name').count()).resolves.toBe(0);
    await page.close();
  });

  it('refuses the realtime handshake itself, not only in the browser', async () => {
    const response = await fetch(`${kindred.url}/socket.io/?EIO=4&transport=polling&site=demo&v=1`, {
      headers: { origin: stranger.origin },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('ORIGIN_NOT_ALLOWED');
  });
});
