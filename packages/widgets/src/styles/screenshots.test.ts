/// <reference types="mocha" />
import { expect, fixture, waitUntil } from '@open-wc/testing';
import { visualDiff } from '@web/test-runner-visual-regression';
import { Connection } from '@kindred/client';
import '../thread/define.js';
import '../ask-expert/define.js';
import '../introduce-me/define.js';
import '../moderation/define.js';
import { answerAuthUrl, hostToken } from '../testing/host-page.js';
import { emulateColorScheme, setViewport } from '../testing/commands.js';

/**
 * Screenshot baselines: each element in each built-in theme (and unthemed;
 * `auto` under an emulated dark preference, where it differs from the default),
 * rendered in Chromium with the same content against the real test server,
 * compared with packages/widgets/screenshots/chromium/baseline/<name>.png.
 * A look that changes fails here; when the change is meant, run
 * `npm run test:screenshots:update`, look at the new PNGs and commit them.
 *
 * Only what changes on its own is hidden: times ("5 seconds ago"), which
 * are blanked (kept in the layout) before each screenshot.
 */
const server = window.KINDRED_TEST_SERVER;
const THEMES = ['unthemed', 'light', 'dark', 'high-contrast', 'auto'] as const;
type Theme = (typeof THEMES)[number];

const $ = (el: Element, selector: string): HTMLElement | null => el.shadowRoot!.querySelector(selector);
const until = (check: () => unknown, message: string): Promise<void> => waitUntil(check, message, { timeout: 8000 });
const text = (node: Element | null): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const clientId = (): string => crypto.randomUUID().replaceAll('-', '');
// Fixed topics: the test server's database is new for every run.
const THREAD_TOPIC = 'screenshots-thread';
const ASK_TOPIC = 'screenshots-ask';
const QUESTION_TITLE = 'How long before I can drive after a knee replacement?';
const HELD_BODY = 'Screenshot check: please call me on 555-0142 about the support group.';

const open: Connection[] = [];
async function guest(name: string): Promise<Connection> {
  const connection = new Connection({ server, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', `${name} to connect`);
  await connection.signInAsGuest(name);
  return connection;
}

async function member(login: { sub: string; name: string }): Promise<Connection> {
  const connection = new Connection({ server, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', `${login.name} to connect`);
  const { user } = await connection.request('session:member', { token: await hostToken(login) });
  connection.identity = user;
  return connection;
}

async function authUrlFor(login: { sub: string; name: string }): Promise<string> {
  const path = `/auth/screenshots-${login.sub}`;
  const token = await hostToken(login);
  answerAuthUrl(path, () => Response.json({ token }));
  return path;
}

/** The same content for every theme, written once. */
async function seed(): Promise<void> {
  const ana = await guest('Ana');
  const { post } = await ana.request('post:create', {
    topic: THREAD_TOPIC,
    clientId: clientId(),
    body: 'The physio helped me a lot after week two. Their leaflet is at https://example.org/knee.',
  });
  const ben = await guest('Ben');
  await ben.request('post:create', { topic: THREAD_TOPIC, clientId: clientId(), body: 'Same for me, the exercises were worth it.', parentId: post.id });

  // A public question on the seeded expert's topic, answered by the expert: the featured answer.
  const { question } = await ana.request('question:ask', { topic: 'knee-replacement', clientId: clientId(), title: QUESTION_TITLE, visibility: 'public' });
  const expert = await member({ sub: 'demo-expert', name: 'Dr. Alex Morgan' });
  await expert.request('question:reply', {
    questionId: question.id,
    clientId: clientId(),
    body: 'Most people can drive again four to six weeks after surgery, once they can brake hard without pain and are off strong painkillers. Ask your surgeon at your check-up.',
  });

  // Identifiers are held for review (site policy): a queue item for the console.
  const { post: held } = await (await guest('Dee')).request('post:create', { topic: THREAD_TOPIC, clientId: clientId(), body: HELD_BODY });
  expect(held.status).to.equal('held');
}

/** Times change on their own: blank them, keeping their place in the layout. */
function hideTimes(el: Element): void {
  for (const time of el.shadowRoot!.querySelectorAll<HTMLElement>('time')) time.style.visibility = 'hidden';
}

interface Shot {
  name: string;
  /** Renders the element and answers what to photograph (the element or a part of it). */
  mount: (theme: Theme) => Promise<Element>;
}

const themeAttr = (theme: Theme): string => (theme === 'unthemed' ? '' : `theme="${theme}"`);
async function mount(html: string): Promise<HTMLElement> {
  // A fixed width, so every run lays the element out the same way.
  const box = await fixture<HTMLDivElement>(`<div style="width: 640px; padding: 8px; background: #fff">${html}</div>`);
  return box.firstElementChild as HTMLElement;
}

const SHOTS: Shot[] = [
  {
    name: 'thread',
    async mount(theme) {
      const el = await mount(`<kindred-thread ${themeAttr(theme)} topic="${THREAD_TOPIC}" server="${server}" site="demo"></kindred-thread>`);
      await until(() => $(el, '[part~="list"] article article') && $(el, '#name'), 'the post, its reply and the sign-in');
      return el;
    },
  },
  {
    name: 'ask-expert',
    async mount(theme) {
      const authUrl = await authUrlFor({ sub: 'screenshots-sam', name: 'Sam' });
      const el = await mount(`<kindred-ask-expert ${themeAttr(theme)} topic="${ASK_TOPIC}" server="${server}" site="demo" auth-url="${authUrl}"></kindred-ask-expert>`);
      await until(() => $(el, '#ask-title') && $(el, '[part~="empty"]'), 'the question box and the empty list');
      return el;
    },
  },
  {
    name: 'ask-expert-answer',
    async mount(theme) {
      const el = await mount(`<kindred-ask-expert ${themeAttr(theme)} topic="knee-replacement" server="${server}" site="demo"></kindred-ask-expert>`);
      const article = (): HTMLElement | undefined =>
        [...el.shadowRoot!.querySelectorAll<HTMLElement>('article[part~="question"]')].find((each) => text(each.querySelector('[part~="question-title"]')) === QUESTION_TITLE);
      await until(() => article()?.querySelector('[part~="expert-answer"]'), 'the answered question');
      return article()!;
    },
  },
  {
    name: 'introduce-me',
    async mount(theme) {
      const authUrl = await authUrlFor({ sub: 'screenshots-lee', name: 'Lee' });
      const el = await mount(
        `<kindred-introduce-me ${themeAttr(theme)} community="joint-replacement" server="${server}" site="demo" auth-url="${authUrl}"></kindred-introduce-me>`,
      );
      await until(() => $(el, '#join-heading'), 'the join form');
      return el;
    },
  },
  {
    name: 'moderation-item',
    async mount(theme) {
      const authUrl = await authUrlFor({ sub: 'demo-moderator', name: 'Dr. Priya Patel (moderator)' });
      const el = await mount(`<kindred-moderation ${themeAttr(theme)} server="${server}" site="demo" auth-url="${authUrl}"></kindred-moderation>`);
      const item = (): HTMLElement | undefined =>
        [...el.shadowRoot!.querySelectorAll<HTMLElement>('article[part~="item"]')].find((each) => text(each).includes(HELD_BODY));
      await until(() => item(), 'the held post in the queue');
      return item()!;
    },
  },
];

describe('screenshots', () => {
  before(async () => {
    // Earlier test files may leave a guest signed in; the thread's picture is of a reader's first visit.
    localStorage.clear();
    await setViewport({ width: 800, height: 1400 });
    await seed();
  });
  afterEach(() => emulateColorScheme('light'));
  after(() => {
    for (const connection of open.splice(0)) connection.close();
  });

  for (const { name, mount: render } of SHOTS) {
    for (const theme of THEMES) {
      it(`${name} in ${theme} looks as its baseline`, async () => {
        if (theme === 'auto') await emulateColorScheme('dark');
        const target = await render(theme);
        const host = target.shadowRoot ? target : (target.getRootNode() as ShadowRoot).host;
        hideTimes(host);
        await document.fonts.ready;
        // Let any focus ring or late render settle before the picture.
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        await visualDiff(target, `${name}-${theme}`);
      });
    }
  }
});
