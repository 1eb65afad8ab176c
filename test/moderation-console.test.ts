import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, PostView } from '../packages/protocol/src/index.js';
import { client, session } from '../packages/server/src/testing/socket-client.js';
import { launchChromium } from './support/browser.js';
import { ROOMY_RATE_LIMITS, startKindred, type KindredServer } from './support/kindred-server.js';
import { ThreadPage } from './support/thread-page.js';

/**
 * Issue 4's acceptance, end to end on the shipped demo: the moderator signs in
 * with the demo hospital's own login on Riverside's staff page and works the
 * console while patients use the public thread in other browsers.
 */
describe('the moderator console on the demo staff page', () => {
  let kindred: KindredServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let console_: Locator;
  let admin: Page;

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  };
  const visitor = async (): Promise<ThreadPage> => {
    const thread = new ThreadPage(await newPage());
    await thread.open(`${kindred.url}/demo/`);
    return thread;
  };
  const tab = (name: string): Locator => console_.getByRole('tab', { name: new RegExp(`^${name}`) });
  const item = (text: string): Locator => console_.locator('article[part~="item"]').filter({ hasText: text });
  const announced = (text: string): Promise<void> =>
    console_.locator('[part~="announcer"]').filter({ hasText: text }).waitFor({ timeout: 10_000 });

  /** Another person on a socket of their own, signed in as a guest (e.g. someone reporting a post). */
  const guestSocket = async (name: string) => {
    const socket = client(kindred.url);
    await session(socket);
    const signedIn = (await socket.ask('session:guest', { displayName: name })) as Ack<unknown>;
    expect(signedIn.ok).toBe(true);
    return socket;
  };

  beforeAll(async () => {
    kindred = await startKindred({ rateLimits: ROOMY_RATE_LIMITS });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await kindred?.stop();
  });

  it('signs the demo moderator in with the demo hospital login at /admin/', async () => {
    admin = await newPage();
    await admin.goto(`${kindred.url}/admin/`);
    expect(new URL(admin.url()).pathname).toBe('/demo/admin/');
    console_ = admin.locator('kindred-moderation');
    await console_.getByText('This console is for moderators. Sign in with a moderator account.').waitFor({ timeout: 15_000 });

    await admin.getByRole('link', { name: 'Sign in as the demo moderator' }).click();
    await admin.waitForURL(`${kindred.url}/demo/admin/`);
    await console_.getByText('Signed in as Dr. Priya Patel (moderator)').waitFor({ timeout: 15_000 });
    await tab('Held').waitFor();
    // HttpOnly: the page's scripts never see the demo hospital's session.
    expect(await admin.evaluate(() => document.cookie)).toBe('');
  });

  it('turns on the first-post hold and a report threshold of 2 from the console', async () => {
    await tab('Settings').click();
    await console_.getByLabel('Guests').fill('1');
    await console_.getByLabel('Report threshold').fill('2');
    await console_.getByRole('button', { name: 'Save settings' }).click();
    await announced('Settings saved.');
    await tab('Held').click();
  });

  let sam: ThreadPage;
  let viewer: ThreadPage;
  const first = 'First time here. Any tips for managing stairs in week two?';

  it("holds a guest's first post, invisible to another visitor, until the moderator approves it live", async () => {
    sam = await visitor();
    await sam.signInAsGuest('Sam');
    await sam.write(first);
    viewer = await visitor();
    expect(await viewer.bodies()).not.toContain(first);

    await item(first).waitFor({ timeout: 10_000 });
    await expect(tab('Held').textContent()).resolves.toMatch(/Held \(1\)/);
    await expect(item(first).textContent()).resolves.toContain('Sam');
    await item(first).getByRole('button', { name: 'Approve' }).click();
    await item(first).getByRole('button', { name: 'Yes, approve' }).click();
    await announced('Post approved.');
    await item(first).waitFor({ state: 'detached' });
    await expect(tab('Held').textContent()).resolves.toMatch(/Held \(0\)/);

    // Live for the viewer: shown at once, or behind the "new posts" button.
    await viewer.post(first).or(viewer.newPostsButton()).first().waitFor({ timeout: 10_000 });
    if (await viewer.newPostsButton().isVisible()) await viewer.newPostsButton().click();
    await viewer.post(first).waitFor();
  });

  it('puts a crisis post at the top of the Crisis queue and raises an alert in the console', async () => {
    const crisis = "I don't want to live anymore";
    const box = sam.thread.getByRole('textbox', { name: /write a post/i });
    await box.fill(crisis);
    const send = sam.thread.locator('[part~="composer"]').first().getByRole('button', { name: 'Post' });
    await send.click();
    // The thread offers support before it sends; the author may still post.
    await sam.thread.getByText("You don't have to go through this alone.").first().waitFor();
    await send.click();

    const alert = console_.getByRole('alert').filter({ hasText: 'Crisis post in knee-replacement — review now' });
    await alert.waitFor({ timeout: 10_000 });
    await expect(tab('Crisis').textContent()).resolves.toMatch(/Crisis \(1\)/);
    await tab('Crisis').click();
    await expect(console_.locator('article[part~="item"]').first().textContent()).resolves.toContain(crisis);
    expect(await viewer.bodies()).not.toContain(crisis);
  });

  const risky = 'Stop your blood thinners a week early, the nurses fuss too much.';

  it('hides a post once two visitors report it, and shows it in Reported', async () => {
    await sam.write(risky);
    const listed = (await (await fetch(`${kindred.url}/api/sites/demo/topics/knee-replacement/posts?sort=newest`)).json()) as {
      posts: PostView[];
    };
    const post = listed.posts.find((each) => each.body === risky);
    expect(post, 'the post is public before the reports').toBeDefined();

    const reporters = [await guestSocket('Reporter One'), await guestSocket('Reporter Two')];
    try {
      const answers = [];
      for (const reporter of reporters) {
        answers.push(await reporter.ask('post:report', { postId: post!.id, reason: 'medical-misinformation', note: 'Dangerous advice' }));
      }
      expect(answers.map((answer) => answer.ok && (answer.data as { hidden: boolean }).hidden)).toEqual([false, true]);
    } finally {
      for (const reporter of reporters) reporter.disconnect();
    }

    const reader = await visitor();
    expect(await reader.bodies()).not.toContain(risky);
    await tab('Reported').click();
    await item(risky).waitFor({ timeout: 10_000 });
    await expect(item(risky).textContent()).resolves.toContain('Medical misinformation: 2 reports');
  });

  it("bans the author from the console, and their next post is refused at once", async () => {
    await item(risky).getByRole('button', { name: 'Ban' }).click();
    await item(risky).getByLabel(/Reason/).fill('Dangerous medical advice after a warning.');
    await item(risky).getByRole('button', { name: 'Ban member' }).click();
    await announced('Sam is banned.');
    await item(risky).locator('[part~="standing"]').filter({ hasText: 'Banned' }).waitFor();

    const box = sam.thread.getByRole('textbox', { name: /write a post/i });
    await box.fill('Is anyone still reading this?');
    await sam.thread.locator('[part~="composer"]').first().getByRole('button', { name: 'Post' }).click();
    await sam.thread.getByText(/removed your ability to post/).first().waitFor({ timeout: 10_000 });

    await tab('Audit log').click();
    const rows = console_.locator('tbody tr');
    await rows.first().waitFor();
    const log = (await rows.allInnerTexts()).join('\n');
    expect(log).toMatch(/Ban/);
    expect(log).toMatch(/Approve/);
    expect(log).toMatch(/Settings/);
  });
});
