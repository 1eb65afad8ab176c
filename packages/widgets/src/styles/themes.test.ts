/// <reference types="mocha" />
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { Connection } from '@kindred/client';
import '../thread/define.js';
import '../ask-expert/define.js';
import '../introduce-me/define.js';
import '../moderation/define.js';
import { answerAuthUrl, hostToken } from '../testing/host-page.js';
import { assertContrast, assertFieldEdges } from '../testing/contrast.js';
import { emulateColorScheme } from '../testing/commands.js';

declare global {
  interface Window {
    KINDRED_TEST_SERVER: string;
  }
}

/**
 * Every element in every built-in theme against the real test server: the
 * text it shows (body text, muted text, buttons, links) meets WCAG 2.1 AA
 * contrast (4.5:1) on what is behind it, and axe finds no violation;
 * `auto` is rendered under an emulated `prefers-color-scheme: dark`.
 */
const server = window.KINDRED_TEST_SERVER;
const THEMES = ['light', 'dark', 'high-contrast', 'auto'] as const;
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;

const $ = (el: HTMLElement, selector: string): Element | null => el.shadowRoot!.querySelector(selector);
const until = (check: () => unknown, message: string): Promise<void> => waitUntil(check, message, { timeout: 8000 });

async function signedIn(name: string): Promise<string> {
  const authUrl = `/auth/theme-${unique()}`;
  const token = await hostToken({ sub: `theme-${unique()}`, name });
  answerAuthUrl(authUrl, () => Response.json({ token }));
  return authUrl;
}

const open: Connection[] = [];
/** A thread topic with a post and a reply on it, so posts, actions and replies are on screen. */
async function topicWithPosts(): Promise<string> {
  const topic = `theme-${unique()}`;
  const connection = new Connection({ server, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', 'the poster to connect');
  await connection.signInAsGuest('Ana');
  const create = (body: string, parentId?: string) =>
    connection.request('post:create', { topic, clientId: crypto.randomUUID().replaceAll('-', ''), body, ...(parentId ? { parentId } : {}) });
  const { post } = await create('The physio helped me a lot after week two. See https://example.org/knee.');
  await create('Same for me.', post.id);
  return topic;
}

interface Case {
  name: string;
  mount: (theme: string) => Promise<HTMLElement>;
}

const CASES: Case[] = [
  {
    name: 'kindred-thread',
    async mount(theme) {
      const topic = await topicWithPosts();
      const el = await fixture<HTMLElement>(`<kindred-thread theme="${theme}" topic="${topic}" server="${server}" site="demo"></kindred-thread>`);
      await until(() => $(el, '[part~="list"] article'), 'the posts');
      return el;
    },
  },
  {
    name: 'kindred-ask-expert',
    async mount(theme) {
      const authUrl = await signedIn('Sam');
      const el = await fixture<HTMLElement>(
        `<kindred-ask-expert theme="${theme}" topic="theme-${unique()}" server="${server}" site="demo" auth-url="${authUrl}"></kindred-ask-expert>`,
      );
      await until(() => $(el, '#ask-title') && $(el, '[part~="list"], [part~="empty"]'), 'the question box');
      return el;
    },
  },
  {
    name: 'kindred-introduce-me',
    async mount(theme) {
      const authUrl = await signedIn('Lee');
      const el = await fixture<HTMLElement>(
        `<kindred-introduce-me theme="${theme}" community="joint-replacement" server="${server}" site="demo" auth-url="${authUrl}"></kindred-introduce-me>`,
      );
      await until(() => $(el, '#join-heading, #intro-status'), 'the join form');
      return el;
    },
  },
  {
    name: 'kindred-moderation',
    async mount(theme) {
      const authUrl = `/auth/theme-${unique()}`;
      const token = await hostToken({ sub: 'demo-moderator', name: 'Dr. Priya Patel (moderator)' });
      answerAuthUrl(authUrl, () => Response.json({ token }));
      const el = await fixture<HTMLElement>(`<kindred-moderation theme="${theme}" server="${server}" site="demo" auth-url="${authUrl}"></kindred-moderation>`);
      await until(() => $(el, '[role="tablist"]'), 'the console');
      return el;
    },
  },
];

const mounted: HTMLElement[] = [];
afterEach(async () => {
  await emulateColorScheme('light');
  for (const el of mounted.splice(0)) el.remove();
  for (const connection of open.splice(0)) connection.close();
});

describe('built-in themes', () => {
  for (const { name, mount } of CASES) {
    for (const theme of THEMES) {
      it(`${name} in ${theme}: text contrast ≥ 4.5:1, field edges ≥ 3:1 and axe-clean`, async () => {
        // auto is tested where it differs from the default: a visitor who prefers dark.
        if (theme === 'auto') await emulateColorScheme('dark');
        const el = await mount(theme);
        mounted.push(el);
        expect(el.getAttribute('theme')).to.equal(theme);
        expect(assertContrast(el, theme).checked).to.be.above(3);
        assertFieldEdges(el, theme);
        await expect(el).to.be.accessible();
      });
    }
  }

  it('gives each theme its own surface and text colours', async () => {
    const colours = new Map<string, string>();
    for (const theme of ['light', 'dark', 'high-contrast']) {
      const el = await fixture<HTMLElement>(`<kindred-moderation theme="${theme}"></kindred-moderation>`);
      mounted.push(el);
      const style = getComputedStyle(el);
      colours.set(theme, `${style.color} on ${style.backgroundColor}`);
    }
    expect(new Set(colours.values()).size, [...colours].join('; ')).to.equal(3);
  });

  it('lets a host token win over the theme', async () => {
    const el = await fixture<HTMLElement>(`<kindred-moderation theme="dark" style="--kindred-color-text: rgb(1, 2, 3)"></kindred-moderation>`);
    mounted.push(el);
    expect(getComputedStyle(el).color).to.equal('rgb(1, 2, 3)');
  });

  it('reflects the theme property to the attribute', async () => {
    const el = await fixture<HTMLElement & { theme?: string }>(`<kindred-thread></kindred-thread>`);
    mounted.push(el);
    expect(el.hasAttribute('theme')).to.equal(false);
    el.theme = 'dark';
    await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
  });

  it('auto follows prefers-color-scheme, live', async () => {
    const colours = async (theme: string): Promise<string> => {
      const el = await fixture<HTMLElement>(`<kindred-thread theme="${theme}"></kindred-thread>`);
      mounted.push(el);
      const style = getComputedStyle(el);
      return `${style.color} on ${style.backgroundColor}`;
    };
    const [light, dark] = [await colours('light'), await colours('dark')];
    const auto = mounted[mounted.length - 1]!;
    auto.setAttribute('theme', 'auto');
    const now = (): string => `${getComputedStyle(auto).color} on ${getComputedStyle(auto).backgroundColor}`;
    expect(now()).to.equal(light);
    await emulateColorScheme('dark');
    expect(matchMedia('(prefers-color-scheme: dark)').matches).to.equal(true);
    expect(now()).to.equal(dark);
    await emulateColorScheme('light');
    expect(now()).to.equal(light);
  });
});
