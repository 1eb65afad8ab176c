import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostView } from '../packages/protocol/src/index.js';
import { client, ok, session, type TestClient } from '../packages/server/src/testing/socket-client.js';
import { launchChromium } from './support/browser.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';

/** What has focus, looked up through every open shadow root, described the way the tests ask about it. */
interface Focused {
  /** The innermost Kindred element it is in ('' for the host page). */
  host: string;
  tag: string;
  id: string;
  part: string;
  role: string;
  /** Its accessible label where it has one in markup (aria-label, or its <label>). */
  label: string;
  text: string;
  name: string;
  value: string;
  checked: boolean;
  selected: string;
  pressed: string;
  /** The id and opening text of the post, question, item or message it is in (or is). */
  within: string;
  withinText: string;
}

/** Runs in the page: document.activeElement → its shadowRoot.activeElement → … */
function describeFocus(): Focused | null {
  const hosts: string[] = [];
  let element: Element | null = document.activeElement;
  while (element?.shadowRoot?.activeElement) {
    hosts.push(element.localName);
    element = element.shadowRoot.activeElement;
  }
  if (!element || element === document.body) return null;
  const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
  const field = element as HTMLInputElement;
  const article = element.closest('article');
  return {
    host: hosts.filter((name) => name.startsWith('kindred-')).at(-1) ?? '',
    tag: element.localName,
    id: element.id,
    part: element.getAttribute('part') ?? '',
    role: element.getAttribute('role') ?? '',
    label: squash(element.getAttribute('aria-label') ?? field.labels?.[0]?.textContent),
    text: squash(element.textContent).slice(0, 200),
    name: element.getAttribute('name') ?? '',
    value: typeof field.value === 'string' ? field.value : '',
    checked: field.checked === true,
    selected: element.getAttribute('aria-selected') ?? '',
    pressed: element.getAttribute('aria-pressed') ?? '',
    within: article?.id ?? '',
    withinText: squash(article?.textContent).slice(0, 300),
  };
}

const focused = (page: Page): Promise<Focused | null> => page.evaluate(describeFocus);

const show = (focus: Focused | null): string =>
  focus ? `<${focus.host}> ${focus.tag}#${focus.id} [${focus.part}] "${focus.label || focus.text.slice(0, 40)}"` : '(nothing)';

/**
 * Presses `key` (Tab by default) until the focused element matches; fails
 * after `max` presses with the path focus took. This is what proves a control
 * can be reached with the keyboard.
 */
async function tabTo(page: Page, matches: (focus: Focused) => boolean, max = 40, key = 'Tab'): Promise<Focused> {
  const path: string[] = [];
  for (let press = 0; press < max; press++) {
    await page.keyboard.press(key);
    const focus = await focused(page);
    if (focus && matches(focus)) return focus;
    path.push(show(focus));
  }
  throw new Error(`not reached with ${max} × ${key}; focus went:\n  ${path.join('\n  ')}`);
}

/** Waits until focus is where `matches` says (focus moves after a render or a server's answer). */
async function focusSettlesOn(page: Page, matches: (focus: Focused) => boolean, what: string): Promise<Focused> {
  const deadline = Date.now() + 10_000;
  let last: Focused | null = null;
  while (Date.now() < deadline) {
    last = await focused(page);
    if (last && matches(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`focus should be on ${what}, but it is on ${show(last)}`);
}

const isPart = (focus: Focused, part: string): boolean => focus.part.split(/\s+/).includes(part);

const TOPIC = 'knee-replacement';
const COMMUNITY = 'joint-replacement';
const ICE = 'Ice every two hours helped my swelling more than anything.';
const STAIRS = 'Stairs: up with the good leg, down with the bad one.';
const LIVE = 'Week four and I walked to the shop without a stick today.';

/**
 * Issue 7's keyboard-only journey on the shipped demo pages: a patient reads,
 * posts, replies, reacts, reports, asks and accepts an introduction, and a
 * moderator works the queue, pressing only keys. The other people in the
 * story (Ana who posts, Ben who is introduced, a second reporter) act through
 * sockets of their own.
 */
describe('a keyboard-only journey through the demo', () => {
  let kindred: KindredServer;
  let browser: Browser;
  let page: Page;
  const sockets: TestClient[] = [];
  const posts: Record<string, PostView> = {};

  const guest = async (name: string): Promise<TestClient> => {
    const socket = client(kindred.url);
    sockets.push(socket);
    await session(socket);
    ok(await socket.ask('session:guest', { displayName: name }));
    return socket;
  };
  const write = async (socket: TestClient, body: string): Promise<PostView> => {
    const { post } = ok(await socket.ask<{ post: PostView }>('post:create', { topic: TOPIC, clientId: randomUUID().replaceAll('-', ''), body }));
    return (posts[body] = post);
  };
  const inPost = (body: string) => (focus: Focused) => focus.within === `post-${posts[body]!.id}`;

  let ana: TestClient;

  beforeAll(async () => {
    kindred = await startKindred();
    browser = await launchChromium();
    ana = await guest('Ana');
    await write(ana, ICE);
    await write(ana, STAIRS);
    page = await (await browser.newContext()).newPage();
    await page.goto(`${kindred.url}/demo/`);
    await page.locator('kindred-thread').locator('article[part~="post"]').first().waitFor({ timeout: 15_000 });
    await page.locator('kindred-introduce-me').getByRole('heading', { name: 'How introductions work' }).waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await browser?.close();
    await kindred?.stop();
  });

  it('signs in from the keyboard, and "N new posts" takes focus to the first new post', async () => {
    await tabTo(page, (f) => f.host === 'kindred-thread' && f.label === 'Display name');
    await page.keyboard.type('Maria');
    await page.keyboard.press('Enter');
    await focusSettlesOn(page, (f) => f.host === 'kindred-thread' && f.id === 'body', 'the post composer');

    // Ana posts while Maria reads: the post waits behind a button, which takes focus to it.
    await write(ana, LIVE);
    const thread = page.locator('kindred-thread');
    await thread.locator('[part~="new-posts"]').waitFor({ timeout: 10_000 });
    await tabTo(page, (f) => isPart(f, 'new-posts') && /1 new post/.test(f.text));
    await page.keyboard.press('Enter');
    const onPost = await focusSettlesOn(page, inPost(LIVE), 'the new post');
    expect(onPost).toMatchObject({ tag: 'article', part: 'post' });
    expect(onPost.withinText).toContain(LIVE);
  });

  it('posts, and focus comes back to the emptied composer', async () => {
    await tabTo(page, (f) => f.host === 'kindred-thread' && f.id === 'body', 40, 'Shift+Tab');
    const mine = 'Thank you all. Ice and short walks are working for me too.';
    await page.keyboard.type(mine);
    await tabTo(page, (f) => f.host === 'kindred-thread' && isPart(f, 'send-button') && f.text === 'Post', 3);
    await page.keyboard.press('Enter');
    const thread = page.locator('kindred-thread');
    const sent = thread.locator('article[part~="post"]').filter({ hasText: mine });
    await sent.waitFor();
    await sent.getByText('Sending…').waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ host: 'kindred-thread', id: 'body', value: '' });
  });

  it('replies to a post, and focus returns to its Reply button', async () => {
    await tabTo(page, (f) => isPart(f, 'reply-button') && inPost(ICE)(f));
    await page.keyboard.press('Enter');
    await focusSettlesOn(page, (f) => f.id === 'reply-body' && inPost(ICE)(f), 'the reply box');
    const reply = 'Did you keep the ice on overnight?';
    await page.keyboard.type(reply);
    await page.keyboard.press('Control+Enter');
    await focusSettlesOn(page, (f) => isPart(f, 'reply-button') && inPost(ICE)(f), 'the Reply button of the post replied to');
    await page.locator('kindred-thread').locator('article[part~="post"]').filter({ hasText: reply }).getByText('Sending…').waitFor({ state: 'detached' });
  });

  it('reacts to a post with Space', async () => {
    const helpful = await tabTo(page, (f) => isPart(f, 'reaction-button') && f.label.startsWith('Helpful') && inPost(ICE)(f), 5, 'Shift+Tab');
    expect(helpful.pressed).toBe('false');
    await page.keyboard.press('Space');
    await focusSettlesOn(page, (f) => isPart(f, 'reaction-button') && f.pressed === 'true' && /Helpful.*1/.test(f.label), 'the pressed Helpful');
  });

  it('reports a post: focus moves into the form, Escape closes it back onto Report, arrows choose the reason', async () => {
    const report = (f: Focused): boolean => isPart(f, 'report-button') && inPost(STAIRS)(f);
    // Newest first: Ana's stairs post is above the one just reacted to.
    await tabTo(page, report, 10, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await focusSettlesOn(page, (f) => f.name === 'report-reason' && inPost(STAIRS)(f), 'the first reason');
    await page.keyboard.press('Escape');
    await focusSettlesOn(page, report, 'the Report button again');
    expect(await page.locator('kindred-thread').locator('[part~="report-form"]').count()).toBe(0);

    await page.keyboard.press('Enter');
    await focusSettlesOn(page, (f) => f.name === 'report-reason', 'the first reason');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ name: 'report-reason', checked: true, label: 'Private information' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'report-note' });
    await page.keyboard.type('It names a nurse on the ward.');
    await tabTo(page, (f) => isPart(f, 'send-button') && f.text === 'Send report', 3);
    await page.keyboard.press('Enter');
    await focusSettlesOn(page, (f) => f.tag === 'article' && inPost(STAIRS)(f), 'the reported post');
    await page.locator('kindred-thread').getByText('Thanks — a moderator will take a look.').first().waitFor();
  });

  it('asks the experts a question, and works the tabs with the arrow keys', async () => {
    await tabTo(page, (f) => f.host === 'kindred-ask-expert' && f.id === 'ask-title', 60);
    const question = 'When can I kneel on my new knee?';
    await page.keyboard.type(question);
    await tabTo(page, (f) => f.host === 'kindred-ask-expert' && isPart(f, 'ask-button'), 15);
    await page.keyboard.press('Enter');
    const asked = await focusSettlesOn(page, (f) => f.host === 'kindred-ask-expert' && f.tag === 'article' && f.withinText.includes(question), 'the question asked');
    expect(asked.id).toMatch(/^q-/);

    const onTab = (name: string) => (f: Focused) => f.role === 'tab' && f.text === name && f.selected === 'true';
    await tabTo(page, onTab('My questions'), 10, 'Shift+Tab');
    await page.keyboard.press('ArrowLeft');
    await focusSettlesOn(page, onTab('Unanswered'), 'the Unanswered tab');
    await page.keyboard.press('Home');
    await focusSettlesOn(page, onTab('Answered'), 'the Answered tab');
    await page.keyboard.press('ArrowLeft');
    await focusSettlesOn(page, onTab('My questions'), 'the My questions tab (wrapping round)');
    await page.locator('kindred-ask-expert').locator('article[part~="question"]').filter({ hasText: question }).waitFor();
  });

  it('opts in to introductions, says yes to Ben and writes to him', async () => {
    const widget = page.locator('kindred-introduce-me');
    await tabTo(page, (f) => f.host === 'kindred-introduce-me' && f.name === 'role', 60);
    await page.keyboard.press('Space');
    expect(await focused(page)).toMatchObject({ name: 'role', checked: true, label: expect.stringMatching(/^I'm a patient/) });
    await tabTo(page, (f) => f.name === 'topic' && f.label === 'Knee replacement', 10);
    await page.keyboard.press('Space');
    // The page is in English, so English is already ticked.
    expect(await widget.getByRole('checkbox', { name: 'English' }).isChecked()).toBe(true);
    await tabTo(page, (f) => f.id === 'consent', 15);
    await page.keyboard.press('Space');
    await tabTo(page, (f) => isPart(f, 'join-button'), 3);
    await page.keyboard.press('Enter');
    await focusSettlesOn(page, (f) => f.id === 'intro-status' && f.text === "You're in", 'the status heading');

    const ben = await guest('Ben');
    ok(
      await ben.ask('introduce:join', {
        community: COMMUNITY,
        clientId: randomUUID().replaceAll('-', ''),
        role: 'patient',
        wants: 'peer',
        topics: [{ id: 'knee-replacement' }],
        languages: ['en'],
        about: 'Eight weeks after my knee, happy to talk.',
        consent: true,
      }),
    );
    expect(JSON.parse(await kindred.cli('match', 'run', 'demo', COMMUNITY, '--json'))).toMatchObject({ pairs: 1 });
    const state = ok(await ben.ask<{ introductions: { id: string }[] }>('introduce:state', { community: COMMUNITY }));
    ok(await ben.ask('introduction:answer', { introductionId: state.introductions[0]!.id, accept: true }));

    await widget.getByRole('heading', { name: "We'd like to introduce you to Ben" }).waitFor({ timeout: 10_000 });
    // The heading Maria was on ("You're in") gave way to the proposal's: focus is not dropped on the page.
    await focusSettlesOn(page, (f) => f.id === 'intro-status' && f.text === "We'd like to introduce you to Ben", 'the proposal heading');
    await tabTo(page, (f) => isPart(f, 'accept-button'), 20);
    await page.keyboard.press('Enter');
    await focusSettlesOn(page, (f) => isPart(f, 'conversation-heading') && f.text === 'Your conversation with Ben', 'the conversation');
    await tabTo(page, (f) => isPart(f, 'message-input') && f.label === 'Write to Ben', 5);
    const hello = 'Hi Ben! Did kneeling get easier for you?';
    await page.keyboard.type(hello);
    await page.keyboard.press('Control+Enter');
    await widget.getByRole('log', { name: 'Messages with Ben' }).getByText(hello).waitFor({ timeout: 10_000 });
    await focusSettlesOn(page, (f) => isPart(f, 'message-input') && f.value === '', 'the emptied message box');
  });

  it('lets a moderator sign in, approve one reported post and reject another, by keyboard', async () => {
    const reporter = await guest('Reporter');
    ok(await reporter.ask('post:report', { postId: posts[ICE]!.id, reason: 'medical-misinformation', note: 'Ice overnight is not advice.' }));

    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${kindred.url}/demo/admin/`);
    const console_ = admin.locator('kindred-moderation');
    await console_.locator('[part~="not-moderator"]').waitFor({ timeout: 15_000 });
    await tabTo(admin, (f) => f.tag === 'a' && f.text === 'Sign in as the demo moderator');
    await admin.keyboard.press('Enter');
    await admin.waitForURL(`${kindred.url}/demo/admin/`);
    await console_.getByText('Signed in as Dr. Priya Patel (moderator)').waitFor({ timeout: 15_000 });

    const selectedTab = (name: RegExp) => (f: Focused) => f.role === 'tab' && name.test(f.text) && f.selected === 'true';
    await tabTo(admin, selectedTab(/^Held/));
    await admin.keyboard.press('ArrowRight');
    await focusSettlesOn(admin, selectedTab(/^Reported \(2\)/), 'the Reported tab');
    await console_.locator('article[part~="item"]').nth(1).waitFor();

    const item = (body: string) => (f: Focused) => f.within === `item-${posts[body]!.id}`;
    const approve = (f: Focused): boolean => isPart(f, 'action-approve') && item(STAIRS)(f);
    await tabTo(admin, approve, 40);
    await admin.keyboard.press('Enter');
    await focusSettlesOn(admin, (f) => isPart(f, 'confirm-button') && f.text === 'Yes, approve' && item(STAIRS)(f), 'Yes, approve');
    await admin.keyboard.press('Escape');
    await focusSettlesOn(admin, approve, 'the Approve button again');
    await admin.keyboard.press('Enter');
    await focusSettlesOn(admin, (f) => f.text === 'Yes, approve', 'Yes, approve');
    await admin.keyboard.press('Enter');
    await console_.locator('[part~="announcer"]').filter({ hasText: 'Post approved.' }).waitFor({ timeout: 10_000 });
    // The next item in the queue takes focus.
    await focusSettlesOn(admin, (f) => f.tag === 'article' && item(ICE)(f), 'the next item');

    await tabTo(admin, (f) => isPart(f, 'action-reject') && item(ICE)(f), 10);
    await admin.keyboard.press('Enter');
    await focusSettlesOn(admin, (f) => f.tag === 'textarea' && item(ICE)(f), 'the reason for the author');
    await admin.keyboard.type('Please check care advice with your team before sharing it.');
    await tabTo(admin, (f) => isPart(f, 'confirm-button') && f.text === 'Reject post', 3);
    await admin.keyboard.press('Enter');
    await console_.locator('[part~="announcer"]').filter({ hasText: 'Post rejected.' }).waitFor({ timeout: 10_000 });
    await focusSettlesOn(admin, (f) => f.id === 'empty', 'the empty queue');
    await expect.poll(() => page.locator('kindred-thread').locator('article[part~="post"]').filter({ hasText: ICE }).count()).toBe(0);
  });
});
