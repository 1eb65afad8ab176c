/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { KindredError, getConnection, type Connection } from '@kindred/client';
import type { ServerEvents } from '@kindred/protocol';
import './define.js';
import type { KindredThread } from './thread.js';
import { answerAuthUrl } from '../testing/host-page.js';

/**
 * Sign-in and access states of the thread. The test server's `demo` site has
 * no signing secret the browser knows, allows guests and has no members-only
 * topics, so: a refused token goes through the real server; the other states
 * are driven by what the server would send (a `session` event, a refused
 * request) on a connection of the test's own, and rendered for real.
 */
const server = window.KINDRED_TEST_SERVER;
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;

const root = (el: KindredThread): ShadowRoot => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: KindredThread, selector: string): T | null =>
  root(el).querySelector<T>(selector);
const text = (el: KindredThread): string => root(el).textContent?.replace(/\s+/g, ' ') ?? '';
const until = (check: () => unknown, message: string): Promise<void> => waitUntil(check, message, { timeout: 5000 });

/** A thread whose page has its own auth URL (so its own connection), answering as `answer` says. */
async function threadWithAuth(answer: () => Response, topic = `wtr-auth-${unique()}`) {
  const authUrl = `/auth/${unique()}`;
  answerAuthUrl(authUrl, answer);
  const connection = getConnection({ server, site: 'demo', authUrl });
  return { connection, topic, authUrl };
}

const mount = (topic: string, authUrl: string): Promise<KindredThread> =>
  fixture<KindredThread>(html`<kindred-thread topic=${topic} server=${server} site="demo" auth-url=${authUrl}></kindred-thread>`);

/** Delivers a `session` event as the server would send it. */
function session(connection: Connection, change: Partial<ServerEvents['session']>): void {
  const current = { protocol: 1, user: connection.identity, site: connection.site ?? undefined };
  for (const listener of connection.socket.listeners('session')) listener({ ...current, ...change });
}

const signedOut = (): Response => new Response(null, { status: 204 });

describe('kindred-thread sign-in and access', () => {
  const open: Connection[] = [];
  afterEach(() => {
    for (const connection of open.splice(0)) connection.close();
  });

  it('explains politely when the server refuses the host site\'s token, and still offers reading and the guest form', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEiLCJuYW1lIjoiTWF5YSJ9.bm90LXNpZ25lZA';
    const { connection, topic, authUrl } = await threadWithAuth(() => Response.json({ token }));
    open.push(connection);
    const el = await mount(topic, authUrl);
    await until(() => $(el, '[part~="sign-in-error"]'), 'the refusal');
    expect($(el, '[part~="sign-in-error"]')!.textContent!.trim()).to.equal(
      "We couldn't confirm your sign-in with Demo hospital. You can still read the discussion.",
    );
    await until(() => $(el, '[part~="empty"]'), 'the discussion');
    expect($(el, '#name')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a member "Posting as" with the site, and no Sign out or guest form', async () => {
    const { connection, topic, authUrl } = await threadWithAuth(signedOut);
    open.push(connection);
    const el = await mount(topic, authUrl);
    await until(() => $(el, '[part~="empty"]'), 'the discussion');
    session(connection, { user: { id: 'm1', name: 'Maya Patel', kind: 'member', roles: ['member'] } });
    await until(() => $(el, '[part~="member-note"]'), 'the member composer');
    expect(text(el)).to.contain('Posting as Maya Patel');
    expect($(el, '[part~="member-note"]')!.textContent).to.equal('Signed in with Demo hospital');
    expect($(el, '[part~="sign-out"]')).to.equal(null);
    expect($(el, '#name')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('asks the visitor to sign in on the site where guests are not allowed', async () => {
    const { connection, topic, authUrl } = await threadWithAuth(signedOut);
    open.push(connection);
    const el = await mount(topic, authUrl);
    await until(() => $(el, '[part~="empty"]'), 'the discussion');
    session(connection, { site: { ...connection.site!, guestsAllowed: false } });
    await until(() => $(el, '[part~="guests-denied"]'), 'the note');
    expect($(el, '[part~="guests-denied"]')!.textContent).to.equal('Sign in on Demo hospital to join the discussion.');
    expect($(el, '#name')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('says a members-only discussion is for members (no Retry), and loads it once the visitor is a member', async () => {
    const { connection, topic, authUrl } = await threadWithAuth(signedOut);
    open.push(connection);
    const request = connection.request.bind(connection);
    let membersOnly = true;
    connection.request = ((name, req, options) =>
      membersOnly && (name === 'topic:join' || name === 'thread:list')
        ? Promise.reject(new KindredError('MEMBERS_ONLY', 'This topic is for members of Demo hospital.'))
        : request(name, req, options)) as Connection['request'];
    const el = await mount(topic, authUrl);
    await until(() => $(el, '[part~="members-only"]'), 'the members-only note');
    expect($(el, '[part~="members-only"]')!.textContent).to.equal(
      'This discussion is for signed-in members. Sign in on this site to read it.',
    );
    expect($(el, '[part~="retry"]')).to.equal(null);
    expect($(el, '[part~="composer"]')).to.equal(null);
    await expect(el).to.be.accessible();

    membersOnly = false;
    session(connection, { user: { id: 'm2', name: 'Maya Patel', kind: 'member' } });
    await until(() => $(el, '[part~="empty"]'), 'the discussion after sign-in');
    expect($(el, '[part~="members-only"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('words a refused post with the wait, keeps it "Not sent" with Retry, and announces it', async () => {
    const { connection, topic, authUrl } = await threadWithAuth(signedOut);
    open.push(connection);
    const el = await mount(topic, authUrl);
    await until(() => $(el, '[part~="empty"]'), 'the discussion');
    const name = root(el).querySelector<HTMLInputElement>('#name')!;
    name.value = 'Rita';
    name.dispatchEvent(new InputEvent('input'));
    root(el).querySelector<HTMLFormElement>('[part~="sign-in"]')!.requestSubmit();
    await until(() => $(el, '#body'), 'the composer');

    const request = connection.request.bind(connection);
    connection.request = ((name, req, options) =>
      name === 'post:create'
        ? Promise.reject(new KindredError('RATE_LIMITED', 'slow down', { retryAfterMs: 39_200 }))
        : request(name, req, options)) as Connection['request'];
    const box = $<HTMLTextAreaElement>(el, '#body')!;
    box.value = 'One more thing';
    box.dispatchEvent(new InputEvent('input'));
    root(el).querySelector<HTMLFormElement>('[part~="composer-form"]')!.requestSubmit();
    const message = "You're posting faster than this discussion allows. Try again in 40 seconds.";
    await until(() => $(el, '#body-error')!.textContent!.includes(message), 'the message by the composer');
    expect($(el, '#body-error')!.textContent).to.equal(`Not sent: ${message}`);
    expect($(el, '[part~="send-state"]')!.textContent).to.contain(`Not sent: ${message}`);
    await until(() => $(el, '[part~="announcer"]')!.textContent!.includes(message), 'the announcement');
    await expect(el).to.be.accessible();

    connection.request = request;
    root(el).querySelector<HTMLButtonElement>('[part~="send-state"] [part~="retry"]')!.click();
    await until(() => !$(el, '[part~="send-state"]'), 'the post to be sent');
  });

  it('says "too many connections" while socket.io retries, not the permanent refusal', async () => {
    const { connection, topic, authUrl } = await threadWithAuth(signedOut);
    open.push(connection);
    await until(() => connection.status === 'online', 'online');
    connection.socket.disconnect();
    const refusal = Object.assign(new Error('xhr poll error'), {
      description: 403,
      context: { responseText: JSON.stringify({ code: 4, message: 'RATE_LIMITED' }) },
    });
    for (const listener of connection.socket.listeners('connect_error')) listener(refusal);
    const el = await mount(topic, authUrl);
    await until(() => $(el, '[part~="status"]'), 'the status line');
    expect($(el, '[part~="status"]')!.textContent).to.equal('Too many connections from your network. Retrying…');
    expect(text(el)).not.to.contain("can't be shown on this page");
    expect($(el, '[part~="retry"]')).to.equal(null);
    await expect(el).to.be.accessible();
    // The client retries by itself.
    await waitUntil(() => $(el, '[part~="empty"]'), 'connected again', { timeout: 8000 });
  });
});
