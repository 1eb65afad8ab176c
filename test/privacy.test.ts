import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, session } from '../packages/server/src/testing/socket-client.js';
import { launchChromium } from './support/browser.js';
import { startHostSite, type HostSite } from './support/host-site.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { freePort } from './support/net.js';
import { recordNetwork } from './support/network-log.js';
import { ThreadPage } from './support/thread-page.js';

const HOST_TOPIC = 'privacy-host';
const SEED = 'Seeded by another visitor: the ice machine helped me most.';

/**
 * A hospital promises its patients that reading or posting on its pages tells
 * no third party anything and leaves no cookie. The whole journey (read, sign
 * in as a guest, post, reply, react) runs here with every request recorded.
 */
describe('privacy: no third-party requests, no cookies on the host', () => {
  let kindred: KindredServer;
  let host: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    const hostPort = await freePort();
    kindred = await startKindred({ demoOrigins: [`http://127.0.0.1:${hostPort}`] });
    host = await startHostSite({ loader: `${kindred.url}/kindred.js` }, hostPort);
    browser = await launchChromium();
    // Someone else's post, so each visitor has a post they are allowed to react to.
    const other = client(kindred.url);
    await session(other);
    const signIn = await other.ask('session:guest', { displayName: 'Olga' });
    if (!signIn.ok) throw new Error(`could not sign in: ${JSON.stringify(signIn)}`);
    for (const topic of ['knee-replacement', HOST_TOPIC]) {
      const seeded = await other.ask('post:create', { topic, clientId: `seed-${topic}`, body: SEED });
      if (!seeded.ok) throw new Error(`could not seed ${topic}: ${JSON.stringify(seeded)}`);
    }
    other.disconnect();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await kindred?.stop();
  });

  async function journey(context: BrowserContext, url: string, name: string): Promise<ThreadPage> {
    const thread = new ThreadPage(await context.newPage());
    await thread.open(url);
    await thread.post(SEED).waitFor();
    await thread.signInAsGuest(name);
    const mine = `${name}: week two, walking to the corner shop with a stick.`;
    await thread.write(mine);
    await thread.reply(SEED, `${name}: same here, twenty minutes on, twenty off.`);
    await thread.react(SEED, 'Helpful');
    await expect.poll(() => thread.reactions(SEED)).toMatch(/^Helpful 1\b/);
    return thread;
  }

  for (const where of ['the demo page on the Kindred server', 'a hospital page on another origin'] as const) {
    it(`talks only to Kindred and the page's own origin, and sets no cookie (${where})`, async () => {
      const pageUrl = where === 'a hospital page on another origin' ? `${host.origin}/?topic=${HOST_TOPIC}` : `${kindred.url}/demo/`;
      const pageOrigin = new URL(pageUrl).origin;
      // A fresh profile: nothing stored from an earlier visit.
      const context = await browser.newContext();
      const network = recordNetwork(context);
      try {
        const thread = await journey(context, pageUrl, where.startsWith('the demo') ? 'Maria' : 'Tom');
        const { page } = thread;

        // The journey really went over the network we watched: the loader, the chunk and the realtime socket.
        expect(network.entries.some((e) => e.url.startsWith(`${kindred.url}/kindred.js`))).toBe(true);
        expect(network.entries.some((e) => e.kind === 'websocket' || e.url.includes('/socket.io/'))).toBe(true);
        expect(network.outside([kindred.url, pageOrigin])).toEqual([]);

        expect(await page.evaluate(() => document.cookie)).toBe('');
        expect(await context.cookies([pageOrigin])).toEqual([]);
        // Nor on Kindred's origin: the server sets none (socket.io's sticky-session cookie is off).
        expect(await context.cookies()).toEqual([]);

        // The guest identity lives in the page origin's localStorage instead.
        const stored = await page.evaluate(() =>
          Object.keys(localStorage)
            .filter((key) => key.startsWith('kindred:'))
            .map((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as { user?: { name?: string; kind?: string } }),
        );
        expect(stored).toEqual([expect.objectContaining({ user: expect.objectContaining({ kind: 'guest' }) })]);
      } finally {
        await context.close();
      }
    });
  }
});
