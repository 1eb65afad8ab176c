/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { Connection, getConnection } from '@kindred/client';
import '../thread/define.js';
import '../ask-expert/define.js';
import '../introduce-me/define.js';
import '../moderation/define.js';
import { draftChecks } from '../thread/on-demand.js';
import { answerAuthUrl, button, hostToken, type } from '../testing/host-page.js';
import { matchRound } from '../testing/commands.js';

/**
 * Issue 7's focus and announcement rules across the widgets, against the real
 * test server: a closed inline form or confirmation gives focus back to the
 * button that opened it (Escape closes it), and news that arrives in a burst
 * from another connection is announced once, politely, not once per item.
 */
const server = window.KINDRED_TEST_SERVER;
const COMMUNITY = 'joint-replacement';
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;
const clientId = (): string => crypto.randomUUID().replaceAll('-', '');

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null => el.shadowRoot!.querySelector<T>(selector);
const focused = (el: Element): Element | null => el.shadowRoot!.activeElement;
/** Whether `target` exists and has focus. */
const hasFocus = (el: Element, target: Element | null): boolean => !!target && focused(el) === target;
const text = (node: Node | null): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const until = (check: () => unknown, message: string, timeout = 8000): Promise<void> => waitUntil(check, message, { timeout });
const escape = (target: Element): void => {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
};
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const open: Connection[] = [];
afterEach(() => {
  for (const connection of open.splice(0)) connection.close();
});

/** Someone else on a socket of their own, signed in as a guest. */
async function otherGuest(name: string): Promise<Connection> {
  const connection = new Connection({ server, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', `${name} to connect`);
  await connection.signInAsGuest(name);
  return connection;
}

/**
 * Every text the element's polite live region takes from now on, in order (a
 * screen reader speaks each change once). `stop()` ends the watch and returns them.
 */
function watchAnnouncements(el: Element): { stop(): string[] } {
  const region = $(el, '[part~="announcer"]')!;
  expect(region.getAttribute('role')).to.equal('status');
  const said: string[] = [];
  let last = region.textContent;
  // The raw text, not trimmed: the announcer marks a repeat of the same words with a trailing no-break space.
  const observer = new MutationObserver(() => {
    const now = region.textContent;
    if (now !== last && text(region)) said.push(text(region));
    last = now;
  });
  observer.observe(region, { childList: true, characterData: true, subtree: true });
  return {
    stop() {
      observer.disconnect();
      return said;
    },
  };
}

/** Waits for the burst's announcement, then a full batching window more, so a second one would have shown. */
async function settledAnnouncements(watch: { stop(): string[] }, el: Element): Promise<string[]> {
  await until(() => text($(el, '[part~="announcer"]')), 'an announcement');
  await pause(2500);
  return watch.stop();
}

describe('focus rules', () => {
  before(() => localStorage.clear());

  it('thread: Reply, Edit and Delete forms give focus back to their button when closed with Escape', async () => {
    const topic = `wtr-focus-${unique()}`;
    const ana = await otherGuest('Ana');
    const { post: theirs } = await ana.request('post:create', { topic, clientId: clientId(), body: 'Ana asks about ice packs.' });
    const el = await fixture(html`<kindred-thread topic=${topic} server=${server} site="demo"></kindred-thread>`);
    await until(() => $(el, `#post-${theirs.id}`), 'the posts');
    if (!$(el, '[part~="sign-out"]')) {
      type($<HTMLInputElement>(el, '#name')!, 'Maria');
      button(el.shadowRoot!, 'Continue').click();
    }
    await until(() => hasFocus(el, $(el, '#body')), 'focus in the composer after signing in');

    await until(() => $(el, `#post-${theirs.id} [part~="reply-button"]`), 'Reply on their post');
    $(el, `#post-${theirs.id} [part~="reply-button"]`)!.click();
    await until(() => hasFocus(el, $(el, '#reply-body')), 'focus in the reply box');
    escape($(el, '#reply-body')!);
    await until(() => hasFocus(el, $(el, `#post-${theirs.id} [part~="reply-button"]`)), 'focus back on Reply');

    type($<HTMLTextAreaElement>(el, '#body')!, 'My own post, to edit and delete.');
    await draftChecks.load();
    button($(el, '[part~="composer-form"]')!, 'Post').click();
    await until(() => $(el, '[part~="list"] [part~="delete-button"]'), 'my post, sent');
    const mine = $(el, '[part~="delete-button"]')!.closest('article')!;

    mine.querySelector<HTMLElement>('[part~="edit-button"]')!.click();
    await until(() => hasFocus(el, $(el, '#edit-body')), 'focus in the edit box');
    escape($(el, '#edit-body')!);
    await until(() => hasFocus(el, mine.querySelector('[part~="edit-button"]')), 'focus back on Edit');

    mine.querySelector<HTMLElement>('[part~="delete-button"]')!.click();
    await until(() => hasFocus(el, mine.querySelector('[part~="confirm"] [data-autofocus]')), 'focus on Cancel in the confirmation');
    escape(focused(el)!);
    await until(() => hasFocus(el, mine.querySelector('[part~="delete-button"]')), 'focus back on Delete');
    expect(mine.querySelector('[part~="confirm"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('thread: "Load more" and "N new posts" move focus to the first post they bring', async () => {
    const topic = `wtr-more-${unique()}`;
    const ana = await otherGuest('Ana');
    // One more than a page (newest first): the oldest is what "Load more" brings.
    const ids: string[] = [];
    for (let index = 1; index <= 21; index += 1) {
      const { post } = await ana.request('post:create', { topic, clientId: clientId(), body: `Post number ${index}` });
      ids.push(post.id);
    }
    const el = await fixture(html`<kindred-thread topic=${topic} server=${server} site="demo"></kindred-thread>`);
    await until(() => $(el, `#post-${ids[20]}`) && $(el, '[part~="load-more"]'), 'the first page and Load more');
    expect($(el, `#post-${ids[0]}`)).to.equal(null);
    $(el, '[part~="load-more"]')!.click();
    await until(() => hasFocus(el, $(el, `#post-${ids[0]}`)), 'focus on the post Load more brought');

    const { post: fresh } = await ana.request('post:create', { topic, clientId: clientId(), body: 'A post that arrives while you read' });
    await until(() => $(el, '[part~="new-posts"]'), 'the "1 new post" button');
    $(el, '[part~="new-posts"]')!.click();
    await until(() => hasFocus(el, $(el, `#post-${fresh.id}`)), 'focus on the new post');
  });

  it('ask-expert: the follow-up box and the delete confirmation give focus back to their button when closed with Escape', async () => {
    const topic = `wtr-focus-ask-${unique()}`;
    const connection = getConnection({ server, site: 'demo' });
    await until(() => connection.status === 'online', 'the page to connect');
    if (!connection.identity) await connection.signInAsGuest('Maria');
    const el = await fixture(html`<kindred-ask-expert topic=${topic} server=${server} site="demo"></kindred-ask-expert>`);
    await until(() => $(el, '#tab-mine'), 'the My questions tab');
    const { question } = await connection.request('question:ask', { topic, clientId: clientId(), title: 'Can I shower with the dressing on?', visibility: 'public' });
    $(el, '#tab-mine')!.click();
    await until(() => $(el, `#q-${question.id} [part~="follow-up-button"]`), 'my question');
    const opener = (name: string): Element | null => $(el, `#q-${question.id} [part~="${name}-button"]`);

    (opener('follow-up') as HTMLElement).click();
    await until(() => focused(el)?.localName === 'textarea', 'focus in the follow-up box');
    escape(focused(el)!);
    await until(() => hasFocus(el, opener('follow-up')), 'focus back on Add a follow-up');

    (opener('delete') as HTMLElement).click();
    await until(() => hasFocus(el, $(el, `#q-${question.id} [part~="confirm"] [data-autofocus]`)), 'focus on Cancel');
    escape(focused(el)!);
    await until(() => hasFocus(el, opener('delete')), 'focus back on Delete');
    expect($(el, `#q-${question.id} [part~="confirm"]`)).to.equal(null);
  });

  it('moderation: after a decision focus moves to the next item, even when the live "resolved" beats the answer', async () => {
    const topic = `wtr-focus-mod-${unique()}`;
    const ana = await otherGuest('Ana');
    const reporter = await otherGuest('Reporter');
    for (const body of ['Skip the blood thinners, they are optional.', 'Ice is useless, use heat from day one.']) {
      const { post } = await ana.request('post:create', { topic, clientId: clientId(), body });
      await reporter.request('post:report', { postId: post.id, reason: 'medical-misinformation' });
    }
    const authUrl = `/auth/focus-rules-mod-${unique()}`;
    const token = await hostToken({ sub: 'demo-moderator', name: 'Dr. Priya Patel (moderator)' });
    answerAuthUrl(authUrl, () => Response.json({ token }));
    open.push(getConnection({ server, site: 'demo', authUrl }));
    const el = await fixture(html`<kindred-moderation server=${server} site="demo" auth-url=${authUrl}></kindred-moderation>`);
    await until(() => $(el, '#tab-reported'), 'the console');
    $(el, '#tab-reported')!.click();
    const mine = (): HTMLElement | undefined =>
      [...el.shadowRoot!.querySelectorAll<HTMLElement>('article[part~="item"]')].find((item) => item.textContent!.includes(topic));
    await until(() => mine(), 'a reported post of this test');
    mine()!.querySelector<HTMLElement>('[part~="action-approve"]')!.click();
    await until(() => hasFocus(el, mine()!.querySelector('[part~="confirm-button"]')), 'focus on Yes, approve');
    escape(focused(el)!);
    await until(() => hasFocus(el, mine()!.querySelector('[part~="action-approve"]')), 'focus back on Approve');
    mine()!.querySelector<HTMLElement>('[part~="action-approve"]')!.click();
    await until(() => mine()?.querySelector('[part~="confirm-button"]'), 'the confirmation');
    const decided = mine()!.id;
    mine()!.querySelector<HTMLElement>('[part~="confirm-button"]')!.click();
    await until(() => !$(el, `#${decided}`), 'the item to leave the queue');
    await until(() => (focused(el) as HTMLElement | null)?.matches('article[part~="item"]'), 'focus on the next item');
  });
});

describe('batched announcements', () => {
  it('thread: ten posts from another connection in a burst are announced once', async () => {
    const topic = `wtr-burst-${unique()}`;
    const el = await fixture(html`<kindred-thread topic=${topic} server=${server} site="demo"></kindred-thread>`);
    await until(() => $(el, '[part~="empty"]'), 'the empty thread');
    const ana = await otherGuest('Ana');
    const watch = watchAnnouncements(el);
    await Promise.all(
      Array.from({ length: 10 }, (_, index) => ana.request('post:create', { topic, clientId: clientId(), body: `Burst post ${index + 1}` })),
    );
    await until(() => text($(el, '[part~="new-posts"]')) === '10 new posts', 'the new-posts button');
    expect(await settledAnnouncements(watch, el)).to.deep.equal(['10 new posts']);
  });

  it('ask-expert: ten questions asked elsewhere in a burst are announced once', async () => {
    const topic = `wtr-burst-ask-${unique()}`;
    const el = await fixture(html`<kindred-ask-expert topic=${topic} server=${server} site="demo"></kindred-ask-expert>`);
    await until(() => $(el, '[part~="list"], [part~="empty"]'), 'the questions');
    const asker = await otherGuest('Asker');
    const watch = watchAnnouncements(el);
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        asker.request('question:ask', { topic, clientId: clientId(), title: `How long until I can drive, question ${index + 1}?`, visibility: 'public' }),
      ),
    );
    expect(await settledAnnouncements(watch, el)).to.deep.equal(['10 new questions']);
  });

  it('introduce-me: Escape closes the leave and block confirmations, the proposal takes over the focused status heading, ten messages are announced once', async function () {
    this.timeout(30_000);
    const authUrl = `/auth/focus-rules-${unique()}`;
    const token = await hostToken({ sub: `focus-rules-${unique()}`, name: 'Rosa' });
    answerAuthUrl(authUrl, () => Response.json({ token }));
    const rosaConnection = getConnection({ server, site: 'demo', authUrl });
    open.push(rosaConnection);
    const el = await fixture(
      html`<kindred-introduce-me community=${COMMUNITY} server=${server} site="demo" auth-url=${authUrl}></kindred-introduce-me>`,
    );
    const sam = await otherGuest('Sam');
    const joinAs = (connection: Connection) =>
      connection.request('introduce:join', {
        community: COMMUNITY,
        clientId: clientId(),
        role: 'patient',
        wants: 'peer',
        topics: [{ id: 'shoulder-replacement' }],
        languages: ['en'],
        about: '',
        consent: true,
      });
    try {
      await until(() => $(el, '#join-heading'), 'the opt-in form');
      $<HTMLInputElement>(el, 'input[name="role"][value="patient"]')!.click();
      $<HTMLInputElement>(el, 'input[name="topic"][value="shoulder-replacement"]')!.click();
      $<HTMLInputElement>(el, '#consent')!.click();
      await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      button(el.shadowRoot!, 'Join').click();
      await until(() => hasFocus(el, $(el, '#intro-status')), 'focus on the status heading');
      // Leave asks first; Escape takes the question back and focus returns to Leave.
      $(el, '#leave')!.click();
      await until(() => hasFocus(el, $(el, '[part~="leave-confirm"] [data-autofocus]')), 'focus on Cancel');
      escape(focused(el)!);
      await until(() => hasFocus(el, $(el, '#leave')), 'focus back on Leave');
      expect($(el, '[part~="leave-confirm"]')).to.equal(null);
      $<HTMLElement>(el, '#intro-status')!.focus();
      await joinAs(sam);
      await matchRound(COMMUNITY);
      await until(() => text($(el, '#intro-status')) === "We'd like to introduce you to Sam", 'the proposal, live');
      await until(() => hasFocus(el, $(el, '#intro-status')), 'focus on the proposal heading, not dropped');

      const { introductions } = await sam.request('introduce:state', { community: COMMUNITY });
      const introductionId = introductions[0]!.id;
      await sam.request('introduction:answer', { introductionId, accept: true });
      button(el.shadowRoot!, 'Yes, introduce us').click();
      await until(() => $(el, '[part~="message-input"]'), 'the conversation');
      // Let the news of the conversation opening be said first.
      await pause(2500);

      const watch = watchAnnouncements(el);
      await Promise.all(
        Array.from({ length: 10 }, (_, index) => sam.request('introduction:send', { introductionId, clientId: clientId(), body: `Message ${index + 1}` })),
      );
      expect(await settledAnnouncements(watch, el)).to.deep.equal(['10 new messages from Sam']);

      // End and block asks first; Escape takes the question back and focus returns to its button.
      $(el, '[part~="block-button"]')!.click();
      await until(() => hasFocus(el, $(el, '[part~="block-confirm"] [data-autofocus]')), 'focus on Cancel');
      escape(focused(el)!);
      await until(() => hasFocus(el, $(el, '[part~="block-button"]')), 'focus back on End and block');
    } finally {
      for (const connection of [rosaConnection, sam]) await connection.request('introduce:leave', { community: COMMUNITY }).catch(() => {});
    }
  });
});

