/// <reference types="mocha" />
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { Connection, getConnection } from '@kindred/client';
import '../thread/define.js';
import '../ask-expert/define.js';
import '../introduce-me/define.js';
import '../moderation/define.js';
import { answerAuthUrl, hostToken } from '../testing/host-page.js';
import { emulateMedia, sendKeys, setViewport } from '../testing/commands.js';

declare global {
  interface Window {
    KINDRED_TEST_SERVER: string;
  }
}

/**
 * Layout of every element with real content from the real test server:
 * reflow (WCAG 1.4.10) at 320 CSS px, at 640 px (1280 px at 200 % zoom) and at
 * 320 px with the page's text doubled, without horizontal scrolling;
 * right-to-left pages mirror the element exactly, arrow keys in tablists move
 * to the tab on that side, and axe stays clean; under `prefers-reduced-motion:
 * reduce` nothing moves, not even what the host page adds through ::part.
 */
const server = window.KINDRED_TEST_SERVER;
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;
// No hyphen or other break opportunity: only overflow-wrap can break it.
const LONG_URL = `https://example.org/${'kneereplacementrecovery'.repeat(8)}`;

const emulateReducedMotion = (reducedMotion: 'reduce' | 'no-preference'): Promise<void> => emulateMedia({ reducedMotion });
const press = (key: string): Promise<void> => sendKeys({ press: key });

const $ = (el: HTMLElement, selector: string): Element | null => el.shadowRoot!.querySelector(selector);
const all = (el: HTMLElement): HTMLElement[] => [...el.shadowRoot!.querySelectorAll<HTMLElement>('*')];
const until = (check: () => unknown, message: string): Promise<void> => waitUntil(check, message, { timeout: 8000 });
const describeNode = (node: Element): string =>
  `<${node.localName}${node.id ? `#${node.id}` : ''} ${node.getAttribute('part') ?? node.className}> "${node.textContent!.trim().slice(0, 30)}"`;

async function signedIn(sub: string, name: string): Promise<string> {
  const authUrl = `/auth/layout-${unique()}`;
  const token = await hostToken({ sub, name });
  answerAuthUrl(authUrl, () => Response.json({ token }));
  return authUrl;
}

const open: Connection[] = [];
/** A new guest's connection, posting in `topic`. */
async function guestPoster(topic: string): Promise<(body: string, parentId?: string) => Promise<{ post: { id: string } }>> {
  const connection = new Connection({ server, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', 'the poster to connect');
  await connection.signInAsGuest('Ana');
  return (body, parentId) =>
    connection.request('post:create', { topic, clientId: crypto.randomUUID().replaceAll('-', ''), body, ...(parentId ? { parentId } : {}) });
}

const LONG_POST = `The physio helped me a lot after week two. Her exercises: ${LONG_URL}`;

/** A thread topic with a post holding a long unbroken URL, and a reply to it. */
async function topicWithPosts(): Promise<string> {
  const topic = `layout-${unique()}`;
  const create = await guestPoster(topic);
  const { post } = await create(LONG_POST);
  await create('Same for me, the second week was the hardest.', post.id);
  return topic;
}

/**
 * The moderator's auth URL, with the long post held for review in the queue:
 * guests' first posts are held while it is posted, which the audit log records.
 */
async function moderatorWithHeldPost(): Promise<string> {
  const authUrl = await signedIn('demo-moderator', 'Dr. Priya Patel (moderator)');
  const moderator = getConnection({ server, site: 'demo', authUrl });
  open.push(moderator);
  await until(() => moderator.identity?.kind === 'member', 'the moderator to sign in');
  const holdGuests = (guest: number) => moderator.request('mod:settings:set', { settings: { heldFirstPosts: { guest, member: 0 } } });
  await holdGuests(1);
  try {
    await (await guestPoster(`layout-${unique()}`))(LONG_POST);
  } finally {
    await holdGuests(0);
  }
  return authUrl;
}

interface Case {
  name: string;
  tag: string;
  /** The markup of the element, ready for the given attributes (dir); the same content each time. */
  prepare: () => Promise<(attributes: string) => string>;
  ready: (el: HTMLElement) => unknown;
  /** What to open once the element is ready, and what shows it open. */
  show?: { open: (el: HTMLElement) => void; shown: (el: HTMLElement) => unknown };
  /** Containers allowed to scroll sideways on their own (data tables, WCAG 1.4.10's exception). */
  scrollers?: string;
}

const CASES: Case[] = [
  {
    name: 'kindred-thread',
    tag: 'kindred-thread',
    async prepare() {
      const topic = await topicWithPosts();
      const authUrl = await signedIn(`layout-${unique()}`, 'Kim');
      return (attributes) =>
        `<kindred-thread ${attributes} topic="${topic}" server="${server}" site="demo" auth-url="${authUrl}"></kindred-thread>`;
    },
    ready: (el) => $(el, '[part~="replies"] article') && $(el, 'form textarea'),
  },
  {
    name: 'kindred-ask-expert',
    tag: 'kindred-ask-expert',
    async prepare() {
      const authUrl = await signedIn(`layout-${unique()}`, 'Sam');
      const topic = `layout-${unique()}`;
      return (attributes) =>
        `<kindred-ask-expert ${attributes} topic="${topic}" server="${server}" site="demo" auth-url="${authUrl}"></kindred-ask-expert>`;
    },
    ready: (el) => $(el, '#ask-title') && $(el, '[role="tab"]') && $(el, '[part~="list"], [part~="empty"]'),
  },
  {
    name: 'kindred-introduce-me',
    tag: 'kindred-introduce-me',
    async prepare() {
      const authUrl = await signedIn(`layout-${unique()}`, 'Lee');
      return (attributes) =>
        `<kindred-introduce-me ${attributes} community="joint-replacement" server="${server}" site="demo" auth-url="${authUrl}"></kindred-introduce-me>`;
    },
    ready: (el) => $(el, '#join-heading'),
  },
  {
    name: 'kindred-moderation',
    tag: 'kindred-moderation',
    async prepare() {
      const authUrl = await moderatorWithHeldPost();
      return (attributes) => `<kindred-moderation ${attributes} server="${server}" site="demo" auth-url="${authUrl}"></kindred-moderation>`;
    },
    ready: (el) => $(el, '[role="tablist"]') && $(el, '[role="tabpanel"] article[part~="item"]'),
  },
  {
    name: 'kindred-moderation audit log',
    tag: 'kindred-moderation',
    async prepare() {
      const authUrl = await moderatorWithHeldPost();
      return (attributes) => `<kindred-moderation ${attributes} server="${server}" site="demo" auth-url="${authUrl}"></kindred-moderation>`;
    },
    ready: (el) => $(el, '#tab-audit'),
    show: {
      open: (el) => ($(el, '#tab-audit') as HTMLElement).click(),
      shown: (el) => $(el, '[part~="audit-row"]'),
    },
    scrollers: '.table-wrap',
  },
];

const mounted: HTMLElement[] = [];
async function mount(c: Case, markup: string): Promise<HTMLElement> {
  const el = await fixture<HTMLElement>(markup);
  mounted.push(el);
  await until(() => c.ready(el), `${c.name} with its content`);
  if (c.show) {
    c.show.open(el);
    await until(() => c.show!.shown(el), `${c.name} open`);
  }
  return el;
}

/** What sticks out sideways: the page, the host past the viewport, or anything in the shadow root past the host. */
function overflow(el: HTMLElement, scrollers = ''): string[] {
  const found: string[] = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) found.push(`the page scrolls: ${page.scrollWidth} > ${page.clientWidth}`);
  const host = el.getBoundingClientRect();
  if (host.left < -0.5 || host.right > page.clientWidth + 0.5) found.push(`the host spans ${host.left}–${host.right}`);
  for (const node of all(el)) {
    if (node.closest('.visually-hidden') || (scrollers && node.parentElement?.closest(scrollers))) continue;
    const box = node.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if (box.left < host.left - 0.5 || box.right > host.right + 0.5) {
      found.push(`${describeNode(node)} spans ${box.left.toFixed(1)}–${box.right.toFixed(1)}, the host ${host.left}–${host.right}`);
    }
    // Text wider than its own box (an unbroken word) shows here; a field's own value scrolls inside it.
    if (!node.matches('input, textarea, select') && node.clientWidth && node.scrollWidth > node.clientWidth + 1) {
      const scrolls = getComputedStyle(node).overflowX;
      if (!(scrollers && node.matches(scrollers) && (scrolls === 'auto' || scrolls === 'scroll'))) {
        found.push(`${describeNode(node)} holds ${node.scrollWidth}px in ${node.clientWidth}px`);
      }
    }
    // Text cut off below (a fixed height with hidden overflow) is lost content too.
    const clipsY = ['hidden', 'clip'].includes(getComputedStyle(node).overflowY);
    if (clipsY && node.clientHeight && node.scrollHeight > node.clientHeight + 1) {
      found.push(`${describeNode(node)} cuts ${node.scrollHeight}px of content to ${node.clientHeight}px`);
    }
  }
  return found;
}

afterEach(async () => {
  for (const el of mounted.splice(0)) el.remove();
  for (const connection of open.splice(0)) connection.close();
  document.documentElement.removeAttribute('dir');
  for (const property of ['font-size', 'letter-spacing', 'word-spacing', '--kindred-line-height']) document.documentElement.style.removeProperty(property);
  document.getElementById('host-motion')?.remove();
  await emulateReducedMotion('no-preference');
  await setViewport({ width: 800, height: 600 });
});

describe('reflow', () => {
  const VIEWPORTS = [
    { label: '320 CSS px', width: 320, height: 640, fontSize: '', dir: '' },
    { label: '640 CSS px (1280 px at 200 % zoom)', width: 640, height: 480, fontSize: '', dir: '' },
    { label: '320 CSS px with the text doubled', width: 320, height: 640, fontSize: '200%', dir: '' },
    { label: '320 CSS px, right to left', width: 320, height: 640, fontSize: '', dir: 'rtl' },
    // WCAG 1.4.12: letter and word spacing inherit into the shadow roots; the line height is --kindred-line-height.
    { label: '320 CSS px with WCAG text spacing', width: 320, height: 640, fontSize: '', dir: '', spacing: true },
  ];
  for (const c of CASES) {
    for (const viewport of VIEWPORTS) {
      it(`${c.name} at ${viewport.label}: no horizontal scrolling`, async () => {
        await setViewport({ width: viewport.width, height: viewport.height });
        if (viewport.fontSize) document.documentElement.style.fontSize = viewport.fontSize;
        if (viewport.dir) document.documentElement.dir = viewport.dir;
        if ('spacing' in viewport) {
          Object.assign(document.documentElement.style, { letterSpacing: '0.12em', wordSpacing: '0.16em' });
          document.documentElement.style.setProperty('--kindred-line-height', '1.5');
        }
        expect(innerWidth).to.equal(viewport.width);
        const el = await mount(c, (await c.prepare())(''));
        expect(overflow(el, c.scrollers)).to.deep.equal([]);
      });
    }
  }

  it('wraps a long unbroken URL in a post', async () => {
    await setViewport({ width: 320, height: 640 });
    const thread = CASES[0]!;
    const el = await mount(thread, (await thread.prepare())(''));
    const body = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="body"]')].find((each) => each.textContent!.includes(LONG_URL))!;
    expect(body.getBoundingClientRect().height, 'the URL runs over several lines').to.be.above(parseFloat(getComputedStyle(body).lineHeight) * 3);
    expect(body.scrollWidth).to.be.at.most(body.clientWidth);
  });
});

describe('right-to-left', () => {
  for (const c of CASES) {
    it(`${c.name} with dir="rtl" is the left-to-right layout mirrored, and axe-clean`, async () => {
      document.documentElement.dir = 'rtl';
      const markup = await c.prepare();
      const ltr = await mount(c, markup('dir="ltr"'));
      const rtl = await mount(c, markup('dir="rtl"'));
      expect(getComputedStyle(rtl).direction).to.equal('rtl');
      const [ltrBox, rtlBox] = [ltr.getBoundingClientRect(), rtl.getBoundingClientRect()];
      expect(rtlBox.width).to.equal(ltrBox.width);
      const [ltrNodes, rtlNodes] = [all(ltr), all(rtl)];
      expect(rtlNodes.map(describeNode)).to.deep.equal(ltrNodes.map(describeNode));
      const unmirrored: string[] = [];
      ltrNodes.forEach((node, index) => {
        const [from, to] = [node.getBoundingClientRect(), rtlNodes[index]!.getBoundingClientRect()];
        if ((!from.width && !from.height) || node.closest('.visually-hidden')) return;
        // An inline element sits where the bidi order of its line puts it, which follows the text's language (English here), not the layout.
        if (getComputedStyle(node).display === 'inline') return;
        // In a mirror, the gap to the start edge (left in LTR, right in RTL) is the same.
        const startGap = [from.left - ltrBox.left, rtlBox.right - to.right];
        const endGap = [ltrBox.right - from.right, to.left - rtlBox.left];
        if (Math.abs(startGap[0]! - startGap[1]!) > 1 || Math.abs(endGap[0]! - endGap[1]!) > 1) {
          unmirrored.push(`${describeNode(node)}: start ${startGap.map((n) => n.toFixed(1))}, end ${endGap.map((n) => n.toFixed(1))}`);
        }
      });
      expect(unmirrored).to.deep.equal([]);
      expect(ltrNodes.length).to.be.above(10);
      await expect(rtl).to.be.accessible();
    });
  }

  it("lays out what people write in its own direction: an Arabic post right to left on an English page, an English one left to right on a right-to-left page", async () => {
    const topic = `layout-${unique()}`;
    const create = await guestPoster(topic);
    const { post: arabic } = await create('شكراً لكم، العلاج الطبيعي ساعدني كثيراً بعد الأسبوع الثاني.');
    const { post: english } = await create('The second week was the hardest for me too.');
    for (const page of ['ltr', 'rtl']) {
      document.documentElement.dir = page;
      const el = await fixture<HTMLElement>(`<kindred-thread topic="${topic}" server="${server}" site="demo"></kindred-thread>`);
      mounted.push(el);
      await until(() => $(el, `#post-${arabic.id} [part~="body"]`) && $(el, `#post-${english.id} [part~="body"]`), 'both posts');
      const direction = (id: string): string => getComputedStyle($(el, `#post-${id} [part~="body"]`)!).direction;
      expect([direction(arabic.id), direction(english.id)], `on a ${page} page`).to.deep.equal(['rtl', 'ltr']);
    }
  });

  it('draws the thread reply line on the inline-start side', async () => {
    document.documentElement.dir = 'rtl';
    const markup = await CASES[0]!.prepare();
    for (const dir of ['ltr', 'rtl']) {
      const el = await mount(CASES[0]!, markup(`dir="${dir}"`));
      const reply = getComputedStyle($(el, '[part~="replies"] article')!);
      const [start, end] = dir === 'rtl' ? [reply.borderRightWidth, reply.borderLeftWidth] : [reply.borderLeftWidth, reply.borderRightWidth];
      expect([start, end], dir).to.deep.equal(['3px', '0px']);
    }
  });

  for (const c of [CASES[1]!, CASES[3]!]) {
    for (const dir of ['ltr', 'rtl']) {
      it(`${c.name} with dir="${dir}": ArrowLeft and ArrowRight move to the tab on that side`, async () => {
        document.documentElement.dir = dir;
        const el = await mount(c, (await c.prepare())(`dir="${dir}"`));
        const focused = (): HTMLElement => el.shadowRoot!.activeElement as HTMLElement;
        const tabs = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')];
        expect(tabs.length).to.be.at.least(2);
        const [first, second] = [tabs[0]!.getBoundingClientRect(), tabs[1]!.getBoundingClientRect()];
        expect(dir === 'rtl' ? second.right <= first.left : first.right <= second.left, 'the second tab follows the first in reading order').to.equal(true);
        tabs[0]!.focus();
        const towards = dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
        await press(towards);
        await until(() => focused()?.id === tabs[1]!.id && tabs[1]!.getAttribute('aria-selected') === 'true', `${towards} to the second tab`);
        const back = dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
        await press(back);
        await until(() => focused()?.id === tabs[0]!.id && tabs[0]!.getAttribute('aria-selected') === 'true', `${back} back to the first tab`);
      });
    }
  }
});

describe('prefers-reduced-motion', () => {
  /** Every transition and animation longer than 10 ms on the host or in its shadow root. */
  const motion = (el: HTMLElement): string[] =>
    [el, ...all(el)].flatMap((node) => {
      const style = getComputedStyle(node);
      const longest = (value: string): number => Math.max(...value.split(',').map((each) => parseFloat(each) * (each.trim().endsWith('ms') ? 0.001 : 1)));
      const seconds = Math.max(longest(style.transitionDuration), longest(style.animationDuration));
      return seconds > 0.01 ? [`${describeNode(node)} moves for ${seconds}s`] : [];
    });

  for (const c of CASES) {
    it(`${c.name} stills every transition and animation, its own and the host page's`, async () => {
      // A host page's own flourish on the element's buttons, through ::part.
      const hostMotion = Object.assign(document.createElement('style'), {
        id: 'host-motion',
        textContent: `${c.tag}::part(button), ${c.tag}::part(tab) { transition: background-color 1s; animation: 2s infinite alternate none; }`,
      });
      document.head.append(hostMotion);
      const el = await mount(c, (await c.prepare())(''));
      expect(motion(el).length, 'some motion without the preference').to.be.above(0);
      await emulateReducedMotion('reduce');
      expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.equal(true);
      expect(motion(el)).to.deep.equal([]);
    });
  }
});
