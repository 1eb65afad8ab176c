import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';

describe('the demo, as the README starts it', () => {
  let kindred: KindredServer;
  let browser: Browser;

  beforeAll(async () => {
    kindred = await startKindred();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await kindred?.stop();
  });

  it('answers /healthz with the version and the store status', async () => {
    const response = await fetch(`${kindred.url}/healthz`);
    expect(response.status).toBe(200);
    const health = await response.json();
    expect(health).toMatchObject({ status: 'ok', store: { kind: 'sqlite', ok: true } });
    expect(typeof health.version).toBe('string');
  });

  it('serves the loader as a cross-origin script', async () => {
    const response = await fetch(`${kindred.url}/kindred.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toContain('kindred-thread.js');
  });

  it('serves the Riverside General page, where the thread renders in Chromium', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${kindred.url}/demo/`);
    await expect(page.title()).resolves.toContain('Riverside General');
    const thread = page.locator('kindred-thread');
    await thread.getByText('No posts yet').waitFor();
    await thread.getByLabel('Display name').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
