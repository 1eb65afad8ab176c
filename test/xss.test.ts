import type { Ack, ClientEvents } from '../packages/protocol/src/index.js';
import type { Browser, Page } from 'playwright-core';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, session } from '../packages/server/src/testing/socket-client.js';
import { launchChromium } from './support/browser.js';
import { startHostSite, type HostSite } from './support/host-site.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';
import { freePort } from './support/net.js';
import { XSS_PAYLOADS } from './xss/payloads.js';

const TOPIC = 'xss-corpus';
/** Below the per-identity posting limit, so each guest's posts go through without waiting. */
const POSTS_PER_GUEST = 5;
/** Display names are attack surface too: each guest posts under one of these. */
const HOSTILE_NAMES = [
  '<img src=x onerror=__xss(9001)>',
  '"><svg onload=__xss(9002)>',
  "Robert'); DROP TABLE posts;--",
  "{{$on.constructor('alert(1)')()}}",
  'javascript:__xss(9003)',
  '<script>__xss(9004)</script>',
] as const;
const ALLOWED_IN_BODY = ['P', 'BR', 'A'];
const LINK_REL = 'nofollow ugc noopener noreferrer';

type CreateAck = Ack<ClientEvents['post:create']['res']>;

const DEMO_SECRET = 'e2e-only-signing-secret-for-the-xss-suite-0123456789';

/** The demo site's seeded moderator, signed in the way the hospital's backend would sign them. */
function moderatorToken(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: 'Dr. Priya Patel (moderator)' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('demo-moderator')
    .setAudience('demo')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(DEMO_SECRET));
}

/** How a person reads text: trimmed, every run of whitespace one space. */
const readable = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Stored XSS: every payload of the corpus goes straight to the socket API (no
 * UI, no client-side escaping to hide behind), then the thread is opened in
 * Chromium. Nothing may execute, nothing executable may reach the widget's
 * DOM, and every payload must still read as the text its author typed.
 */
describe('stored XSS corpus', () => {
  let kindred: KindredServer;
  let host: HostSite;
  let browser: Browser;
  const stored = new Map<string, string>();
  /** Posts the safety pipeline held (a URL that may carry an identifier, a suspect word…). */
  const held: string[] = [];

  /**
   * Held posts are published the way they are in life: a moderator approves
   * them. Approved text must render as safely as anything else.
   */
  async function approveHeld(): Promise<void> {
    const moderator = client(kindred.url, { transports: ['websocket'], auth: { hostToken: await moderatorToken() } });
    try {
      const { user } = await session(moderator);
      if (!user) throw new Error('the demo moderator could not sign in');
      for (const postId of held) {
        const approved = await moderator.ask('mod:decide', { postId, action: 'approve' });
        if (!approved.ok) throw new Error(`approving ${postId} failed: ${JSON.stringify(approved.error)}`);
      }
    } finally {
      moderator.disconnect();
    }
  }

  beforeAll(async () => {
    const hostPort = await freePort();
    kindred = await startKindred({ demoOrigins: [`http://127.0.0.1:${hostPort}`], demoSecret: DEMO_SECRET });
    host = await startHostSite({ loader: `${kindred.url}/kindred.js`, topic: TOPIC }, hostPort);
    browser = await launchChromium();
    await postCorpus();
    await approveHeld();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await kindred?.stop();
  });

  /** Guests on distinct loopback addresses, a few posts each: the way many attackers would arrive, within every rate limit. */
  async function postCorpus(): Promise<void> {
    for (let start = 0, guest = 0; start < XSS_PAYLOADS.length; start += POSTS_PER_GUEST, guest++) {
      const socket = client(kindred.url, { transports: ['websocket'], ...{ localAddress: `127.0.${1 + (guest >> 6)}.${2 + (guest & 63)}` } });
      try {
        await session(socket);
        const name = HOSTILE_NAMES[guest % HOSTILE_NAMES.length]!;
        const signIn = await withRetry(() => socket.ask('session:guest', { displayName: name }));
        if (!signIn.ok) throw new Error(`guest sign-in as ${name} refused: ${JSON.stringify(signIn.error)}`);
        for (let n = start; n < Math.min(start + POSTS_PER_GUEST, XSS_PAYLOADS.length); n++) {
          const body = XSS_PAYLOADS[n]!;
          const created = await withRetry<CreateAck>(() => socket.ask('post:create', { topic: TOPIC, clientId: `xss-${n}`, body }));
          if (!created.ok) throw new Error(`payload #${n} ${JSON.stringify(body)} refused: ${JSON.stringify(created.error)}`);
          stored.set(created.data.post.id, created.data.post.body);
          if (created.data.post.status === 'held') held.push(created.data.post.id);
        }
      } finally {
        socket.disconnect();
      }
    }
  }

  it(`holds at least 100 distinct payloads (${XSS_PAYLOADS.length})`, () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(XSS_PAYLOADS).size).toBe(XSS_PAYLOADS.length);
    for (const payload of XSS_PAYLOADS) expect(payload.trim().length).toBeGreaterThan(0);
  });

  it('stores every payload as the text that was sent', () => {
    expect([...stored.values()].sort()).toEqual(XSS_PAYLOADS.map((payload) => payload.trim()).sort());
  });

  it('renders the whole corpus in Chromium without running any of it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(() => {
      const fired: number[] = [];
      Object.defineProperty(window, '__xssFired', { value: fired });
      Object.defineProperty(window, '__xss', { value: (n: number) => fired.push(n) });
    });

    try {
      await page.goto(`${host.origin}/?topic=${TOPIC}`);
      await showAllPosts(page, XSS_PAYLOADS.length);
      // Give anything that would fire on load, error, focus or animation the time to do so.
      await page.waitForTimeout(1_000);

      const fired = await page.evaluate(() => (window as unknown as { __xssFired: number[] }).__xssFired);
      expect(fired.map((n) => `#${n} ${XSS_PAYLOADS[n] ?? `display name ${n}`}`)).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);

      const dom = await page.locator('kindred-thread').evaluate(inspectWidget, { linkRel: LINK_REL, allowed: ALLOWED_IN_BODY });
      expect(dom.handlerAttributes).toEqual([]);
      expect(dom.scriptableUrls).toEqual([]);
      expect(dom.foreignElements).toEqual([]);
      expect(dom.badLinks).toEqual([]);
      expect(dom.lightDomScripts).toBe(1);
      // The checks above looked at something: every body, and the links the auto-linker made.
      expect(dom.bodies).toHaveLength(XSS_PAYLOADS.length);
      expect(dom.links).toBeGreaterThan(5);

      // Still readable: each payload shows as the text that was typed.
      const shown = new Set(dom.bodies.map(readable));
      const missing = XSS_PAYLOADS.map((payload, n) => ({ n, payload })).filter(({ payload }) => !shown.has(readable(payload)));
      expect(missing.map(({ n, payload }) => `#${n} ${JSON.stringify(payload)}`)).toEqual([]);
      expect(new Set(dom.authors.map(readable))).toEqual(new Set(HOSTILE_NAMES));
    } finally {
      await context.close();
    }
  }, 120_000);
});

/** Retries an answer refused with RATE_LIMITED after the wait the server names; bounded. */
async function withRetry<T extends Ack<unknown>>(send: () => Promise<Ack<unknown>>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const answer = (await send()) as T;
    if (answer.ok || answer.error.code !== 'RATE_LIMITED' || attempt >= 3) return answer;
    await new Promise((resolve) => setTimeout(resolve, Math.min(answer.error.retryAfterMs ?? 1_000, 15_000)));
  }
}

/** Presses "Load more" until `count` top-level posts are on the page. */
async function showAllPosts(page: Page, count: number): Promise<void> {
  const thread = page.locator('kindred-thread');
  const topLevel = thread.locator('article[part~="post"][data-depth="0"]');
  await topLevel.first().waitFor({ timeout: 15_000 });
  for (let round = 0; round < 50; round++) {
    const shown = await topLevel.count();
    if (shown >= count) break;
    await thread.locator('[part~="load-more"]').click();
    await expect.poll(() => topLevel.count(), { timeout: 10_000 }).toBeGreaterThan(shown);
  }
  expect(await topLevel.count()).toBe(count);
}

/** Runs in the page: everything about the widget's DOM the assertions need, with nested shadow roots walked. */
function inspectWidget(host: Element, { linkRel, allowed }: { linkRel: string; allowed: string[] }) {
  const all: Element[] = [];
  const walk = (root: ParentNode): void => {
    for (const element of root.querySelectorAll('*')) {
      all.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
      if (element instanceof HTMLTemplateElement) walk(element.content);
    }
  };
  if (!host.shadowRoot) throw new Error('kindred-thread has no shadow root');
  walk(host.shadowRoot);

  const describe = (element: Element): string => element.outerHTML.slice(0, 160);
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'srcdoc'];
  const scriptable = /^(?:javascript|data|vbscript):/;
  const bodies = all.filter((element) => element.getAttribute('part')?.split(' ').includes('body'));
  const inBodies = bodies.flatMap((body) => [...body.querySelectorAll('*')]);

  return {
    handlerAttributes: all.flatMap((element) =>
      element.getAttributeNames().filter((name) => name.toLowerCase().startsWith('on')).map((name) => `${name} on ${describe(element)}`),
    ),
    scriptableUrls: all.flatMap((element) =>
      element
        .getAttributeNames()
        .filter((name) => urlAttributes.includes(name.toLowerCase()))
        // Browsers ignore whitespace and control characters inside a scheme; so does this check.
        .filter((name) => scriptable.test((element.getAttribute(name) ?? '').replace(/[\s\p{Cc}]+/gu, '').toLowerCase()))
        .map((name) => `${name} on ${describe(element)}`),
    ),
    foreignElements: inBodies.filter((element) => !allowed.includes(element.tagName)).map(describe),
    badLinks: inBodies
      .filter((element) => element.tagName === 'A')
      .filter((a) => a.getAttribute('rel') !== linkRel || !/^https?:\/\//i.test(a.getAttribute('href') ?? '') || a.attributes.length !== 2)
      .map(describe),
    links: inBodies.filter((element) => element.tagName === 'A').length,
    lightDomScripts: document.querySelectorAll('script').length,
    bodies: bodies.map((body) => (body as HTMLElement).innerText),
    authors: all.filter((element) => element.getAttribute('part') === 'author').map((element) => element.textContent ?? ''),
  };
}
