/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { Connection, KindredError, getConnection, getThreadStore } from '@kindred/client';
import type { ClientEvents, PostView, ServerEvents, TopicEvent } from '@kindred/protocol';
import './define.js';
import type { KindredThread } from './thread.js';

/**
 * The thread's side of the safety pipeline: the identifier warning and the
 * crisis panel before sending, held / masked / removed notes, reports, the
 * disclaimer and the moderation refusals. Each test has a connection of its
 * own (a per-test auth URL that answers "signed out"), so what the server
 * would say can be driven on it (a `session` or `topic:event`, an
 * acknowledgement with notices) without touching other tests; everything
 * else goes through the real server.
 */
const server = window.KINDRED_TEST_SERVER;
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;

const root = (el: KindredThread): ShadowRoot => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: KindredThread, selector: string): T | null =>
  root(el).querySelector<T>(selector);
const text = (node: Node): string => node.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const until = (check: () => unknown, message: string): Promise<void> => waitUntil(check, message, { timeout: 5000 });
const announced = (el: KindredThread): string => $(el, '[part~="announcer"]')!.textContent ?? '';

function button(scope: ParentNode, name: string): HTMLButtonElement {
  const found = [...scope.querySelectorAll('button')].find((b) => text(b) === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

function type(field: HTMLTextAreaElement | HTMLInputElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

const realFetch = window.fetch;
const signedOutUrls = new Set<string>();
window.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input), location.href);
  return signedOutUrls.has(url.pathname) ? Promise.resolve(new Response(null, { status: 204 })) : realFetch(input, init);
};

type Requests = { name: string; req: unknown }[];

interface Mounted {
  el: KindredThread;
  connection: Connection;
  topic: string;
  /** Every request the thread made, in order. */
  requests: Requests;
  /** Answers requests named `name` instead of the server (return undefined to let the server answer). */
  answer<K extends keyof ClientEvents>(
    name: K,
    fake: (req: ClientEvents[K]['req'], real: () => Promise<ClientEvents[K]['res']>) => Promise<ClientEvents[K]['res']> | undefined,
  ): void;
}

const open: Connection[] = [];
afterEach(() => {
  for (const connection of open.splice(0)) connection.close();
});

/** A thread on a connection of its own, loaded; signed in as a guest when `name` is given. */
async function mount(name?: string, topic = `wtr-safety-${unique()}`): Promise<Mounted> {
  // A fresh visitor: no guest token from an earlier test.
  localStorage.clear();
  const authUrl = `/auth/${unique()}`;
  signedOutUrls.add(authUrl);
  const connection = getConnection({ server, site: 'demo', authUrl });
  open.push(connection);
  const requests: Requests = [];
  const fakes = new Map<string, (req: never, real: () => Promise<unknown>) => Promise<unknown> | undefined>();
  const request = connection.request.bind(connection);
  connection.request = ((name: keyof ClientEvents, req: never, options) => {
    requests.push({ name, req });
    const real = () => request(name, req, options);
    return fakes.get(name)?.(req, real) ?? real();
  }) as Connection['request'];
  const el = await fixture<KindredThread>(
    html`<kindred-thread topic=${topic} server=${server} site="demo" auth-url=${authUrl}></kindred-thread>`,
  );
  await until(() => $(el, '[part~="list"], [part~="empty"]'), 'the thread to load');
  if (name) {
    type($<HTMLInputElement>(el, '#name')!, name);
    button(root(el), 'Continue').click();
    await until(() => $(el, '#body'), 'the composer');
  }
  return {
    el,
    connection,
    topic,
    requests,
    answer: (name, fake) => fakes.set(name, fake as never),
  };
}

/** Delivers a `session` event as the server would send it. */
function session(connection: Connection, change: Partial<ServerEvents['session']>): void {
  const current = { protocol: 1, user: connection.identity, site: connection.site ?? undefined };
  for (const listener of connection.socket.listeners('session')) listener({ ...current, ...change });
}

/** Delivers a topic event as the server would (the next in sequence). */
function topicEvent(connection: Connection, event: Omit<TopicEvent, 'seq'>, seq: number): void {
  for (const listener of connection.socket.listeners('topic:event')) listener({ ...event, seq });
}

async function write(el: KindredThread, body: string, field = '#body'): Promise<void> {
  type($<HTMLTextAreaElement>(el, field)!, body);
  await el.updateComplete;
  $<HTMLFormElement>(el, field)!.form!.requestSubmit();
  await el.updateComplete;
}

const creates = (requests: Requests): number => requests.filter((r) => r.name === 'post:create').length;

/** Another visitor on their own socket, posting through the real server. */
async function otherPost(topic: string, body: string): Promise<PostView> {
  const bob = new Connection({ server, site: 'demo' }, null);
  open.push(bob);
  await until(() => bob.status === 'online', 'the other visitor to connect');
  await bob.signInAsGuest('Bob');
  const { post } = await bob.request('post:create', { topic, clientId: crypto.randomUUID().replaceAll('-', ''), body });
  return post;
}

describe('kindred-thread safety', () => {
  it('warns about a phone number before sending: Edit my post selects it, Post anyway sends', async () => {
    const { el, requests } = await mount('Alice');
    const body = 'Call me on 617-432-1234 after six.';
    await write(el, body);
    // The checks load when the composer is first focused; a Post pressed before they arrive waits for them.
    await until(() => $(el, '[part~="identifier-warning"]'), 'the warning');
    const warning = $(el, '[part~="identifier-warning"]')!;
    expect(warning.getAttribute('role')).to.equal('alert');
    expect(text(warning.querySelector('p')!)).to.equal(
      "This looks like a phone number — people you don't know can read this.",
    );
    expect(creates(requests)).to.equal(0);
    await expect(el).to.be.accessible();

    // Focus elsewhere first, to see it come back.
    $<HTMLButtonElement>(el, '[part~="sign-out"]')!.focus();
    button(warning, 'Edit my post').click();
    const box = $<HTMLTextAreaElement>(el, '#body')!;
    await until(() => box.selectionEnd > box.selectionStart, 'the number selected');
    expect(root(el).activeElement).to.equal(box);
    expect(body.slice(box.selectionStart, box.selectionEnd)).to.equal('617-432-1234');
    expect($(el, '[part~="identifier-warning"]')).to.equal(null);

    $<HTMLFormElement>(el, '[part~="composer-form"]')!.requestSubmit();
    await until(() => $(el, '[part~="identifier-warning"]'), 'the warning again');
    const created = oneEvent(el, 'kindred-post-created');
    button($(el, '[part~="identifier-warning"]')!, 'Post anyway').click();
    const post = (await created).detail.post as PostView;
    expect(creates(requests)).to.equal(1);
    expect($(el, '[part~="identifier-warning"]')).to.equal(null);
    await until(() => $(el, `#post-${post.id}`), 'the post');
    await expect(el).to.be.accessible();
  });

  it('names each kind found, in the reply and edit forms too, and drops the warning once the text changes', async () => {
    const { el, topic, requests } = await mount('Alice');
    const bobs = await otherPost(topic, 'Who was your surgeon?');
    await until(() => $(el, '[part~="new-posts"]'), 'the new post');
    $<HTMLButtonElement>(el, '[part~="new-posts"]')!.click();
    await until(() => $(el, `#post-${bobs.id}`), 'Bob’s post');

    button($(el, `#post-${bobs.id}`)!, 'Reply').click();
    await until(() => $(el, '#reply-body'), 'the reply form');
    await write(el, 'Write to sam.jones@example.org or call (617) 432-1234', '#reply-body');
    const lines = [...$(el, '[part~="reply-composer"] [part~="identifier-warning"]')!.querySelectorAll('p')].map(text);
    expect(lines).to.have.members([
      "This looks like an email address — people you don't know can read this.",
      "This looks like a phone number — people you don't know can read this.",
    ]);
    expect(creates(requests)).to.equal(0);
    await expect(el).to.be.accessible();
    type($<HTMLTextAreaElement>(el, '#reply-body')!, 'Dr Rivera, and she was lovely');
    await el.updateComplete;
    expect($(el, '[part~="identifier-warning"]')).to.equal(null);
    const created = oneEvent(el, 'kindred-post-created');
    $<HTMLFormElement>(el, '[part~="reply-composer"]')!.requestSubmit();
    const reply = (await created).detail.post as PostView;

    await until(() => $(el, `#post-${reply.id}`), 'the reply');
    button($(el, `#post-${reply.id}`)!, 'Edit').click();
    await until(() => $(el, '#edit-body'), 'the edit form');
    await write(el, 'Dr Rivera — I live at 42 Elm Street if you want to visit', '#edit-body');
    expect(text($(el, '[part~="edit-composer"] [part~="identifier-warning"]')!)).to.contain(
      "This looks like a street address — people you don't know can read this.",
    );
    expect(requests.filter((r) => r.name === 'post:edit')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('offers crisis support with the site’s numbers before sending, then sends and says a person will read it', async () => {
    const { el, connection, requests, answer } = await mount('Alice');
    session(connection, {
      site: {
        ...connection.site!,
        crisisResources: {
          call: '13 11 14',
          text: '0477 13 11 14',
          chatUrl: 'https://www.lifeline.org.au/crisis-chat',
          emergency: '000',
        },
      },
    });
    const shown = oneEvent(el, 'kindred-crisis-support-shown');
    await write(el, "I can't go on anymore, I want to end my life");
    expect((await shown).detail).to.deep.equal({ stage: 'draft' });
    const panel = $(el, '[part~="crisis-panel"]')!;
    await until(() => root(el).activeElement === panel, 'focus on the panel');
    expect(creates(requests)).to.equal(0);
    expect(panel.getAttribute('aria-labelledby')).to.equal('crisis-title');
    expect(text($(el, '#crisis-title')!)).to.equal("You don't have to go through this alone.");
    const links = [...panel.querySelectorAll('a')].map((a) => [text(a), a.getAttribute('href')]);
    expect(links).to.deep.equal([
      ['Call 13 11 14', 'tel:131114'],
      ['Text 0477 13 11 14', 'sms:0477131114'],
      ['Chat at lifeline.org.au/crisis-chat', 'https://www.lifeline.org.au/crisis-chat'],
      ['000', 'tel:000'],
    ]);
    const chat = panel.querySelectorAll('a')[2]!;
    expect(chat.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(chat.getAttribute('target')).to.equal('_blank');
    expect(text(panel)).to.contain('In an emergency, call 000.');
    expect(text(panel)).to.contain('You can still post if you want to.');
    expect(text(panel)).to.contain('A member of our team will read your post before it appears.');
    // Reading goes on: the posts and the composer stay.
    expect($(el, '#body')).not.to.equal(null);
    await expect(el).to.be.accessible();

    // The server holds such a post and says so (its own detection is tested in the server suite).
    answer('post:create', async (_req, real) => {
      const res = await real();
      return { post: { ...res.post, status: 'held' }, notices: ['held', 'crisis'] };
    });
    const held = oneEvent(el, 'kindred-post-held');
    $<HTMLFormElement>(el, '[part~="composer-form"]')!.requestSubmit();
    const post = (await held).detail.post as PostView;
    expect(creates(requests)).to.equal(1);
    await until(() => $(el, `#post-${post.id} [part~="held-note"]`), 'the held note');
    expect(text($(el, '[part~="crisis-panel"]')!)).not.to.contain('You can still post');
    await expect(el).to.be.accessible();

    button($(el, '[part~="crisis-panel"]')!, 'Close').click();
    await until(() => !$(el, '[part~="crisis-panel"]'), 'the panel to close');
    await until(() => root(el).activeElement === $(el, '#body'), 'focus back in the composer');
  });

  it('opens the support panel after sending when the server flags the post', async () => {
    const { el, answer } = await mount('Alice');
    answer('post:create', async (_req, real) => ({ ...(await real()), notices: ['crisis', 'held'] }));
    const shown = oneEvent(el, 'kindred-crisis-support-shown');
    await write(el, 'Nothing the browser would catch');
    expect((await shown).detail).to.deep.equal({ stage: 'sent' });
    await until(() => root(el).activeElement === $(el, '[part~="crisis-panel"]'), 'focus on the panel');
    const panel = $(el, '[part~="crisis-panel"]')!;
    expect([...panel.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal([
      'tel:988',
      'sms:988',
      'https://988lifeline.org/chat',
      'tel:911',
    ]);
    expect(text(panel)).to.contain('A member of our team will read your post before it appears.');
    await expect(el).to.be.accessible();
  });

  it('shows the author a held post with its note, announces it, and a masked notice next to the post', async () => {
    const { el, answer } = await mount('Alice');
    answer('post:create', async (_req, real) => {
      const res = await real();
      return { post: { ...res.post, status: 'held' }, notices: ['held', 'masked'] };
    });
    const held = oneEvent(el, 'kindred-post-held');
    await write(el, 'My first post here');
    const post = (await held).detail.post as PostView;
    await until(() => $(el, `#post-${post.id} [part~="held-note"]`), 'the held note');
    const article = $(el, `#post-${post.id}`)!;
    expect(text(article.querySelector('[part~="held-note"]')!)).to.equal(
      'Waiting for review — only you can see this for now.',
    );
    expect(text(article.querySelector('[part~="masked-note"]')!)).to.equal(
      'Some details were hidden to protect your privacy.',
    );
    expect(article.querySelector('[part~="reaction-button"], [part~="reply-button"]')).to.equal(null);
    await until(() => announced(el).includes('Waiting for review'), 'the announcement');
    expect(announced(el)).to.contain('Your post was sent.');
    await expect(el).to.be.accessible();
  });

  it("tells the author why a moderator removed their post; others' removed posts just go", async () => {
    const { el, connection } = await mount('Alice');
    const created = oneEvent(el, 'kindred-post-created');
    await write(el, 'Try this supplement instead of your medication');
    const post = (await created).detail.post as PostView;
    await until(() => $(el, `#post-${post.id}`), 'the post');
    const store = getThreadStore(connection, post.topic);
    topicEvent(
      connection,
      {
        topic: post.topic,
        type: 'post.deleted',
        post: { ...post, deleted: true, body: '', status: 'removed', moderationReason: 'Advice to stop a prescribed medicine' },
      },
      store.lastSeq + 1,
    );
    await until(() => $(el, `#post-${post.id} [part~="removed-note"]`), 'the reason');
    expect(text($(el, `#post-${post.id} [part~="removed-note"]`)!)).to.equal(
      'Removed by a moderator: Advice to stop a prescribed medicine',
    );
    expect($(el, `#post-${post.id} [part~="actions"]`)).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('reports a post by someone else: labelled form, reasons in words, focus in and back, thanks announced', async () => {
    const topic = `wtr-safety-${unique()}`;
    const bobs = await otherPost(topic, 'Stop taking your blood thinners, they are poison');
    const { el, requests } = await mount('Alice', topic);
    const article = $(el, `#post-${bobs.id}`)!;
    const reportButton = article.querySelector<HTMLButtonElement>('[part~="report-button"]')!;
    expect(text(reportButton)).to.equal('Report');

    // Cancel with Escape: focus returns to the Report button.
    reportButton.click();
    await until(() => $(el, '[part~="report-form"]'), 'the report form');
    const form = $(el, '[part~="report-form"]')!;
    await until(() => root(el).activeElement === form.querySelector('input[type="radio"]'), 'focus on the first reason');
    form.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await until(() => !$(el, '[part~="report-form"]'), 'the form to close');
    await until(() => root(el).activeElement === article.querySelector('[part~="report-button"]'), 'focus back on Report');

    article.querySelector<HTMLButtonElement>('[part~="report-button"]')!.click();
    await until(() => $(el, '[part~="report-form"]'), 'the report form');
    const reportForm = $(el, '[part~="report-form"]')!;
    expect(text(root(el).getElementById(reportForm.getAttribute('aria-labelledby')!)!)).to.equal('Report this post');
    expect([...reportForm.querySelectorAll('label.choice')].map(text)).to.deep.equal([
      'Medical information that could be harmful',
      'Private information',
      'Harassment or hate',
      'Someone may be at risk of harm',
      'Spam',
      'Something else',
    ]);
    await expect(el).to.be.accessible();

    button(reportForm, 'Send report').click();
    await until(() => text(reportForm.querySelector('[part~="error"]')!) === 'Choose what the problem is.', 'the reason error');
    expect(requests.filter((r) => r.name === 'post:report')).to.have.length(0);

    const radio = [...reportForm.querySelectorAll<HTMLInputElement>('input[type="radio"]')][0]!;
    radio.click();
    type(reportForm.querySelector<HTMLTextAreaElement>('#report-note')!, '  Dangerous advice  ');
    const reported = oneEvent(el, 'kindred-post-reported');
    button(reportForm, 'Send report').click();
    expect((await reported).detail).to.deep.equal({ postId: bobs.id, reason: 'medical-misinformation', hidden: false });
    expect(requests.find((r) => r.name === 'post:report')!.req).to.deep.equal({
      postId: bobs.id,
      reason: 'medical-misinformation',
      note: 'Dangerous advice',
    });
    await until(() => !$(el, '[part~="report-form"]'), 'the form to close');
    expect(text(article.querySelector('[part~="report-thanks"]')!)).to.equal('Thanks — a moderator will take a look.');
    expect(article.querySelector('[part~="report-button"]')).to.equal(null);
    await until(() => root(el).activeElement === article, 'focus on the post');
    await until(() => announced(el).includes('Thanks — a moderator will take a look.'), 'the announcement');
    await expect(el).to.be.accessible();
  });

  it('offers Report only to signed-in visitors, on posts by others', async () => {
    const topic = `wtr-safety-${unique()}`;
    const bobs = await otherPost(topic, 'Hello from Bob');
    const { el } = await mount(undefined, topic);
    expect($(el, `#post-${bobs.id} [part~="report-button"]`)).to.equal(null);
    type($<HTMLInputElement>(el, '#name')!, 'Alice');
    button(root(el), 'Continue').click();
    await until(() => $(el, `#post-${bobs.id} [part~="report-button"]`), 'Report once signed in');
    const created = oneEvent(el, 'kindred-post-created');
    await write(el, 'Hello Bob');
    const mine = (await created).detail.post as PostView;
    await until(() => $(el, `#post-${mine.id}`), 'the post');
    expect($(el, `#post-${mine.id} [part~="report-button"]`)).to.equal(null);
  });

  it('shows the site’s disclaimer only when it set one', async () => {
    const { el, connection } = await mount();
    // The test server's demo site starts with one.
    await until(() => $(el, '[part~="disclaimer"]'), 'the seeded disclaimer');
    expect(text($(el, '[part~="disclaimer"]')!)).to.contain('not medical advice');
    session(connection, {
      site: { ...connection.site!, disclaimer: 'Posts here are not medical advice. Talk to your care team.' },
    });
    await until(() => text($(el, '[part~="disclaimer"]')!) === 'Posts here are not medical advice. Talk to your care team.', 'the new disclaimer');
    await expect(el).to.be.accessible();
    session(connection, { site: { ...connection.site!, disclaimer: null } });
    await until(() => !$(el, '[part~="disclaimer"]'), 'no disclaimer');
  });

  it('gives the words back with the reason when the community does not allow them, and words suspension and bans', async () => {
    const { el, answer } = await mount('Alice');
    let refusal = new KindredError('BANNED_WORD', 'That word is not allowed here.');
    answer('post:create', () => Promise.reject(refusal));
    await write(el, 'Some rude words');
    const banned = "Not sent: This post contains words this community doesn't allow. Please rephrase it.";
    await until(() => text($(el, '#body-error')!) === banned, 'the message');
    expect($<HTMLTextAreaElement>(el, '#body')!.value).to.equal('Some rude words');
    expect($(el, '[part~="send-state"]')).to.equal(null);
    expect($(el, '[part~="list"]')).to.equal(null);
    await until(() => announced(el).includes(banned), 'the announcement');
    await expect(el).to.be.accessible();

    refusal = new KindredError('SUSPENDED', 'Suspended.');
    $<HTMLFormElement>(el, '[part~="composer-form"]')!.requestSubmit();
    await until(() => text($(el, '#body-error')!).includes('A moderator has paused your posting'), 'the suspension');
    refusal = new KindredError('BANNED', 'Banned.');
    $<HTMLFormElement>(el, '[part~="composer-form"]')!.requestSubmit();
    await until(() => text($(el, '#body-error')!).includes('removed your ability to post'), 'the ban');
  });
});
