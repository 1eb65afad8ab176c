import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startHostSite, type HostSite } from './support/host-site.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { freePort } from './support/net.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { ThreadPage } from './support/thread-page.js';

describe('nothing is lost', () => {
  let kindred: KindredServer;
  let direct: HostSite;
  let viaProxy: HostSite;
  let proxy: TcpProxy;
  let browser: Browser;

  beforeAll(async () => {
    const [directPort, proxyPagePort] = [await freePort(), await freePort()];
    kindred = await startKindred({
      demoOrigins: [`http://127.0.0.1:${directPort}`, `http://127.0.0.1:${proxyPagePort}`],
    });
    proxy = await startTcpProxy(kindred.port);
    direct = await startHostSite({ loader: `${kindred.url}/kindred.js` }, directPort);
    // This page reaches the server only through the proxy, which the test can cut.
    viaProxy = await startHostSite(
      { loader: `${kindred.url}/kindred.js`, server: proxy.url },
      proxyPagePort,
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await direct?.close();
    await viaProxy?.close();
    await proxy?.close();
    await kindred?.stop();
  });

  const open = async (site: HostSite, topic: string): Promise<ThreadPage> => {
    const context = await browser.newContext();
    const thread = new ThreadPage(await context.newPage());
    await thread.open(`${site.origin}/?topic=${topic}`);
    return thread;
  };

  it('keeps every post, reply and identity across a server restart', async () => {
    const maria = await open(direct, 'restart-e2e');
    await maria.signInAsGuest('Maria');
    await maria.write('Week 2: stairs are getting easier.');
    await maria.reply('stairs are getting easier', 'Tip: up with the good leg, down with the bad.');
    const before = await maria.bodies();

    await kindred.restart();

    // The open page reconnects by itself and can still post as the same guest.
    await maria.write('Back after the server restarted.');
    await maria.page.reload();
    await maria.post('Back after the server restarted').waitFor();
    expect(await maria.bodies()).toEqual(['Back after the server restarted.', ...before]);
    await expect(maria.post('stairs are getting easier').getByText('Maria').count()).resolves.toBeGreaterThan(0);
  });

  it('catches up after being offline, with no loss and no duplicates', async () => {
    const maria = await open(direct, 'offline-e2e');
    await maria.signInAsGuest('Maria');
    await maria.write('Before the tunnel: first post.');
    await maria.write('Before the tunnel: second post.');

    const tom = await open(viaProxy, 'offline-e2e');
    await tom.post('second post').waitFor();

    proxy.cut();
    await maria.write('While Tom was offline: one.');
    await maria.write('While Tom was offline: two.');
    await maria.reply('first post', 'While Tom was offline: a reply.');
    await maria.edit('second post', 'Before the tunnel: second post, edited.');
    await maria.remove('While Tom was offline: one.');
    proxy.restore();

    await expect.poll(() => tom.newPostsButton().isVisible(), { timeout: 20_000 }).toBe(true);
    await tom.newPostsButton().click();
    await tom.post('a reply').waitFor();
    await tom.post('second post, edited').waitFor();

    const fresh = await open(direct, 'offline-e2e');
    await fresh.post('a reply').waitFor();
    const expected = await fresh.bodies();
    expect(expected).toEqual([
      'While Tom was offline: two.',
      'Before the tunnel: second post, edited.',
      'Before the tunnel: first post.',
      'While Tom was offline: a reply.',
    ]);
    await expect.poll(() => tom.bodies()).toEqual(expected);
  });
});
