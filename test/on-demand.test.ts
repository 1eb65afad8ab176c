import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_REASONS, type Ack } from '../packages/protocol/src/index.js';
import { client, countRows, session } from '../packages/server/src/testing/socket-client.js';
import { launchChromium } from './support/browser.js';
import { startHostSite, type HostSite } from './support/host-site.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { freePort } from './support/net.js';
import { ThreadPage } from './support/thread-page.js';

const TOPIC = 'on-demand-loading';
const SEED = 'Olga: the second week was the hardest, then it got better.';
const WITH_PHONE = 'Text me on 555-201-3344 and I can share my exercise sheet.';

const LOADER = /^\/kindred\.js$/;
const THREAD = /^\/kindred-thread\.js$/;
const SHARED = /^\/chunks\/kindred-shared-[\w-]+\.js$/;
const DRAFT_CHECKS = /^\/chunks\/kindred-draft-checks-[\w-]+\.js$/;
const REPORT_FORM = /^\/chunks\/kindred-report-form-[\w-]+\.js$/;
const SPANISH = /-es-[\w-]+\.js$/;

/**
 * The thread keeps what only writers and reporters need off a reader's first
 * paint: on a hospital page on another origin, a reader gets the loader, the
 * thread and the shared chunk; the draft checks arrive when a composer is
 * focused (and a Post pressed before they arrive waits for them); the report
 * form arrives when Report is pressed; Spanish never loads on an English page.
 */
describe('code the thread loads on demand', () => {
  let kindred: KindredServer;
  let host: HostSite;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    const hostPort = await freePort();
    kindred = await startKindred({ demoOrigins: [`http://127.0.0.1:${hostPort}`] });
    host = await startHostSite({ loader: `${kindred.url}/kindred.js`, topic: TOPIC }, hostPort);
    browser = await launchChromium();
    // Someone else's post, for the visitor to report.
    const olga = client(kindred.url);
    try {
      await session(olga);
      const signedIn = (await olga.ask('session:guest', { displayName: 'Olga' })) as Ack<unknown>;
      if (!signedIn.ok) throw new Error(`could not sign in: ${JSON.stringify(signedIn)}`);
      const seeded = (await olga.ask('post:create', { topic: TOPIC, clientId: 'seed-on-demand', body: SEED })) as Ack<unknown>;
      if (!seeded.ok) throw new Error(`could not seed: ${JSON.stringify(seeded)}`);
    } finally {
      olga.disconnect();
    }
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await host?.close();
    await kindred?.stop();
  });

  /** Bodies of the topic's posts as the read-only thread API serves them (what any reader can see). */
  const publicBodies = async (): Promise<string[]> => {
    const response = await fetch(`${kindred.url}/api/sites/demo/topics/${TOPIC}/posts`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { posts: Array<{ body: string }> };
    return page.posts.map((post) => post.body);
  };

  it('loads the draft checks on focus, the report form on Report, and nothing else on first paint', async () => {
    context = await browser.newContext();
    const page: Page = await context.newPage();
    const visitor = new ThreadPage(page);

    const kindredScripts: string[] = [];
    const problems: string[] = [];
    const postFrames: string[] = [];
    page.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (url.origin === kindred.url && url.pathname.endsWith('.js')) kindredScripts.push(url.pathname);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        if (String(payload).includes('post:create')) postFrames.push(String(payload));
      }),
    );
    /** The scripts requested since `from`, in order. */
    const since = (from: number): string[] => kindredScripts.slice(from);
    const settle = (): Promise<void> => page.waitForTimeout(400);

    // 1. A reader's first paint: the loader, the thread and the shared chunk, nothing else.
    await visitor.open(host.origin);
    await visitor.post(SEED).waitFor();
    await settle();
    const firstPaint = [...kindredScripts];
    expect(firstPaint).toHaveLength(3);
    expect(firstPaint[0]).toMatch(LOADER);
    expect(firstPaint.slice(1)).toEqual(expect.arrayContaining([expect.stringMatching(THREAD), expect.stringMatching(SHARED)]));

    // Sign in, then come back: a signed-in visitor's first paint loads no composer code either, until the composer is focused.
    await visitor.signInAsGuest('Sam');
    const reloadedAt = kindredScripts.length;
    await page.reload();
    const box = visitor.thread.getByRole('textbox', { name: /write a post/i });
    await box.waitFor();
    await visitor.post(SEED).waitFor();
    await settle();
    expect(since(reloadedAt).sort()).toEqual([...firstPaint].sort());

    // 2. Focusing the composer fetches the draft checks. Hold them back, so the Post below is pressed before they arrive.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let requested!: () => void;
    const draftChecksRequested = new Promise<void>((resolve) => (requested = resolve));
    // Playwright removes a route by the same matcher, so the one function serves both.
    const draftChecksUrl = (url: URL): boolean => DRAFT_CHECKS.test(url.pathname);
    await page.route(
      draftChecksUrl,
      async (route) => {
        requested();
        await held;
        await route.continue();
      },
    );
    const focusedAt = kindredScripts.length;
    await box.focus();
    await draftChecksRequested;
    expect(since(focusedAt)).toEqual([expect.stringMatching(DRAFT_CHECKS)]);

    // Type a phone number and press Post at once: nothing is sent while the checks are on their way…
    await box.fill(WITH_PHONE);
    await visitor.thread.locator('[part~="composer"]').first().getByRole('button', { name: 'Post' }).click();
    await page.waitForTimeout(200);
    expect(postFrames).toEqual([]);
    // …and once they arrive, the Post that waited for them shows the warning instead of sending.
    release();
    await visitor.thread.getByText(/This looks like a phone number/).waitFor({ timeout: 5_000 });
    await expect(box.inputValue()).resolves.toBe(WITH_PHONE);
    await page.waitForTimeout(300);
    expect(postFrames).toEqual([]);
    expect(countRows(kindred.dbPath).posts).toBe(1);
    await expect(publicBodies()).resolves.toEqual([SEED]);
    await expect(visitor.post('exercise sheet').count()).resolves.toBe(0);
    await page.unroute(draftChecksUrl);

    // 3. Report on Olga's post fetches the report form, which opens with focus on its first reason.
    const reportAt = kindredScripts.length;
    const reportFormRequest = page.waitForRequest((request) => REPORT_FORM.test(new URL(request.url()).pathname));
    await visitor.post(SEED).getByRole('button', { name: 'Report' }).click();
    await reportFormRequest;
    const form = visitor.thread.getByRole('form', { name: 'Report this post' });
    await form.waitFor({ timeout: 5_000 });
    expect(since(reportAt)).toEqual([expect.stringMatching(REPORT_FORM)]);
    const firstReason = form.getByRole('radio').first();
    await expect(firstReason.getAttribute('value')).resolves.toBe(REPORT_REASONS[0]);
    await expect
      .poll(() => firstReason.evaluate((radio) => (radio.getRootNode() as ShadowRoot).activeElement === radio))
      .toBe(true);

    // 4. An English page: no Spanish tables, no errors, and each chunk fetched once.
    expect(kindredScripts.filter((path) => SPANISH.test(path))).toEqual([]);
    expect(kindredScripts.filter((path) => DRAFT_CHECKS.test(path))).toHaveLength(2); // once per page load
    expect(kindredScripts.filter((path) => REPORT_FORM.test(path))).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it('says beside Report when the report form cannot be fetched, and fetches it when Report is pressed again', async () => {
    const page: Page = await (await browser.newContext()).newPage();
    const visitor = new ThreadPage(page);
    await visitor.open(host.origin);
    await visitor.signInAsGuest('Rae');
    const reportFormUrl = (url: URL): boolean => REPORT_FORM.test(url.pathname);
    await page.route(reportFormUrl, (route) => route.abort('internetdisconnected'));
    const report = visitor.post(SEED).getByRole('button', { name: 'Report' });
    await report.click();
    await visitor.post(SEED).getByRole('alert').getByText("The server didn't answer").waitFor();
    await expect(report.evaluate((button) => (button.getRootNode() as ShadowRoot).activeElement === button)).resolves.toBe(true);

    await page.unroute(reportFormUrl);
    await report.click();
    await visitor.thread.getByRole('form', { name: 'Report this post' }).waitFor({ timeout: 5_000 });
    await expect(visitor.post(SEED).getByText("The server didn't answer").count()).resolves.toBe(0);
    await page.context().close();
  });
});

