import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { ThreadPage } from './support/thread-page.js';

/**
 * Protecting people from over-sharing, on the demo page as a patient sees it:
 * the disclaimer is there, a phone number is caught before the post leaves
 * the browser, and one sent anyway waits for a person to review it.
 */
describe('over-sharing, before and after sending', () => {
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

  const open = async (): Promise<ThreadPage> => {
    const context = await browser.newContext();
    const thread = new ThreadPage(await context.newPage());
    await thread.open(`${kindred.url}/demo/`);
    return thread;
  };

  it('shows the medical-advice disclaimer in the widget', async () => {
    const visitor = await open();
    await visitor.thread.locator('[part~="disclaimer"]').getByText(/not medical advice/).waitFor();
  });

  it('warns about a phone number before sending, and holds the post if it is sent anyway', async () => {
    const maria = await open();
    const viewer = await open();
    await maria.signInAsGuest('Maria');

    const composer = maria.thread.locator('[part~="composer"]').first();
    const withPhone = 'Call me on 555-201-3344 if you want to swap physio tips.';
    await maria.thread.getByRole('textbox', { name: /write a post/i }).fill(withPhone);
    await composer.getByRole('button', { name: 'Post' }).click();
    await maria.thread.getByText(/This looks like a phone number/).waitFor();
    // Nothing left the browser yet: the draft is still in the box, and no post exists.
    await expect(maria.thread.getByRole('textbox', { name: /write a post/i }).inputValue()).resolves.toBe(withPhone);
    await expect(maria.post('swap physio tips').count()).resolves.toBe(0);

    await maria.thread.getByRole('button', { name: 'Post anyway' }).click();
    await maria.post('swap physio tips').getByText(/Waiting for review/).waitFor();

    // The viewer gets Maria's next, ordinary post, and never the one with her number.
    await maria.write('Ice after every session helped me most.');
    await expect.poll(() => viewer.newPostsButton().innerText()).toMatch(/1 new post/);
    await viewer.newPostsButton().click();
    await viewer.post('Ice after every session').waitFor();
    expect(await viewer.bodies()).toEqual(['Ice after every session helped me most.']);
  });
});
