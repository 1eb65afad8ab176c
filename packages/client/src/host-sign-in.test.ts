import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@kindred/server';
import type { Identity } from '@kindred/protocol';
import { Connection } from './connection.js';
import { KindredError } from './errors.js';
import { IdentityStorage } from './identity-storage.js';
import { ThreadStore } from './thread-store.js';

/**
 * Host-site sign-in end to end: a loopback "hospital" serves the auth URL,
 * tokens are signed with the site's secret as a hospital backend would, and
 * the real Kindred server verifies them.
 */
const SECRET = 'riverside-test-secret-0123456789abcdef';
const LOUNGE = 'members-lounge';

let server: RunningServer;
let dir: string;
let hospital: Server;
let authUrl: string;
/** What the hospital's auth URL answers next: a token, or 204 (signed out). */
let answer: { token: string } | null = null;
let authRequests = 0;
const open: Connection[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kindred-host-'));
  server = await startServer({
    port: 0,
    dbPath: join(dir, 'kindred.db'),
    log: { info() {}, error: console.error },
    // Every test here connects from 127.0.0.1: keep the per-address limits out of the way.
    rateLimits: { connects: { points: 1000, durationSec: 60 }, signIns: { points: 1000, durationSec: 60 } },
  });
  const at = new Date().toISOString();
  const { store } = server;
  await store.saveSite({ id: 'riverside', name: 'Riverside Hospital', origins: ['http://localhost'] }, at);
  await store.setSiteSecret('riverside', SECRET);
  await store.updateSite('riverside', {
    membersOnlyTopics: [LOUNGE],
    rateLimits: { posts: { points: 1, durationSec: 60 } },
    // Posts are public at once here; the first-post hold is the server's to test.
    moderation: { heldFirstPosts: { guest: 0, member: 0 } },
  });
  await store.saveSite({ id: 'closed', name: 'Closed Clinic', origins: ['http://localhost'] }, at);
  await store.updateSite('closed', { guestsAllowed: false });
  await store.saveSite({ id: 'busy', name: 'Busy Hospital', origins: ['http://localhost'] }, at);
  await store.updateSite('busy', { rateLimits: { connects: { points: 1, durationSec: 2 } } });
  await store.saveSite({ id: 'crowded', name: 'Crowded Clinic', origins: ['http://localhost'] }, at);
  await store.setSiteSecret('crowded', SECRET);
  await store.updateSite('crowded', { rateLimits: { connectsPerIdentity: { points: 1, durationSec: 2 } } });

  hospital = createServer((_req, res) => {
    authRequests++;
    if (!answer) return void res.writeHead(204).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => hospital.listen(0, '127.0.0.1', resolve));
  authUrl = `http://127.0.0.1:${(hospital.address() as AddressInfo).port}/kindred/token`;
});

afterEach(() => {
  for (const connection of open.splice(0)) connection.close();
  answer = null;
  authRequests = 0;
});

afterAll(async () => {
  await new Promise((resolve) => hospital.close(resolve));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, what = 'condition', ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A token as the hospital's backend signs it for its logged-in visitor: valid 10 minutes, ending in `expiresInSec`. */
function hostToken(
  name: string,
  { sub = `u-${name.toLowerCase().replace(/\W/g, '')}`, expiresInSec = 600, secret = SECRET, site = 'riverside' } = {},
): Promise<{ token: string }> {
  const exp = Math.floor(Date.now() / 1000) + expiresInSec;
  return new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(site)
    .setIssuedAt(exp - 600)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret))
    .then((token) => ({ token }));
}

function connect(site = 'riverside', { withAuth = true, storage = null as Storage | null } = {}): Connection {
  const connection = new Connection(
    { server: server.url, site, ...(withAuth ? { authUrl } : {}) },
    storage,
  );
  open.push(connection);
  return connection;
}

/** Who the connection was each time it came online. */
function identitiesOnline(connection: Connection): (Identity | null)[] {
  const seen: (Identity | null)[] = [];
  let wasOnline = false;
  connection.subscribe(() => {
    const online = connection.status === 'online';
    if (online && !wasOnline) seen.push(connection.identity);
    wasOnline = online;
  });
  return seen;
}

class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  map = new Map<string, string>();
  getItem = (key: string) => this.map.get(key) ?? null;
  setItem = (key: string, value: string) => void this.map.set(key, value);
  removeItem = (key: string) => void this.map.delete(key);
}

describe('Host-site sign-in against a real server', () => {
  it('signs in through the handshake: the first session is already the member, with the site', async () => {
    answer = await hostToken('Maya Patel');
    const connection = connect();
    const seen = identitiesOnline(connection);
    await until(() => connection.status === 'online', 'online');
    expect(seen).toEqual([expect.objectContaining({ name: 'Maya Patel', kind: 'member' })]);
    expect(connection.site).toMatchObject({ id: 'riverside', name: 'Riverside Hospital', guestsAllowed: true });
    expect(connection.signInError).toBeNull();
    expect(authRequests).toBe(1);
    // Reconnects carry the token too.
    connection.reconnect();
    await until(() => connection.status === 'online', 'online again');
    expect(seen.map((user) => user?.kind)).toEqual(['member', 'member']);
  });

  it('signs in, refreshes and signs out while connected, following the auth URL', async () => {
    const connection = connect();
    await until(() => connection.status === 'online', 'online');
    expect(connection.identity).toBeNull();

    answer = await hostToken('Maya Patel', { sub: 'u-maya' });
    await connection.hostAuth!.refresh();
    await until(() => connection.identity?.kind === 'member', 'session:member');
    const id = connection.identity!.id;

    // A refreshed token (here with a changed name) is the same member.
    answer = await hostToken('Maya P.', { sub: 'u-maya' });
    await connection.hostAuth!.refresh();
    await until(() => connection.identity?.name === 'Maya P.', 'the refresh');
    expect(connection.identity!.id).toBe(id);

    // Signed out on the host: session:signout, and the server agrees.
    answer = null;
    await connection.hostAuth!.refresh();
    await until(() => connection.identity === null, 'sign-out');
    await expect(
      connection.request('post:create', { topic: 'general', clientId: 'c1', body: 'Still me?' }),
    ).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('asks the auth URL again shortly before the token expires and stays signed in', async () => {
    // Valid 68 s more: the refresh is due about 8 s from now (exp has whole-second precision,
    // and a busy machine may take seconds to connect, so leave room before the one-minute lead).
    answer = await hostToken('Maya Patel', { expiresInSec: 68 });
    const connection = connect();
    await until(() => connection.identity?.kind === 'member', 'signed in');
    const first = connection.hostAuth!.token;
    answer = await hostToken('Maya Patel');
    await until(() => authRequests >= 2, 'the scheduled refresh', 15_000);
    await until(() => connection.hostAuth!.token !== first, 'the new token');
    expect(connection.identity).toMatchObject({ kind: 'member', name: 'Maya Patel' });
  });

  it('falls back to reading when the server refuses the token, keeping the guest identity this browser had', async () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const guest = connect('riverside', { withAuth: false, storage });
    await until(() => guest.status === 'online', 'guest online');
    await guest.signInAsGuest('Sam Guest');
    guest.close();

    answer = await hostToken('Maya Patel', { secret: 'not-the-riverside-secret-0123456789' });
    const connection = connect('riverside', { storage });
    await until(() => connection.status === 'online', 'online');
    expect(connection.identity).toBeNull();
    expect(connection.signInError).toBe('TOKEN_INVALID');
    expect(new IdentityStorage(connection.config, storage).load()?.user.name).toBe('Sam Guest');
    // The refused token is not presented again on reconnect.
    connection.reconnect();
    await until(() => connection.status === 'online', 'online again');
    expect(connection.identity).toMatchObject({ name: 'Sam Guest', kind: 'guest' });
  });

  it('refuses an expired token sent by session:member, and signs a member out when a refresh is refused', async () => {
    const connection = connect();
    await until(() => connection.status === 'online', 'online');
    answer = await hostToken('Maya Patel', { expiresInSec: -300 });
    await connection.hostAuth!.refresh();
    await until(() => connection.signInError !== null, 'the refusal');
    expect(connection.signInError).toBe('TOKEN_EXPIRED');
    expect(connection.identity).toBeNull();

    answer = await hostToken('Maya Patel');
    await connection.hostAuth!.refresh();
    await until(() => connection.identity?.kind === 'member', 'signed in');
    expect(connection.signInError).toBeNull();

    answer = await hostToken('Maya Patel', { secret: 'rotated-secret-the-host-forgot-0123456' });
    await connection.hostAuth!.refresh();
    await until(() => connection.identity === null, 'back to reading');
    expect(connection.signInError).toBe('TOKEN_INVALID');
    await expect(
      connection.request('post:create', { topic: 'general', clientId: 'c2', body: 'Hello' }),
    ).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('clears the guest token once a member signs in, so the member never appears as that guest', async () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const guest = connect('riverside', { withAuth: false, storage });
    await until(() => guest.status === 'online', 'guest online');
    await guest.signInAsGuest('Sam Guest');
    guest.close();
    answer = await hostToken('Maya Patel');
    const connection = connect('riverside', { storage });
    await until(() => connection.identity?.kind === 'member', 'member');
    expect(new IdentityStorage(connection.config, storage).load()).toBeNull();
    expect(JSON.stringify([...(storage as unknown as MemoryStorage).map.values()])).not.toContain(answer.token);
  });

  it('shows a members-only topic once the visitor signs in, and forgets it after sign-out', async () => {
    const connection = connect();
    await until(() => connection.status === 'online', 'online');
    const store = new ThreadStore(connection, LOUNGE);
    store.start();
    await until(() => store.status === 'error', 'the refusal');
    expect(store.error?.code).toBe('MEMBERS_ONLY');

    answer = await hostToken('Maya Patel');
    await connection.hostAuth!.refresh();
    await until(() => store.status === 'ready', 'the thread after sign-in');
    const post = await store.post('Only members read this');
    expect(store.isMine(post)).toBe(true);

    answer = null;
    await connection.hostAuth!.refresh();
    await until(() => store.error?.code === 'MEMBERS_ONLY', 'the refusal after sign-out');
    expect(store.posts).toEqual([]);
    store.stop();
  });

  it('reloads a public thread when the identity changes so `mine` is right', async () => {
    answer = await hostToken('Maya Patel');
    const connection = connect();
    await until(() => connection.identity?.kind === 'member', 'member');
    const topic = `public-${Date.now().toString(36)}`;
    const bob = connect('riverside', { withAuth: false });
    await until(() => bob.status === 'online', 'bob online');
    await bob.signInAsGuest('Bob Guest');
    const { post } = await bob.request('post:create', { topic, clientId: 'b1', body: 'Hi all' });
    const store = new ThreadStore(connection, topic);
    store.start();
    await until(() => store.status === 'ready', 'ready');
    await store.react(post.id, 'thanks', true);

    answer = null;
    await connection.hostAuth!.refresh();
    await until(() => connection.identity === null, 'reader');
    await until(() => store.status === 'ready' && !store.find(post.id)?.mine?.length, 'the reader\'s view');
    answer = await hostToken('Maya Patel');
    await connection.hostAuth!.refresh();
    await until(() => store.find(post.id)?.mine?.includes('thanks') === true, 'her reaction back');
    store.stop();
  });

  it('says when guests are not allowed', async () => {
    const connection = connect('closed', { withAuth: false });
    await until(() => connection.status === 'online', 'online');
    expect(connection.site).toMatchObject({ name: 'Closed Clinic', guestsAllowed: false });
    await expect(connection.signInAsGuest('Sam Guest')).rejects.toMatchObject({ code: 'GUESTS_NOT_ALLOWED' });
  });

  it('keeps a post refused with RATE_LIMITED as failed, with the wait', async () => {
    answer = await hostToken('Rita Rapid');
    const connection = connect();
    await until(() => connection.identity?.kind === 'member', 'member');
    const store = new ThreadStore(connection, `fast-${Date.now().toString(36)}`);
    store.start();
    await until(() => store.status === 'ready', 'ready');
    await store.post('First');
    const error = await store.post('Second, too soon').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(KindredError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED' });
    expect((error as KindredError).retryAfterMs).toBeGreaterThan(1000);
    const failed = store.posts.find((post) => post.body === 'Second, too soon');
    expect(failed).toMatchObject({ sendState: 'failed', sendError: { code: 'RATE_LIMITED' } });
    store.stop();
  });

  it('takes a RATE_LIMITED connect as temporary: not refused, and connects once the limit allows', async () => {
    const first = connect('busy', { withAuth: false });
    await until(() => first.status === 'online', 'first online');
    const second = connect('busy', { withAuth: false });
    await until(() => second.rateLimited, 'the rate-limited connect');
    expect(second.status).toBe('offline');
    expect(second.refusal).toBeNull();
    await until(() => second.status === 'online', 'a later retry', 10_000);
    expect(second.rateLimited).toBe(false);
  });

  it('retries a connect refused after the handshake (too many for one member) once the wait is over', async () => {
    answer = await hostToken('Maya Patel', { site: 'crowded' });
    const first = connect('crowded');
    await until(() => first.identity?.kind === 'member', 'first signed in');
    const second = connect('crowded');
    await until(() => second.rateLimited, 'the rate-limited connect');
    expect(second.status).toBe('offline');
    await until(() => second.identity?.kind === 'member', 'signed in after the wait', 10_000);
  });
});
