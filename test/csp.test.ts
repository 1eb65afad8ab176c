import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { watchCsp } from './support/csp-watch.js';
import { startHostSite, type HostResponse, type HostSite } from './support/host-site.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { freePort } from './support/net.js';
import { ThreadPage } from './support/thread-page.js';

const demoDir = new URL('../demo/', import.meta.url);
// /demo/strict/ is the demo page itself, served under the strict policy.
const strictPage = readFileSync(new URL('index.html', demoDir), 'utf8');
const styles = readFileSync(new URL('styles.css', demoDir), 'utf8');

/** The policy docs/security.md tells a hospital to send, for a Kindred server at `kindred`. Written out here, not imported. */
function strictPolicy(kindred: string): string {
  const { host } = new URL(kindred);
  return (
    `default-src 'self'; script-src 'self' ${kindred}; style-src 'self'; connect-src ${kindred} ws://${host}; ` +
    `img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; ` +
    `require-trusted-types-for 'script'; trusted-types lit-html`
  );
}

/**
 * Hospital sites run under strict Content-Security-Policies. The Riverside
 * General page, served with such a policy as a real HTTP header, must load the
 * thread and let a guest post without one violation: on Kindred's own origin
 * (/demo/strict/) and, the realistic case, on the hospital's origin with
 * Kindred on another.
 */
describe('strict CSP with Trusted Types', () => {
  let kindred: KindredServer;
  let host: HostSite;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    const hostPort = await freePort();
    kindred = await startKindred({ demoOrigins: [`http://127.0.0.1:${hostPort}`] });
    const csp = strictPolicy(kindred.url);
    host = await startHostSite((url): HostResponse => {
      if (url.pathname === '/strict/') {
        return {
          body: strictPage.replace('src="/kindred.js"', `src="${kindred.url}/kindred.js"`),
          headers: { 'content-security-policy': csp },
        };
      }
      if (url.pathname === '/strict/styles.css') return { body: styles, headers: { 'content-type': 'text/css; charset=utf-8' } };
      if (url.pathname === '/favicon.ico') return { body: '', status: 204 };
      return { body: 'not found', status: 404, headers: { 'content-type': 'text/plain' } };
    }, hostPort);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await kindred?.stop();
  });

  it('the strict demo page has no inline script, inline style or style attribute', () => {
    expect(strictPage).toMatch(/<script src="\/kindred\.js"[^>]*><\/script>/);
    expect(strictPage.match(/<script\b[^>]*>/g)).toHaveLength(1);
    expect(strictPage).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
    expect(strictPage).toContain('href="styles.css"');
  });

  const cases = [
    { name: "on Kindred's own origin (/demo/strict/)", url: () => `${kindred.url}/demo/strict/`, user: 'Maria' },
    { name: 'on a hospital origin, with Kindred on another', url: () => `${host.origin}/strict/`, user: 'Tom' },
  ];

  for (const { name, url, user } of cases) {
    it(`loads the thread and lets a guest post with zero violations, ${name}`, async () => {
      context = await browser.newContext();
      try {
        const page = await context.newPage();
        const watch = await watchCsp(page);
        const thread = new ThreadPage(page);

        const response = await page.goto(url());
        expect(response?.headers()['content-security-policy']).toBe(strictPolicy(kindred.url));
        await thread.thread
          .locator('[part~="composer"]')
          .first()
          .waitFor({ timeout: 15_000 })
          .catch(async (error: Error) => {
            throw new Error(`${error.message}\nCSP violations: ${JSON.stringify(await watch.violations())}\nconsole: ${watch.consoleErrors.join('; ')}`);
          });
        // The page's own stylesheet applied (style-src 'self'), and the widget's adopted styles too.
        await expect.poll(() => page.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0);
        expect(await thread.thread.evaluate((el) => el.shadowRoot?.adoptedStyleSheets.length ?? 0)).toBeGreaterThan(0);

        await thread.signInAsGuest(user);
        const text = `${user} under a strict policy: day 5, the swelling is going down.`;
        await thread.write(text);
        await expect(thread.bodies()).resolves.toContain(text);

        expect(await watch.violations()).toEqual([]);
        expect(watch.consoleErrors).toEqual([]);
        expect(watch.pageErrors).toEqual([]);

        // The policy is really enforced and the recorder really hears it: a raw HTML string is refused.
        const refused = await page.evaluate(() => {
          try {
            document.createElement('div').innerHTML = '<b>raw</b>';
            return false;
          } catch {
            return true;
          }
        });
        expect(refused).toBe(true);
        await expect
          .poll(async () => (await watch.violations()).map((v) => v.effectiveDirective))
          .toEqual(['require-trusted-types-for']);
      } finally {
        await context.close();
      }
    });
  }
});
