/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { Connection, getConnection } from '@kindred/client';
import type { ModerationItem, ModerationServerEvents, PostView } from '@kindred/protocol';
import './define.js';
import type { KindredModeration } from './moderation.js';
import { answerAuthUrl, button, hostToken, realFetch, type } from '../testing/host-page.js';

declare global {
  interface Window {
    KINDRED_TEST_SERVER: string;
  }
}

/**
 * The console against the real test server: its `demo` site's signing secret
 * is known to this page (KINDRED_TEST_DEMO_SECRET), so the tests sign real
 * host tokens — `demo-moderator`, whom the server seeds as the demo site's
 * moderator, and a patient — and answer the console's auth URL with them.
 */
const server = window.KINDRED_TEST_SERVER;
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;

const root = (el: KindredModeration): ShadowRoot => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: KindredModeration, selector: string): T | null =>
  root(el).querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: KindredModeration, selector: string): T[] => [
  ...root(el).querySelectorAll<T>(selector),
];
const text = (node: Node): string => node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const until = (check: () => unknown, message: string, timeout = 8000): Promise<void> => waitUntil(check, message, { timeout });

const open: Connection[] = [];
const elements: KindredModeration[] = [];

/** A console on its own connection, signed in (or not) by its own auth URL. */
async function mountConsole(login: { sub: string; name: string } | null): Promise<{ el: KindredModeration; connection: Connection }> {
  const authUrl = `/auth/${unique()}`;
  const token = login ? await hostToken(login) : null;
  answerAuthUrl(authUrl, () => (token ? Response.json({ token }) : new Response(null, { status: 204 })));
  const connection = getConnection({ server, site: 'demo', authUrl });
  open.push(connection);
  const el = await fixture<KindredModeration>(html`<kindred-moderation server=${server} site="demo" auth-url=${authUrl}></kindred-moderation>`);
  elements.push(el);
  return { el, connection };
}

const MODERATOR = { sub: 'demo-moderator', name: 'Dr. Priya Patel (moderator)' };

async function moderatorConsole(): Promise<{ el: KindredModeration; connection: Connection }> {
  const mounted = await mountConsole(MODERATOR);
  await until(() => $(mounted.el, '[role="tablist"]') || $(mounted.el, '[part~="not-moderator"]'), 'the console');
  if (!$(mounted.el, '[role="tablist"]')) throw new Error('demo-moderator is not a moderator on the test server');
  return mounted;
}

/** A guest of their own (memory storage, so not this page's identity) posting through the real server. */
async function guest(name: string): Promise<Connection> {
  const connection = new Connection({ server, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', 'the guest to connect');
  await connection.signInAsGuest(name);
  return connection;
}

async function postAs(connection: Connection, topic: string, body: string): Promise<{ post: PostView; notices?: string[] }> {
  return connection.request('post:create', { topic, clientId: crypto.randomUUID().replaceAll('-', ''), body });
}

const tab = (el: KindredModeration, name: string): HTMLButtonElement =>
  $$<HTMLButtonElement>(el, '[role="tab"]').find((each) => text(each).startsWith(name))!;
const item = (el: KindredModeration, body: string): HTMLElement | undefined =>
  $$(el, 'article[part~="item"]').find((article) => text(article).includes(body));

afterEach(() => {
  for (const el of elements.splice(0)) el.remove();
  for (const connection of open.splice(0)) connection.close();
});

describe('kindred-moderation', () => {
  // The test server makes guests' posts public at once; these tests are about the hold, so they turn it on.
  const setHeldFirstPosts = async (guestPosts: number): Promise<void> => {
    const { connection } = await moderatorConsole();
    await connection.request('mod:settings:set', { settings: { heldFirstPosts: { guest: guestPosts, member: 0 } } });
  };
  before(() => setHeldFirstPosts(1));
  after(() => setHeldFirstPosts(0));

  it('tells a visitor who is not signed in that the console is for moderators, and shows nothing else', async () => {
    const { el } = await mountConsole(null);
    await until(() => $(el, '[part~="not-moderator"]'), 'the notice');
    expect(text($(el, '[part~="not-moderator"]')!)).to.equal('This console is for moderators. Sign in with a moderator account.');
    expect($(el, '[role="tablist"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('tells a signed-in patient the same', async () => {
    const { el, connection } = await mountConsole({ sub: `patient-${unique()}`, name: 'Maria G.' });
    await until(() => connection.identity?.kind === 'member', 'the patient to sign in');
    await until(() => $(el, '[part~="not-moderator"]'), 'the notice');
    expect($(el, '[role="tablist"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a moderator the queues as tabs with counts, moved through with the arrow keys', async () => {
    const { el } = await moderatorConsole();
    await until(() => $(el, '[part~="list"], [part~="empty"]'), 'the Held queue');
    const tabs = $$<HTMLButtonElement>(el, '[role="tab"]');
    expect(tabs.map((each) => text(each).replace(/\(\d+\)/, '(n)'))).to.deep.equal([
      'Held (n)',
      'Reported (n)',
      'Crisis (n)',
      'Settings',
      'Audit log',
    ]);
    expect(tabs[0]!.getAttribute('aria-selected')).to.equal('true');
    expect(tabs.map((each) => each.tabIndex)).to.deep.equal([0, -1, -1, -1, -1]);
    expect(text($(el, '[part~="identity"]')!)).to.equal('Signed in as Dr. Priya Patel (moderator)');
    await expect(el).to.be.accessible();

    tabs[0]!.focus();
    tabs[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    await until(() => root(el).activeElement === tab(el, 'Reported'), 'focus on Reported');
    expect(tab(el, 'Reported').getAttribute('aria-selected')).to.equal('true');
    expect($(el, '[role="tabpanel"]')!.getAttribute('aria-labelledby')).to.equal('tab-reported');
    tab(el, 'Reported').dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    await until(() => root(el).activeElement === tab(el, 'Audit log'), 'focus on Audit log');
    tab(el, 'Audit log').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    await until(() => root(el).activeElement === tab(el, 'Held'), 'focus wraps to Held');
  });

  it('shows a guest\'s held first post live, with its author and reasons, and approves it with focus on what comes next', async () => {
    const { el } = await moderatorConsole();
    await until(() => $(el, '[part~="list"], [part~="empty"]'), 'the Held queue');
    const before = Number(/\((\d+)\)/.exec(text(tab(el, 'Held')))![1]);
    const name = `Sam ${unique()}`;
    const sam = await guest(name);
    const topic = `wtr-mod-${unique()}`;
    const body = `My first post ${unique()}\n\nSee https://example.org/knee for the leaflet.`;
    const { post } = await postAs(sam, topic, body);
    expect(post.status).to.equal('held');

    await until(() => item(el, 'My first post'), 'the held post to arrive live');
    await until(() => text(tab(el, 'Held')) === `Held (${before + 1})`, 'the Held count');
    const article = item(el, 'My first post')!;
    expect(text(article)).to.contain(name);
    expect(text(article)).to.contain('Guest');
    expect(text(article)).to.contain(`in ${topic}`);
    expect(text(article)).to.contain("A new author's first posts");
    expect(article.querySelectorAll('[part~="body"] p').length).to.equal(2);
    expect(article.querySelector('[part~="body"] a')!.getAttribute('href')).to.equal('https://example.org/knee');
    await expect(el).to.be.accessible();

    button(article, 'Approve').click();
    await until(() => article.querySelector('[part~="confirm"]'), 'the confirmation');
    await expect(el).to.be.accessible();
    const decided = oneEvent(el, 'kindred-moderated');
    button(article, 'Yes, approve').click();
    expect((await decided).detail.action).to.equal('approve');
    await until(() => !item(el, 'My first post'), 'the item to leave the queue');
    await until(() => text(tab(el, 'Held')) === `Held (${before})`, 'the Held count to drop');
    await until(() => text($(el, '[part~="announcer"]')!).includes('Post approved.'), 'the announcement');
    const focused = root(el).activeElement as HTMLElement | null;
    expect(focused?.matches('article[part~="item"], [part~="empty"]')).to.equal(true);
  });

  it('asks for a reason before rejecting, and words what went wrong', async () => {
    const { el } = await moderatorConsole();
    const sam = await guest(`Reject ${count}`);
    await postAs(sam, `wtr-mod-${unique()}`, `Buy cheap pills ${unique()}`);
    await until(() => item(el, 'Buy cheap pills'), 'the held post');
    const article = item(el, 'Buy cheap pills')!;
    button(article, 'Reject').click();
    await until(() => article.querySelector('textarea'), 'the reason field');
    expect(root(el).activeElement).to.equal(article.querySelector('textarea'));
    button(article, 'Reject post').click();
    await until(() => text(article.querySelector('[part~="confirm"] [part~="error"]')!) === 'Give a reason.', 'the missing reason');
    await expect(el).to.be.accessible();
    type(article.querySelector('textarea')!, 'Advertising is not allowed here.');
    button(article, 'Reject post').click();
    await until(() => !item(el, 'Buy cheap pills'), 'the item to leave the queue');
  });

  it('raises an assertive alert for a crisis post and puts it at the top of the Crisis queue', async () => {
    const { el } = await moderatorConsole();
    await until(() => $(el, '[part~="list"], [part~="empty"]'), 'the Held queue');
    const alerted = oneEvent(el, 'kindred-crisis-alert');
    const ana = await guest(`Ana ${count}`);
    const topic = `wtr-crisis-${unique()}`;
    await postAs(ana, topic, "I don't want to live anymore");
    await alerted;
    await el.updateComplete;
    const alert = $(el, '[part~="crisis-alert"]')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(text(alert)).to.equal(`Crisis post in ${topic} — review now`);
    await expect(el).to.be.accessible();
    button(root(el), 'Open the Crisis queue').click();
    await until(() => $$(el, 'article[part~="item"]')[0] && text($$(el, 'article[part~="item"]')[0]!).includes(topic), 'the crisis post on top');
    expect(tab(el, 'Crisis').getAttribute('aria-selected')).to.equal('true');
  });

  it('edits and saves the settings, with the server\'s validation shown by the field', async () => {
    const { el, connection } = await moderatorConsole();
    tab(el, 'Settings').click();
    await until(() => $(el, '#reportThreshold'), 'the settings');
    const { settings: before } = await connection.request('mod:settings:get', {});
    await expect(el).to.be.accessible();
    const threshold = $<HTMLInputElement>(el, '#reportThreshold')!;
    const original = threshold.value;
    type(threshold, '0');
    button(root(el), 'Save settings').click();
    await until(() => text($(el, '#reportThreshold-error')!) !== '', 'the threshold error');
    expect(threshold.getAttribute('aria-invalid')).to.equal('true');
    expect(root(el).activeElement).to.equal(threshold);
    await expect(el).to.be.accessible();

    type(threshold, original);
    type($<HTMLInputElement>(el, '#alertWebhookUrl')!, 'not a web address');
    button(root(el), 'Save settings').click();
    await until(() => text($(el, '#alertWebhookUrl-error')!) !== '', 'the server\'s webhook error');
    expect(root(el).activeElement).to.equal($(el, '#alertWebhookUrl'));

    type($<HTMLInputElement>(el, '#alertWebhookUrl')!, '');
    type($<HTMLTextAreaElement>(el, '#suspectWords')!, `miracle cure\nwtr-${count}`);
    button(root(el), 'Save settings').click();
    await until(() => text($(el, '[part~="announcer"]')!).includes('Settings saved.'), 'the saved announcement');
    expect($<HTMLTextAreaElement>(el, '#suspectWords')!.value).to.equal(`miracle cure\nwtr-${count}`);
    // The server is shared with the other component tests: leave its word list as it was.
    await connection.request('mod:settings:set', { settings: { suspectWords: before.suspectWords } });
  });

  it('lists the audit log in a table with headers, filters it, and exports it as CSV with the host token', async () => {
    const { el, connection } = await moderatorConsole();
    tab(el, 'Audit log').click();
    await until(() => $(el, 'table, [part~="audit"] [part~="empty"]'), 'the audit log');
    await until(() => $(el, 'table'), 'some entries (the tests above acted)');
    expect($$(el, 'th[scope="col"]').map(text)).to.deep.equal(['When', 'Who', 'What', 'On', 'Why', 'Change']);
    await expect(el).to.be.accessible();

    const select = $<HTMLSelectElement>(el, '#audit-action')!;
    select.value = 'settings';
    select.dispatchEvent(new Event('change'));
    button(root(el), 'Show').click();
    await until(() => $$(el, 'tbody tr').length > 0 && $$(el, 'tbody tr').every((row) => text(row).includes('Settings')), 'only settings changes');

    const downloads: { href: string; download: string; csv: string }[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const link = { href: this.href, download: this.download, csv: '' };
      downloads.push(link);
      void realFetch(this.href).then(async (response) => (link.csv = await response.text()));
    };
    try {
      button(root(el), 'Export CSV').click();
      await until(() => downloads[0]?.csv, 'the CSV download');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(downloads[0]!.href).to.match(/^blob:/);
    expect(downloads[0]!.download).to.equal('kindred-audit-demo.csv');
    expect(downloads[0]!.csv.split('\n')[0]).to.match(/at|when/i);
    expect(connection.hostAuth?.token).to.be.a('string');
  });
});

describe('kindred-moderation, driven by what the server would send', () => {
  /** A moderator session and queue answers on a connection of the test's own, rendered for real. */
  function fakeItem(overrides: Partial<ModerationItem> = {}): ModerationItem {
    const id = `p-${unique()}`;
    return {
      post: {
        id,
        clientId: id,
        topic: 'knee-replacement',
        parentId: null,
        rootId: null,
        depth: 0,
        replyToName: null,
        author: { id: 'u-1', name: 'Lee', kind: 'member' },
        body: 'Call me on 555 0100 <b>not bold</b>',
        createdAt: new Date(Date.now() - 60_000).toISOString(),
        editedAt: null,
        deleted: false,
        reactions: { helpful: 0, thanks: 0, metoo: 0 },
        replyCount: 0,
        status: 'published',
      },
      queue: 'reported',
      reasons: ['reports'],
      findings: ['phone number'],
      reports: [{ reason: 'private-information', count: 2, notes: ['Has a phone number'] }],
      urgency: 10,
      enteredAt: new Date().toISOString(),
      author: { id: 'u-1', name: 'Lee', kind: 'member', standing: 'active', approvedPosts: 3, heldPosts: 1 },
      ...overrides,
    };
  }

  it('renders reports with counts and notes, findings and the author\'s standing, and applies live events', async () => {
    const { el, connection } = await mountConsole(null);
    await until(() => $(el, '[part~="not-moderator"]'), 'the console to settle');
    const reported = fakeItem();
    const counts = { held: 0, reported: 1, crisis: 0 };
    const request = connection.request.bind(connection);
    connection.request = (async (name: string, req: unknown) => {
      if (name === 'mod:queue') {
        const queue = (req as { queue: string }).queue;
        return { items: queue === 'reported' ? [reported] : [], nextCursor: null, counts };
      }
      if (name === 'mod:member') return { standing: 'suspended' };
      return request(name as never, req as never);
    }) as Connection['request'];
    for (const listener of connection.socket.listeners('session')) {
      listener({ protocol: 1, user: { id: 'm-1', name: 'Mod', kind: 'member', roles: ['moderator'] }, site: connection.site ?? undefined });
    }
    await until(() => $(el, '[role="tablist"]'), 'the console');
    tab(el, 'Reported').click();
    await until(() => item(el, 'Call me'), 'the reported item');
    const article = item(el, 'Call me')!;
    expect(text(article)).to.contain('Private information: 2 reports');
    expect(text(article)).to.contain('Has a phone number');
    expect(text(article)).to.contain('phone number');
    expect(text(article)).to.contain('3 approved, 1 held');
    expect(article.querySelector('[part~="body"] b')).to.equal(null);
    expect(text(article.querySelector('[part~="body"]')!)).to.equal('Call me on 555 0100 <b>not bold</b>');
    await expect(el).to.be.accessible();

    button(article, 'Suspend').click();
    await until(() => article.querySelector('#confirm-' + reported.post.id + '-days'), 'the days field');
    type(article.querySelector<HTMLTextAreaElement>('textarea')!, 'Shared private details twice.');
    button(article, 'Suspend member').click();
    await until(() => text(article.querySelector('[part~="standing"]')!) === 'Suspended', 'the new standing');
    expect(text(button(article, 'Reinstate'))).to.equal('Reinstate');

    const deliver = (event: ModerationServerEvents['mod:event']): void => {
      for (const listener of connection.socket.listeners('mod:event')) listener(event);
    };
    const crisis = fakeItem({ queue: 'crisis', reasons: ['crisis'], urgency: 100, reports: [], findings: ['crisis language (en)'] });
    deliver({ type: 'item.added', item: crisis });
    deliver({ type: 'alert', item: crisis });
    await until(() => text(tab(el, 'Crisis')) === 'Crisis (1)', 'the Crisis count, counted once');
    expect(text($(el, '[part~="crisis-alert"]')!)).to.equal('Crisis post in knee-replacement — review now');
    deliver({ type: 'item.resolved', item: reported });
    await until(() => text(tab(el, 'Reported')) === 'Reported (0)', 'the Reported count');
    await until(() => $(el, '[part~="empty"]'), 'the empty queue');
    expect(text($(el, '[part~="empty"]')!)).to.equal('No reported posts.');
    await expect(el).to.be.accessible();
  });
});
