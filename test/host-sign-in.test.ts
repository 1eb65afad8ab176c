import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import type { HostSite } from './support/host-site.js';
import { startHospitalBackend } from './support/hospital-backend.js';
import { ROOMY_RATE_LIMITS, startKindred, type KindredServer } from './support/kindred-server.js';
import { freePort } from './support/net.js';
import { ThreadPage } from './support/thread-page.js';

const SECRET = 'e2e-only-signing-secret-for-the-demo-site-0123456789';

async function setUp(rateLimits?: string): Promise<{ kindred: KindredServer; hospital: HostSite }> {
  const port = await freePort();
  const kindred = await startKindred({
    demoOrigins: [`http://127.0.0.1:${port}`],
    demoSecret: SECRET,
    ...(rateLimits && { rateLimits }),
  });
  const hospital = await startHospitalBackend({ loader: `${kindred.url}/kindred.js`, site: 'demo', secret: SECRET, port });
  return { kindred, hospital };
}

describe("sign-in from the hospital's own site", () => {
  let kindred: KindredServer;
  let hospital: HostSite;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** A visitor's browser; `login` signs them in on the hospital site first, with its cookie. */
  const visit = async (topic: string, login?: string): Promise<ThreadPage> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(login ? `${hospital.origin}/login?topic=${topic}&${login}` : `${hospital.origin}/?topic=${topic}`);
    await page.locator('kindred-thread [part~="base"]').waitFor();
    return new ThreadPage(page);
  };

  beforeAll(async () => {
    ({ kindred, hospital } = await setUp());
    await kindred.cli('site', 'update', 'demo', '--members-only-topic', 'care-team');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await hospital?.close();
    await kindred?.stop();
  });

  it('shows a signed-in patient posting under their hospital name', async () => {
    const ana = await visit('signin-e2e', 'sub=patient-17&name=Ana%20Lopez');
    await ana.thread.getByText('Posting as Ana Lopez').waitFor();
    await expect(ana.thread.getByLabel('Display name').count()).resolves.toBe(0);
    await ana.write('Walking without crutches today.');

    const reader = await visit('signin-e2e');
    await reader.post('Walking without crutches today.').getByText('Ana Lopez').waitFor();
  });

  for (const [signing, why] of [
    ['expired', 'an expired token'],
    ['wrong-key', 'a token signed with the wrong key'],
  ] as const) {
    it(`refuses ${why} with a clear message and falls back to reading`, async () => {
      const visitor = await visit('signin-e2e', `sub=patient-18&name=Ben%20Okafor&signing=${signing}`);
      await visitor.thread.getByText(/couldn.t confirm your sign-in/i).waitFor();
      await visitor.post('Walking without crutches today.').waitFor();
      await expect(visitor.thread.getByText('Posting as Ben Okafor').count()).resolves.toBe(0);
    });
  }

  it('keeps a members-only topic from guests and shows it to members', async () => {
    const nurse = await visit('care-team', 'sub=staff-3&name=Nurse%20Kim');
    await nurse.thread.getByText('Posting as Nurse Kim').waitFor();
    await nurse.write('Reminder: physio group moves to room 4 on Friday.');

    const guest = await visit('care-team');
    await guest.thread.getByText(/for signed-in members/i).waitFor();
    await expect(guest.thread.getByText('physio group moves').count()).resolves.toBe(0);

    const api = await fetch(`${kindred.url}/api/sites/demo/topics/care-team/posts?sort=newest`, {
      headers: { origin: hospital.origin },
    });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ error: { code: 'MEMBERS_ONLY' } });
  });

  it('signs the widget out when the visitor signs out on the hospital site', async () => {
    const ana = await visit('signin-e2e', 'sub=patient-17&name=Ana%20Lopez');
    await ana.thread.getByText('Posting as Ana Lopez').waitFor();
    await ana.page.evaluate(() => fetch('/logout'));
    // The widget checks the sign-in again when the visitor comes back to the tab (at most every 5 s).
    await ana.page.waitForTimeout(5_500);
    await ana.page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await ana.thread.getByText('Posting as Ana Lopez').waitFor({ state: 'detached' });
    await ana.post('Walking without crutches today.').waitFor();
  });
});

describe('rate limits', () => {
  let kindred: KindredServer;
  let hospital: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    ({ kindred, hospital } = await setUp(`${ROOMY_RATE_LIMITS},posts=2/4`));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await hospital?.close();
    await kindred?.stop();
  });

  it('engage with a wait the visitor can read, and release after it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hospital.origin}/login?topic=limits-e2e&sub=patient-20&name=Cara%20Diaz`);
    const cara = new ThreadPage(page);
    await cara.thread.getByText('Posting as Cara Diaz').waitFor();
    await cara.write('First update of the day.');
    await cara.write('Second update of the day.');
    await cara.write('Third update, too soon.');

    const refused = cara.post('Third update, too soon.');
    await refused.getByText(/Not sent/).waitFor();
    await cara.thread
      .locator('[part~="composer"]')
      .getByText(/posting faster than this discussion allows\. Try again in \d+ seconds?/)
      .waitFor();

    // Bounded: the window is 4 s; Retry succeeds once it has passed.
    await expect
      .poll(
        async () => {
          if (await refused.getByRole('button', { name: 'Retry' }).isVisible()) {
            await refused.getByRole('button', { name: 'Retry' }).click();
          }
          return refused.getByText(/Not sent|Sending…/).count();
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe(0);
    expect(await cara.bodies()).toEqual(['Third update, too soon.', 'Second update of the day.', 'First update of the day.']);
    await context.close();
  });
});
