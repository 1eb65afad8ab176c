/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { Connection, getConnection } from '@kindred/client';
import type { PostView } from '@kindred/protocol';
import './define.js';
import type { KindredThread } from './thread.js';
import { draftChecks } from './on-demand.js';

declare global {
  interface Window {
    KINDRED_TEST_SERVER: string;
  }
}

const server = window.KINDRED_TEST_SERVER;
let topicCount = 0;
const newTopic = (): string => `wtr-${Date.now().toString(36)}-${++topicCount}`;

const root = (el: KindredThread): ShadowRoot => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: KindredThread, selector: string): T | null =>
  root(el).querySelector<T>(selector);
const text = (el: KindredThread): string => root(el).textContent?.replace(/\s+/g, ' ') ?? '';
const until = (check: () => unknown, message: string): Promise<void> =>
  waitUntil(check, message, { timeout: 5000 });

function button(scope: ParentNode, name: string): HTMLButtonElement {
  const found = [...scope.querySelectorAll('button')].find((b) => b.textContent!.trim() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

function type(field: HTMLTextAreaElement | HTMLInputElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** Another visitor on their own socket, posting through the real server. */
async function otherVisitor(name: string): Promise<Connection> {
  const connection = new Connection({ server, site: 'demo' }, null);
  await until(() => connection.status === 'online', 'the other visitor to connect');
  await connection.signInAsGuest(name);
  return connection;
}

async function postAs(connection: Connection, topic: string, body: string, parentId?: string): Promise<PostView> {
  const clientId = crypto.randomUUID().replaceAll('-', '');
  const { post } = await connection.request('post:create', { topic, clientId, body, ...(parentId ? { parentId } : {}) });
  return post;
}

async function thread(topic: string, site = 'demo', serverUrl = server): Promise<KindredThread> {
  return fixture<KindredThread>(html`<kindred-thread topic=${topic} server=${serverUrl} site=${site}></kindred-thread>`);
}

async function ready(el: KindredThread): Promise<void> {
  await until(() => $(el, '[part~="list"], [part~="empty"]'), 'the thread to load');
}

async function signIn(el: KindredThread, name: string): Promise<void> {
  if ($(el, '[part~="sign-out"]')) return;
  type($(el, '#name')!, name);
  button(root(el), 'Continue').click();
  await until(() => $(el, '#body'), 'the composer');
}

const article = (el: KindredThread, id: string): HTMLElement => $(el, `#post-${id}`)!;

describe('kindred-thread', () => {
  before(() => localStorage.clear());

  it('is busy while loading, then shows the empty state', async () => {
    const el = await thread(newTopic());
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('true');
    expect(text(el)).to.contain('Loading the discussion…');
    await expect(el).to.be.accessible();
    await ready(el);
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('false');
    expect($(el, '[part~="empty"]')!.textContent).to.equal('No posts yet. Be the first to share.');
    await expect(el).to.be.accessible();
  });

  it('explains a refusal when the site is not set up for this page', async () => {
    const el = await thread(newTopic(), 'nowhere');
    await until(() => text(el).includes("can't be shown on this page"), 'the refusal');
    expect($(el, '[part~="composer"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('offers Retry when the server cannot be reached', async () => {
    const el = await thread(newTopic(), 'demo', 'http://127.0.0.1:9');
    await until(() => $(el, '[part~="retry"]'), 'the error state');
    expect(text(el)).to.contain('could not be loaded');
    await expect(el).to.be.accessible();
  });

  it('lets a guest post: shown as sending, then sent, with focus back in the composer', async () => {
    const el = await thread(newTopic());
    await ready(el);
    expect(el.shadowRoot!.querySelector('#body')).to.equal(null);
    await expect(el).to.be.accessible();
    const signedIn = oneEvent(el, 'kindred-signed-in');
    await signIn(el, 'Alice');
    expect((await signedIn).detail.user.name).to.equal('Alice');
    expect(root(el).activeElement).to.equal($(el, '#body'));
    await expect(el).to.be.accessible();

    type($<HTMLTextAreaElement>(el, '#body')!, 'Hello, everyone');
    const created = oneEvent(el, 'kindred-post-created');
    // The draft checks started loading when the composer got focus; a Post pressed before they arrive waits for them.
    await draftChecks.load();
    button($(el, '[part~="composer-form"]')!, 'Post').click();
    await el.updateComplete;
    expect(text(el)).to.contain('Sending…');
    const post = (await created).detail.post as PostView;
    await until(() => !text(el).includes('Sending…'), 'the send to finish');
    expect(article(el, post.id).querySelector('[part~="body"]')!.textContent!.trim()).to.equal('Hello, everyone');
    expect($<HTMLTextAreaElement>(el, '#body')!.value).to.equal('');
    expect(root(el).activeElement).to.equal($(el, '#body'));
    await until(() => $(el, '[part~="announcer"]')!.textContent!.includes('Your post was sent.'), 'the announcement');
    await expect(el).to.be.accessible();
  });

  it('sends with Ctrl+Enter and explains an empty post in words', async () => {
    const el = await thread(newTopic());
    await ready(el);
    await signIn(el, 'Alice');
    const box = $<HTMLTextAreaElement>(el, '#body')!;
    type(box, '   ');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    await el.updateComplete;
    expect($(el, '#body-error')!.textContent).to.equal('Write something first.');
    expect(box.getAttribute('aria-invalid')).to.equal('true');
    type(box, 'x'.repeat(4990));
    await el.updateComplete;
    expect($(el, '#body-count')!.textContent).to.equal('10 characters left');
    type(box, 'Sent by keyboard');
    const created = oneEvent(el, 'kindred-post-created');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    expect((await created).detail.post.body).to.equal('Sent by keyboard');
    await expect(el).to.be.accessible();
  });

  it('holds new posts from others behind "N new posts", announces them once, and focuses the first', async () => {
    const topic = newTopic();
    const el = await thread(topic);
    await ready(el);
    const bob = await otherVisitor('Bob');
    await postAs(bob, topic, 'First from Bob');
    const second = await postAs(bob, topic, 'Second from Bob');
    await until(() => $(el, '[part~="new-posts"]')?.textContent?.includes('2 new posts'), 'the new-posts button');
    expect(text(el)).not.to.contain('First from Bob');
    await until(() => $(el, '[part~="announcer"]')!.textContent!.trim() === '2 new posts', 'one batched announcement');
    await expect(el).to.be.accessible();

    $<HTMLButtonElement>(el, '[part~="new-posts"]')!.click();
    await until(() => root(el).activeElement === article(el, second.id), 'focus on the newest post');
    expect(text(el)).to.contain('First from Bob');
    expect(article(el, second.id).getAttribute('aria-labelledby')).to.equal(`author-${second.id} time-${second.id}`);
    await expect(el).to.be.accessible();
    bob.close();
  });

  it('replies, reacts with toggle buttons, edits with an "edited" mark and deletes after an inline confirmation', async () => {
    const topic = newTopic();
    const bob = await otherVisitor('Bob');
    const bobs = await postAs(bob, topic, 'How long did your recovery take?');
    const el = await thread(topic);
    await ready(el);
    await signIn(el, 'Alice');

    // Reply
    button(article(el, bobs.id), 'Reply').click();
    await until(() => root(el).activeElement === $(el, '#reply-body'), 'the reply box');
    type($<HTMLTextAreaElement>(el, '#reply-body')!, 'About six weeks');
    await expect(el).to.be.accessible();
    const created = oneEvent(el, 'kindred-post-created');
    button($(el, '[part~="reply-composer"]')!, 'Reply').click();
    const reply = (await created).detail.post as PostView;
    expect(reply.parentId).to.equal(bobs.id);
    await until(() => article(el, bobs.id).querySelector(`[part~="replies"] #post-${reply.id}`), 'the reply under the post');
    expect(article(el, reply.id).dataset['depth']).to.equal('1');

    // Reactions: offered on Bob's post, not on Alice's own reply.
    const helpful = article(el, bobs.id).querySelector<HTMLButtonElement>('[part~="reaction-button"]')!;
    expect(helpful.getAttribute('aria-pressed')).to.equal('false');
    expect(helpful.getAttribute('aria-label')).to.equal('Helpful, 0');
    helpful.click();
    await until(() => helpful.getAttribute('aria-pressed') === 'true', 'the reaction to toggle on');
    expect(helpful.getAttribute('aria-label')).to.equal('Helpful, 1');
    expect(article(el, reply.id).querySelector('[part~="reaction-button"]')).to.equal(null);
    await expect(el).to.be.accessible();

    // Edit
    button(article(el, reply.id), 'Edit').click();
    await until(() => $(el, '#edit-body'), 'the edit box');
    expect($<HTMLTextAreaElement>(el, '#edit-body')!.value).to.equal('About six weeks');
    type($<HTMLTextAreaElement>(el, '#edit-body')!, 'About six weeks, then physio');
    await expect(el).to.be.accessible();
    button($(el, '[part~="edit-composer"]')!, 'Save').click();
    await until(() => article(el, reply.id).querySelector('[part~="edited"]'), 'the edited mark');
    expect(article(el, reply.id).querySelector('[part~="body"]')!.textContent!.trim()).to.equal('About six weeks, then physio');
    await expect(el).to.be.accessible();

    // Delete
    button(article(el, reply.id), 'Delete').click();
    await until(() => article(el, reply.id).querySelector('[part~="confirm"]'), 'the confirmation');
    expect(root(el).activeElement!.textContent!.trim()).to.equal('Cancel');
    await expect(el).to.be.accessible();
    button(article(el, reply.id), 'Yes, delete').click();
    await until(() => !$(el, `#post-${reply.id}`), 'the reply to go');
    await expect(el).to.be.accessible();
    bob.close();
  });

  it("shows others' replies and a deleted post with live replies as a placeholder", async () => {
    const topic = newTopic();
    const bob = await otherVisitor('Bob');
    const bobs = await postAs(bob, topic, 'Anyone else nervous about surgery?');
    const el = await thread(topic);
    await ready(el);
    const reply = await postAs(bob, topic, 'Me, a bit', bobs.id);
    await until(() => $(el, `#post-${reply.id}`), 'the live reply');
    await until(() => $(el, '[part~="announcer"]')!.textContent!.includes('1 new reply'), 'the reply announcement');
    await bob.request('post:delete', { postId: bobs.id });
    await until(() => article(el, bobs.id).querySelector('.deleted'), 'the placeholder');
    expect(article(el, bobs.id).querySelector('.deleted')!.textContent).to.equal('This post was deleted');
    await expect(el).to.be.accessible();
    bob.close();
  });

  it('loads more on request, moves focus to the first new post, and re-sorts', async () => {
    const topic = newTopic();
    const bob = await otherVisitor('Bob');
    for (let i = 1; i <= 21; i++) await postAs(bob, topic, `Post number ${i}`);
    const el = await thread(topic);
    await ready(el);
    expect(root(el).querySelectorAll('[part~="list"] > li')).to.have.length(20);
    expect(text(el)).not.to.contain('Post number 1 ');
    $<HTMLButtonElement>(el, '[part~="load-more"]')!.click();
    await until(() => root(el).querySelectorAll('[part~="list"] > li').length === 21, 'the next page');
    await until(() => root(el).activeElement?.textContent?.includes('Post number 1'), 'focus on the first new post');
    expect($(el, '[part~="load-more"]')).to.equal(null);
    await expect(el).to.be.accessible();

    const sort = $<HTMLSelectElement>(el, '[part~="sort"]')!;
    sort.value = 'oldest';
    sort.dispatchEvent(new Event('change'));
    await until(() => $(el, '[part~="list"] [part~="body"]')?.textContent?.trim() === 'Post number 1', 'oldest first');
    bob.close();
  });

  it('keeps posts visible with a status line while offline, and catches up on reconnect', async () => {
    const topic = newTopic();
    const bob = await otherVisitor('Bob');
    await postAs(bob, topic, 'Posted before the drop');
    const el = await thread(topic);
    await ready(el);
    const shared = getConnection({ server, site: 'demo' });
    shared.socket.disconnect();
    await until(() => $(el, '[part~="status"]')?.textContent?.includes('Offline'), 'the offline line');
    expect(text(el)).to.contain('Posted before the drop');
    await expect(el).to.be.accessible();
    await postAs(bob, topic, 'Posted while offline');
    shared.socket.connect();
    await until(() => !$(el, '[part~="status"]'), 'back online');
    await until(() => $(el, '[part~="new-posts"]')?.textContent?.includes('1 new post'), 'the missed post');
    bob.close();
  });
});
