/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { Connection, getConnection } from '@kindred/client';
import type { PostView, QuestionView } from '@kindred/protocol';
import '../thread/define.js';
import '../ask-expert/define.js';
import '../introduce-me/define.js';
import '../moderation/define.js';
import { answerAuthUrl, button, hostToken, type } from '../testing/host-page.js';
import { assertContrast, assertFieldEdges } from '../testing/contrast.js';
import { emulateColorScheme } from '../testing/commands.js';
import { matchRound } from '../testing/commands.js';

declare global {
  interface Window {
    KINDRED_TEST_SERVER: string;
  }
}

/**
 * Every widget in every state a visitor or moderator meets (loading, empty,
 * error, content, held, the crisis panel, warnings, confirmations, the
 * console's queues and tabs), in every built-in theme: text contrast ≥ 4.5:1
 * and no axe violation. Each state is brought about once, for real, against
 * the test server (a host backend that has not answered yet, an unreachable
 * server, posts the server holds, a moderator's removal, a round run by the
 * CLI), then checked in each theme by switching the element's `theme`;
 * `auto` under an emulated dark preference. A transient state (loading) is
 * mounted afresh for each theme. Everything left waiting for a moderator is
 * withdrawn afterwards: the server is shared with the other component tests.
 */
const server = window.KINDRED_TEST_SERVER;
const THEMES = ['light', 'dark', 'high-contrast', 'auto'] as const;
type ThemeName = (typeof THEMES)[number];
const EXPERT_TOPIC = 'knee-replacement';
const COMMUNITY = 'joint-replacement';
const EXPERT = { sub: 'demo-expert', name: 'Dr. Alex Morgan' };
const MODERATOR = { sub: 'demo-moderator', name: 'Dr. Priya Patel (moderator)' };

let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;
const newTopic = (): string => `states-${unique()}`;
const clientId = (): string => crypto.randomUUID().replaceAll('-', '');
const login = (name: string): { sub: string; name: string } => ({ sub: `states-${unique()}`, name });

type Widget = HTMLElement & { updateComplete: Promise<boolean>; authUrl?: string };
const $ = <T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const text = (node: Node | null): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const until = (check: () => unknown, message: string, timeout = 8000): Promise<void> => waitUntil(check, message, { timeout });

/** What a widget's state left behind: its elements, connections, and server-side data to withdraw. */
const placed: HTMLElement[] = [];
const sockets: Connection[] = [];
const withdrawals: (() => Promise<unknown>)[] = [];

/** Puts `<name>` on the page (outside open-wc's fixture, which would remove it after each test). */
async function place(name: string, attributes: Record<string, string>): Promise<Widget> {
  const el = document.createElement(name) as Widget;
  for (const [attribute, value] of Object.entries(attributes)) el.setAttribute(attribute, value);
  document.body.append(el);
  placed.push(el);
  await el.updateComplete;
  const authUrl = attributes['auth-url'];
  if (authUrl) sockets.push(getConnection({ server: attributes['server'] ?? server, site: attributes['site'] ?? 'demo', authUrl }));
  return el;
}

/** An auth URL the host page answers with a host token for `who` (null: signed out). */
async function authUrlFor(who: { sub: string; name: string } | null): Promise<string> {
  const authUrl = `/auth/states-${unique()}`;
  const token = who ? await hostToken(who) : null;
  answerAuthUrl(authUrl, () => (token ? Response.json({ token }) : new Response(null, { status: 204 })));
  return authUrl;
}

/** An auth URL whose backend has not answered yet: the widget waits (up to 3 s) before connecting, showing that it is loading. */
function slowAuthUrl(): string {
  const authUrl = `/auth/states-slow-${unique()}`;
  answerAuthUrl(authUrl, () => new Promise<Response>(() => {}));
  return authUrl;
}

async function online(connection: Connection): Promise<Connection> {
  sockets.push(connection);
  await until(() => connection.status === 'online', 'a socket to connect');
  return connection;
}

const guest = async (name: string): Promise<Connection> => {
  const connection = await online(new Connection({ server, site: 'demo' }, null));
  await connection.signInAsGuest(name);
  return connection;
};

const member = async (who: { sub: string; name: string }): Promise<Connection> => {
  const connection = await online(new Connection({ server, site: 'demo' }, null));
  const { user } = await connection.request('session:member', { token: await hostToken(who) });
  connection.identity = user;
  return connection;
};

async function postAs(connection: Connection, topic: string, body: string, parentId?: string): Promise<PostView> {
  const { post } = await connection.request('post:create', { topic, clientId: clientId(), body, ...(parentId ? { parentId } : {}) });
  return post;
}

/** A post the test leaves waiting for a moderator: its author deletes it afterwards. */
function withdrawLater(connection: Connection, postId: string): void {
  withdrawals.push(() => connection.request('post:delete', { postId }).catch(() => {}));
}

/** A topic with a post (with a link) and a reply from other visitors, so posts, actions and replies are on screen. */
async function topicWithPosts(): Promise<{ topic: string; post: PostView }> {
  const topic = newTopic();
  const ana = await guest('Ana');
  const post = await postAs(ana, topic, 'The physio helped me a lot after week two. See https://example.org/knee.');
  await postAs(await guest('Ben'), topic, 'Same for me.', post.id);
  return { topic, post };
}

/** Types into a composer as a person does and presses its submit button. */
async function submit(el: Widget, field: string, body: string): Promise<void> {
  type($<HTMLTextAreaElement>(el, field)!, body);
  await el.updateComplete;
  $<HTMLTextAreaElement>(el, field)!.form!.requestSubmit();
  await el.updateComplete;
}

const THREAD_POSTED = '[part~="list"] article';

async function thread(attributes: Record<string, string>, shows: string): Promise<Widget> {
  const el = await place('kindred-thread', { server, site: 'demo', ...attributes });
  await until(() => $(el, shows), `the thread to show ${shows}`);
  return el;
}

/** A thread signed in as a new member of the host site, on a topic with posts by others. */
async function memberThread(): Promise<{ el: Widget; topic: string; post: PostView }> {
  const { topic, post } = await topicWithPosts();
  const el = await thread({ topic, 'auth-url': await authUrlFor(login('Maria')) }, '#body');
  await until(() => $(el, THREAD_POSTED), 'the posts');
  return { el, topic, post };
}

/** The element's own connection (each auth URL has one). */
const connectionOf = (el: Widget): Connection => getConnection({ server, site: 'demo', authUrl: el.authUrl! });

async function askExpert(attributes: Record<string, string>, shows: string): Promise<Widget> {
  const el = await place('kindred-ask-expert', { server, site: 'demo', ...attributes });
  await until(() => $(el, shows), `the questions to show ${shows}`);
  return el;
}

async function openTab(el: Widget, id: string): Promise<void> {
  $<HTMLButtonElement>(el, `#tab-${id}`)!.click();
  await until(() => $(el, `#tab-${id}[aria-selected="true"]`) && $(el, '[part~="list"], [part~="empty"]'), `the ${id} tab`);
}

async function ask(connection: Connection, topic: string, title: string, visibility: 'public' | 'private' = 'public'): Promise<QuestionView> {
  const { question } = await connection.request('question:ask', { topic, clientId: clientId(), title, visibility });
  withdrawals.push(() => connection.request('post:delete', { postId: question.id }).catch(() => {}));
  return question;
}

/** A member of the host site on the introductions widget, on a connection of their own. */
async function introduceMe(name: string, shows = '#join-heading, #intro-status'): Promise<Widget> {
  const who = login(name);
  const el = await place('kindred-introduce-me', { server, site: 'demo', community: COMMUNITY, 'auth-url': await authUrlFor(who) });
  await until(() => $(el, shows), `${name}'s introductions to show ${shows}`);
  return el;
}

async function join(el: Widget, about: string): Promise<void> {
  $<HTMLInputElement>(el, 'input[name="role"][value="patient"]')!.click();
  $<HTMLInputElement>(el, 'input[name="topic"][value="knee-replacement"]')!.click();
  type($<HTMLTextAreaElement>(el, '#about')!, about);
  $<HTMLInputElement>(el, '#consent')!.click();
  await el.updateComplete;
  button(el.shadowRoot!, 'Join').click();
  await until(() => $(el, '#intro-status'), 'the member view');
}


async function moderationConsole(shows = '[role="tablist"]', who: { sub: string; name: string } | null = MODERATOR): Promise<Widget> {
  const el = await place('kindred-moderation', { server, site: 'demo', 'auth-url': await authUrlFor(who) });
  await until(() => $(el, shows), `the console to show ${shows}`);
  return el;
}

const queueItem = (el: HTMLElement, body: string): HTMLElement | undefined =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('article[part~="item"]')].find((item) => text(item).includes(body));

interface State {
  name: string;
  /** Brings the state about; resolves with the element(s) showing it. */
  mount: () => Promise<Widget | Widget[]>;
  /** What must still be on screen once the checks ran (the state did not move on meanwhile). */
  shows: string;
  /** Mounted afresh for each theme: the state does not last (loading). */
  transient?: boolean;
}

/** Shared between consecutive states of one widget that carry a story on (a proposal becomes a conversation). */
const story: { rosa?: Widget; sam?: Widget; lee?: Widget; console?: Widget; inbox?: Widget } = {};

const WIDGETS: { name: string; states: State[] }[] = [
  {
    name: 'kindred-thread',
    states: [
      {
        name: 'loading',
        transient: true,
        shows: '[part~="base"][aria-busy="true"]',
        mount: () => thread({ topic: newTopic(), 'auth-url': slowAuthUrl() }, '[part~="status"]'),
      },
      { name: 'empty topic', shows: '[part~="empty"]', mount: () => thread({ topic: newTopic() }, '[part~="empty"]') },
      {
        name: 'error: the server cannot be reached',
        shows: '[part~="retry"]',
        mount: () => thread({ topic: newTopic(), server: 'http://127.0.0.1:9' }, '[part~="retry"]'),
      },
      {
        name: 'error: the site is not set up for this page',
        shows: '[part~="error"]',
        mount: () => thread({ topic: newTopic(), site: 'nowhere' }, '[part~="error"]'),
      },
      {
        name: 'offline, posts still shown',
        shows: '[part~="status"]',
        async mount() {
          const { topic } = await topicWithPosts();
          const el = await thread({ topic, 'auth-url': await authUrlFor(login('Omar')) }, THREAD_POSTED);
          connectionOf(el).socket.disconnect();
          await until(() => $(el, '[part~="status"]'), 'the offline line');
          return el;
        },
      },
      {
        name: 'content with my post held for review',
        shows: '[part~="held-note"]',
        async mount() {
          const { el } = await memberThread();
          // A word on the demo site's suspect list: the server holds the post.
          await submit(el, '#body', 'Has anyone tried the miracle cure my neighbour swears by?');
          await until(() => $(el, '[part~="held-note"]'), 'the held note');
          withdrawLater(connectionOf(el), $(el, '[part~="held-note"]')!.closest('article')!.id.replace(/^post-/, ''));
          return el;
        },
      },
      {
        name: 'crisis panel open',
        shows: '[part~="crisis-panel"]',
        async mount() {
          const { el } = await memberThread();
          await submit(el, '#body', "I can't go on anymore, I want to end my life");
          await until(() => $(el, '[part~="crisis-panel"]'), 'the crisis panel');
          return el;
        },
      },
      {
        name: 'identifier warning',
        shows: '[part~="identifier-warning"]',
        async mount() {
          const { el } = await memberThread();
          await submit(el, '#body', 'Call me on 617-432-1234 after six.');
          await until(() => $(el, '[part~="identifier-warning"]'), 'the warning');
          return el;
        },
      },
      {
        name: 'a post refused by the composer ("Write something first.")',
        shows: '#body[aria-invalid="true"]',
        async mount() {
          const { el } = await memberThread();
          await submit(el, '#body', '   ');
          await until(() => $(el, '#body[aria-invalid="true"]'), 'the error');
          return el;
        },
      },
      {
        name: 'new posts waiting behind "N new posts"',
        shows: '[part~="new-posts"]',
        async mount() {
          const { el, topic } = await memberThread();
          await postAs(await guest('Bob'), topic, 'Just back from physio: it gets easier.');
          await until(() => $(el, '[part~="new-posts"]'), 'the new-posts button');
          return el;
        },
      },
      {
        name: 'reply form open, with a draft',
        shows: '#reply-body',
        async mount() {
          const { el, post } = await memberThread();
          button($(el, `#post-${post.id}`)!, 'Reply').click();
          await until(() => $(el, '#reply-body'), 'the reply form');
          type($<HTMLTextAreaElement>(el, '#reply-body')!, 'About six weeks for me.');
          await el.updateComplete;
          return el;
        },
      },
      {
        name: 'my post removed by a moderator',
        shows: '[part~="removed-note"]',
        async mount() {
          const { topic } = await topicWithPosts();
          const author = login('Ines');
          const mine = await postAs(await member(author), topic, 'Try this supplement instead of your medication.');
          await (await member(MODERATOR)).request('mod:decide', { postId: mine.id, action: 'remove', reason: 'Advice to stop a prescribed medicine' });
          return thread({ topic, 'auth-url': await authUrlFor(author) }, '[part~="removed-note"]');
        },
      },
      {
        name: 'report form open',
        shows: '[part~="report-form"]',
        async mount() {
          const { el, post } = await memberThread();
          $<HTMLButtonElement>(el, `#post-${post.id} [part~="report-button"]`)!.click();
          await until(() => $(el, '[part~="report-form"]'), 'the report form');
          return el;
        },
      },
      {
        name: 'delete confirmation',
        shows: '[part~="confirm"]',
        async mount() {
          const { el } = await memberThread();
          await submit(el, '#body', 'Walking a little further every day.');
          await until(() => [...el.shadowRoot!.querySelectorAll('[part~="actions"] button')].some((b) => text(b) === 'Delete'), 'my post');
          button($(el, '[part~="list"]')!, 'Delete').click();
          await until(() => $(el, '[part~="confirm"]'), 'the confirmation');
          return el;
        },
      },
    ],
  },
  {
    name: 'kindred-ask-expert',
    states: [
      {
        name: 'loading',
        transient: true,
        shows: '[part~="base"][aria-busy="true"]',
        mount: () => askExpert({ topic: newTopic(), 'auth-url': slowAuthUrl() }, '[part~="panel"]'),
      },
      {
        name: 'error: the server cannot be reached',
        shows: '[part~="retry"]',
        mount: () => askExpert({ topic: newTopic(), server: 'http://127.0.0.1:9' }, '[part~="retry"]'),
      },
      {
        name: 'unanswered question',
        shows: 'article[part~="question"]',
        async mount() {
          const topic = newTopic();
          await ask(await guest('Rosa'), topic, 'How long does the swelling last?');
          const el = await askExpert({ topic }, '[part~="list"], [part~="empty"]');
          await openTab(el, 'unanswered');
          await until(() => $(el, 'article[part~="question"]'), 'the question');
          return el;
        },
      },
      {
        name: 'expert answer featured, with the Verified clinician badge',
        shows: '[part~="badge"]',
        async mount() {
          const asker = login('Sam');
          const question = await ask(await member(asker), EXPERT_TOPIC, `Can I kneel on the new knee? ${unique()}`);
          await (await member(EXPERT)).request('question:reply', {
            questionId: question.id,
            clientId: clientId(),
            body: 'Kneeling may feel odd at first but will not harm the implant.',
          });
          const el = await askExpert({ topic: EXPERT_TOPIC, 'auth-url': await authUrlFor(asker) }, '#tab-mine');
          await openTab(el, 'mine');
          await until(() => $(el, '[part~="badge"]'), 'the badged answer');
          return el;
        },
      },
      {
        name: 'My questions, one of them private',
        shows: '[part~="private-marker"]',
        async mount() {
          const topic = newTopic();
          const asker = login('Hana');
          const connection = await member(asker);
          await ask(connection, topic, 'Is it normal that my scar itches at night?', 'private');
          await ask(connection, topic, 'When can I drive again after surgery?');
          const el = await askExpert({ topic, 'auth-url': await authUrlFor(asker) }, '#tab-mine');
          await openTab(el, 'mine');
          await until(() => $(el, '[part~="private-marker"]'), 'the private question');
          return el;
        },
      },
      {
        name: 'my question held for review',
        shows: '[part~="held-note"]',
        async mount() {
          const topic = newTopic();
          const asker = login('Yusuf');
          await ask(await member(asker), topic, 'Is the miracle cure from the advert safe after surgery?');
          const el = await askExpert({ topic, 'auth-url': await authUrlFor(asker) }, '#tab-mine');
          await openTab(el, 'mine');
          await until(() => $(el, '[part~="held-note"]'), 'the held note');
          return el;
        },
      },
      {
        name: 'crisis panel open',
        shows: '[part~="crisis-panel"]',
        async mount() {
          const el = await askExpert({ topic: newTopic(), 'auth-url': await authUrlFor(login('Jo')) }, '#ask-title');
          type($<HTMLInputElement>(el, '#ask-title')!, 'I do not know who to talk to');
          type($<HTMLTextAreaElement>(el, '#ask-details')!, "I don't want to live anymore.");
          button(el.shadowRoot!, 'Ask').click();
          await until(() => $(el, '[part~="crisis-panel"]'), 'the crisis panel');
          return el;
        },
      },
      {
        name: 'identifier warning',
        shows: '[part~="identifier-warning"]',
        async mount() {
          const el = await askExpert({ topic: newTopic(), 'auth-url': await authUrlFor(login('Rui')) }, '#ask-title');
          type($<HTMLInputElement>(el, '#ask-title')!, 'Please call me back about my knee');
          type($<HTMLTextAreaElement>(el, '#ask-details')!, 'My number is 555-123-4567, evenings are best.');
          button(el.shadowRoot!, 'Ask').click();
          await until(() => $(el, '[part~="identifier-warning"]'), 'the warning');
          return el;
        },
      },
      {
        name: 'a question too short to ask',
        shows: '#ask-title[aria-invalid="true"]',
        async mount() {
          const el = await askExpert({ topic: newTopic(), 'auth-url': await authUrlFor(login('Eli')) }, '#ask-title');
          type($<HTMLInputElement>(el, '#ask-title')!, 'Too short');
          button(el.shadowRoot!, 'Ask').click();
          await until(() => $(el, '#ask-title[aria-invalid="true"]'), 'the error');
          return el;
        },
      },
      {
        name: "the expert's inbox",
        shows: 'article[part~="question"] textarea',
        async mount() {
          await ask(await guest('Lena'), EXPERT_TOPIC, `Is it safe to fly after surgery? ${unique()}`);
          const el = (story.inbox = await askExpert({ topic: EXPERT_TOPIC, 'auth-url': await authUrlFor(EXPERT) }, '#tab-inbox[aria-selected="true"]'));
          await until(() => $(el, 'article[part~="question"] textarea'), 'a question with its answer box');
          return el;
        },
      },
      {
        name: "the expert warned of an answer that describes a patient",
        shows: '[part~="disclosure-warning"]',
        async mount() {
          const el = story.inbox!;
          const item = $(el, 'article[part~="question"]')!;
          type(item.querySelector('textarea')!, 'One of my patients flew home two days after surgery and was fine.');
          button(item, 'Publish answer').click();
          await until(() => $(el, '[part~="disclosure-warning"]'), 'the disclosure warning');
          return el;
        },
      },
    ],
  },
  {
    name: 'kindred-introduce-me',
    states: [
      {
        name: 'loading',
        transient: true,
        shows: '[part~="base"][aria-busy="true"]',
        async mount() {
          const el = await place('kindred-introduce-me', { server, site: 'demo', community: COMMUNITY, 'auth-url': slowAuthUrl() });
          await until(() => $(el, '[part~="base"][aria-busy="true"]'), 'the loading state');
          return el;
        },
      },
      {
        name: 'error: the community is not set up',
        shows: '[part~="retry"]',
        mount: () => place('kindred-introduce-me', { server, site: 'demo', community: 'no-such-community' }).then(async (el) => {
          await until(() => $(el, '[part~="retry"]'), 'the error');
          return el;
        }),
      },
      { name: 'join form', shows: '#join-heading', mount: () => introduceMe('Ana', '#join-heading') },
      {
        name: 'join form with what needs attention',
        shows: '#consent[aria-invalid="true"]',
        async mount() {
          const el = await introduceMe('Noor', '#join-heading');
          button(el.shadowRoot!, 'Join').click();
          await until(() => $(el, '#consent[aria-invalid="true"]'), 'the problems');
          return el;
        },
      },
      {
        name: 'identifier warning on the about-me',
        shows: '[part~="identifier-warning"]',
        async mount() {
          const el = await introduceMe('Kai', '#join-heading');
          $<HTMLInputElement>(el, 'input[name="role"][value="patient"]')!.click();
          $<HTMLInputElement>(el, 'input[name="topic"][value="knee-replacement"]')!.click();
          type($<HTMLTextAreaElement>(el, '#about')!, 'Call me on 555-123-4567 any evening.');
          $<HTMLInputElement>(el, '#consent')!.click();
          await el.updateComplete;
          button(el.shadowRoot!, 'Join').click();
          await until(() => $(el, '[part~="identifier-warning"]'), 'the warning');
          return el;
        },
      },
      {
        name: 'a proposal',
        shows: '[part~="proposal"]',
        async mount() {
          const rosa = (story.rosa = await introduceMe('Rosa', '#join-heading'));
          const sam = (story.sam = await introduceMe('Sam', '#join-heading'));
          await join(rosa, 'Six weeks after my new knee.');
          await join(sam, 'Two months on and walking again.');
          expect((await matchRound(COMMUNITY)).pairs).to.equal(1);
          await until(() => $(rosa, '[part~="proposal"]') && $(sam, '[part~="proposal"]'), 'the proposal');
          return [rosa, sam];
        },
      },
      {
        name: 'a connected conversation',
        shows: '[part~="message"]',
        async mount() {
          const { rosa, sam } = story as Required<typeof story>;
          button(rosa.shadowRoot!, 'Yes, introduce us').click();
          await until(() => $(rosa, '[part~="waiting"]'), 'Rosa waiting');
          button(sam.shadowRoot!, 'Yes, introduce us').click();
          await until(() => $(rosa, '[part~="message-input"]') && $(sam, '[part~="message-input"]'), 'the conversation');
          await submit(rosa, '[part~="message-input"]', 'Hello Sam! How is the stiffness?');
          await until(() => $(sam, '[part~="message"]'), 'the message for Sam');
          await submit(sam, '[part~="message-input"]', 'Better every week, thanks.');
          await until(() => rosa.shadowRoot!.querySelectorAll('[part~="message"]').length === 2, 'the answer for Rosa');
          return [rosa, sam];
        },
      },
      {
        name: 'the conversation ended',
        shows: '[part~="ended-note"]',
        async mount() {
          const { rosa, sam } = story as Required<typeof story>;
          button(sam.shadowRoot!, 'End and block').click();
          await until(() => $(sam, '[part~="block-confirm"]'), 'the confirmation');
          button(sam.shadowRoot!, 'Yes, end and block').click();
          await until(() => $(sam, '[part~="ended-note"]') && $(rosa, '[part~="ended-note"]'), 'ended for both');
          return [rosa, sam];
        },
      },
      {
        name: 'member status',
        shows: '[part~="member-status"]',
        async mount() {
          const lee = (story.lee = await introduceMe('Lee', '#join-heading'));
          await join(lee, 'Hip replacement last spring.');
          return lee;
        },
      },
      {
        name: 'leave confirmation',
        shows: '[part~="leave-confirm"]',
        async mount() {
          const { lee } = story as Required<typeof story>;
          $<HTMLButtonElement>(lee, '#leave')!.click();
          await until(() => $(lee, '[part~="leave-confirm"]'), 'the confirmation');
          return lee;
        },
      },
    ],
  },
  {
    name: 'kindred-moderation',
    states: [
      { name: 'not a moderator', shows: '[part~="not-moderator"]', mount: () => moderationConsole('[part~="not-moderator"]', null) },
      {
        name: 'Held queue with a held post',
        shows: 'article[part~="item"]',
        async mount() {
          const author = await guest(`Sam ${unique()}`);
          const body = `Call me on 617-432-1234 about the miracle cure ${unique()}`;
          withdrawLater(author, (await postAs(author, newTopic(), body)).id);
          const el = (story.console = await moderationConsole());
          await until(() => queueItem(el, body), 'the held post');
          return el;
        },
      },
      {
        name: 'a rejection without a reason',
        shows: '[part~="confirm"] [part~="error"]',
        async mount() {
          const el = story.console!;
          const item = $(el, 'article[part~="item"]')!;
          button(item, 'Reject').click();
          await until(() => item.querySelector('textarea'), 'the reason field');
          button(item, 'Reject post').click();
          await until(() => text(item.querySelector('[part~="confirm"] [part~="error"]')), 'the missing reason');
          return el;
        },
      },
      {
        name: 'Reported queue with a reported post',
        shows: 'article[part~="item"]',
        async mount() {
          const el = story.console!;
          const body = `This supplement fixed everything for me ${unique()}`;
          const post = await postAs(await guest('Pat'), newTopic(), body);
          await (await guest('Quinn')).request('post:report', { postId: post.id, reason: 'medical-misinformation', note: 'Dangerous advice' });
          // Removed by the moderator afterwards, which also gives the audit log an entry.
          withdrawals.push(() => member(MODERATOR).then((mod) => mod.request('mod:decide', { postId: post.id, action: 'remove', reason: 'Unproven claims' })));
          $<HTMLButtonElement>(el, '#tab-reported')!.click();
          await until(() => queueItem(el, body), 'the reported post');
          return el;
        },
      },
      {
        name: 'crisis alert',
        shows: '[part~="crisis-alert"]',
        async mount() {
          const el = story.console!;
          const author = await guest(`Ana ${unique()}`);
          withdrawLater(author, (await postAs(author, newTopic(), "I don't want to live anymore")).id);
          await until(() => $(el, '[part~="crisis-alert"]'), 'the crisis alert');
          return el;
        },
      },
      {
        name: 'Crisis queue',
        shows: 'article[part~="item"]',
        async mount() {
          const el = story.console!;
          button(el.shadowRoot!, 'Open the Crisis queue').click();
          await until(() => $(el, '#tab-crisis[aria-selected="true"]') && $(el, 'article[part~="item"]'), 'the Crisis queue');
          return el;
        },
      },
      {
        name: 'Settings tab',
        shows: '#reportThreshold',
        async mount() {
          const el = story.console!;
          $<HTMLButtonElement>(el, '#tab-settings')!.click();
          await until(() => $(el, '#reportThreshold'), 'the settings');
          return el;
        },
      },
      {
        name: 'Settings the server refuses',
        shows: '#reportThreshold[aria-invalid="true"]',
        async mount() {
          const el = story.console!;
          type($<HTMLInputElement>(el, '#reportThreshold')!, '0');
          button(el.shadowRoot!, 'Save settings').click();
          await until(() => $(el, '#reportThreshold[aria-invalid="true"]'), 'the threshold error');
          return el;
        },
      },
      {
        name: 'Audit log tab',
        shows: 'table',
        async mount() {
          const el = story.console!;
          await (await member(MODERATOR)).request('mod:settings:set', { settings: { reportThreshold: 3 } });
          $<HTMLButtonElement>(el, '#tab-audit')!.click();
          await until(() => $(el, 'table'), 'the audit log');
          return el;
        },
      },
    ],
  },
];

/** The lowest contrast ratio measured in each theme, over every state. */
const lowest = new Map<ThemeName, { ratio: number; where: string }>();

async function checkIn(theme: ThemeName, els: Widget[], state: State, widget: string): Promise<void> {
  for (const el of els) {
    el.setAttribute('theme', theme);
    await el.updateComplete;
    const { checked, lowest: ratio } = assertContrast(el, `${state.name}, ${theme}`);
    expect(checked, 'text elements measured').to.be.above(0);
    assertFieldEdges(el, `${state.name}, ${theme}`);
    if (ratio < (lowest.get(theme)?.ratio ?? Infinity)) lowest.set(theme, { ratio, where: `${widget}: ${state.name}` });
    await expect(el).to.be.accessible();
    expect($(el, state.shows), `still showing ${state.shows}`).not.to.equal(null);
  }
}

before(() => localStorage.clear());

after(() => {
  for (const [theme, { ratio, where }] of lowest) console.log(`lowest text contrast in ${theme}: ${ratio.toFixed(2)}:1 (${where})`);
});

describe('every state in every built-in theme', () => {
  for (const widget of WIDGETS) {
    describe(widget.name, () => {
      after(async function () {
        this.timeout(20_000);
        for (const withdraw of withdrawals.splice(0)) await withdraw();
        for (const el of placed.splice(0)) el.remove();
        for (const connection of sockets.splice(0)) {
          if (widget.name === 'kindred-introduce-me' && connection.identity) {
            await connection.request('introduce:leave', { community: COMMUNITY }).catch(() => {});
          }
          connection.close();
        }
      });

      for (const state of widget.states) {
        describe(state.name, () => {
          let els: Widget[] = [];
          before(async function () {
            this.timeout(30_000);
            if (!state.transient) els = [await state.mount()].flat();
          });

          afterEach(async () => {
            await emulateColorScheme('light');
            if (state.transient) for (const el of els.splice(0)) el.remove();
          });

          for (const theme of THEMES) {
            it(`in ${theme}: text contrast ≥ 4.5:1 and axe-clean`, async () => {
              // auto is tested where it differs from the default: a visitor who prefers dark.
              if (theme === 'auto') await emulateColorScheme('dark');
              if (state.transient) els = [await state.mount()].flat();
              await checkIn(theme, els, state, widget.name);
            });
          }
        });
      }
    });
  }
});

describe('after every state', () => {
  it('leaves nothing of its own waiting for a moderator', async () => {
    const moderator = await member(MODERATOR);
    const left: string[] = [];
    for (const queue of ['held', 'reported', 'crisis'] as const) {
      const { items } = await moderator.request('mod:queue', { queue, order: 'oldest' });
      left.push(...items.filter((item) => item.post.topic.startsWith('states-')).map((item) => `${queue}: ${item.post.body}`));
    }
    moderator.close();
    expect(left).to.deep.equal([]);
  });
});
