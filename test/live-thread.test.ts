import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startHostSite, type HostSite } from './support/host-site.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { ThreadPage } from './support/thread-page.js';

/**
 * Two visitors on a hospital page served from another origin than the
 * Kindred server: everything one does reaches the other without a reload.
 */
describe('a live thread between two visitors', () => {
  let kindred: KindredServer;
  let host: HostSite;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const visitor = async (): Promise<ThreadPage> => {
    const context = await browser.newContext();
    contexts.push(context);
    const thread = new ThreadPage(await context.newPage());
    await thread.open(`${host.origin}/?topic=live-e2e`);
    return thread;
  };

  beforeAll(async () => {
    const { freePort } = await import('./support/net.js');
    const hostPort = await freePort();
    kindred = await startKindred({ demoOrigins: [`http://127.0.0.1:${hostPort}`] });
    host = await startHostSite({ loader: `${kindred.url}/kindred.js` }, hostPort);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await kindred?.stop();
  });

  it('carries posts, replies, reactions, edits and deletions across', async () => {
    const maria = await visitor();
    const tom = await visitor();

    await maria.signInAsGuest('Maria');
    await maria.write('Day 3 after surgery: the ice machine is my best friend.');

    // Tom's page does not jump: the new post waits behind a button that is announced.
    await expect.poll(() => tom.newPostsButton().innerText()).toMatch(/1 new post/);
    await tom.newPostsButton().click();
    await tom.post('the ice machine is my best friend').waitFor();
    await expect(tom.post('ice machine').getByText('Maria').count()).resolves.toBeGreaterThan(0);

    await tom.signInAsGuest('Tom');
    await tom.reply('the ice machine', 'Same here. Did you sleep with it on?');
    await maria.post('Did you sleep with it on?').waitFor();

    await tom.react('the ice machine', 'Helpful');
    await expect.poll(() => maria.reactions('the ice machine')).toContain('Helpful 1');
    await tom.react('the ice machine', 'Me too');
    await expect.poll(() => maria.reactions('the ice machine')).toBe('Helpful 1 Me too 1');

    await maria.edit('the ice machine', 'Day 3 after surgery: the ice machine and my physio are my best friends.');
    await tom.post('my physio are my best friends').waitFor();
    await tom.post('my physio are my best friends').getByText('edited').first().waitFor();

    await tom.remove('Did you sleep with it on?');
    await maria.post('Did you sleep with it on?').waitFor({ state: 'detached' });

    expect(await maria.bodies()).toEqual(await tom.bodies());
  });
});
