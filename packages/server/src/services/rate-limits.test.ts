import type { IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import Database from 'better-sqlite3';
import type { ClientEvents } from '@kindred/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { RateLimitSetting } from '../store/store.js';
import { client, connectError, session, type TestClient } from '../testing/socket-client.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';
import { AddressHasher, ClientAddress, clientAddressOf } from './client-address.js';
import { parseLimitSetting, RateLimits, type LimitName } from './rate-limits.js';
import { SiteService } from './sites.js';

type Res<K extends keyof ClientEvents> = ClientEvents[K]['res'];
const SITE = 'riverside';
const TOPIC = 'knee-replacement';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limit settings', () => {
  it('parses name=count/seconds and refuses anything else with a message', () => {
    expect(parseLimitSetting('posts=5/60')).toEqual({ name: 'posts', setting: { points: 5, durationSec: 60 } });
    expect(parseLimitSetting(' reactions=2/0.5 ')).toEqual({ name: 'reactions', setting: { points: 2, durationSec: 0.5 } });
    expect(() => parseLimitSetting('posts=5')).toThrow(/name=count\/seconds/);
    expect(() => parseLimitSetting('likes=5/60')).toThrow(/no rate limit called "likes"/);
    expect(() => parseLimitSetting('posts=0/60')).toThrow(/above zero/);
  });

  it('counts reports per identity and per address, ready for the report event', async () => {
    const limits = new RateLimits();
    const site = { id: SITE, rateLimits: { reports: { points: 1, durationSec: 60 }, reportsPerAddress: { points: 2, durationSec: 60 } } };
    await limits.consume(site, ['reports', 'reportsPerAddress'], { identity: 'u1', addressKey: 'a' });
    await expect(limits.consume(site, ['reports', 'reportsPerAddress'], { identity: 'u1', addressKey: 'a' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await limits.consume(site, ['reports', 'reportsPerAddress'], { identity: 'u2', addressKey: 'a' });
    await expect(limits.consume(site, ['reports', 'reportsPerAddress'], { identity: 'u3', addressKey: 'a' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('client addresses', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());
  const request = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

  it('uses X-Forwarded-For only behind a trusted proxy', async () => {
    const store = openSqliteStore(dir.file('k.db'));
    await store.migrate();
    const hasher = new AddressHasher({ store, now: () => new Date('2026-03-01T10:00:00Z') });
    const direct = await hasher.key(clientAddressOf(request('::ffff:10.0.0.9', '203.0.113.7, 10.0.0.1'), false));
    const proxied = await hasher.key(clientAddressOf(request('10.0.0.9', '203.0.113.7, 10.0.0.1'), true));
    expect(direct).toBe(await hasher.key(new ClientAddress('10.0.0.9')));
    expect(proxied).toBe(await hasher.key(new ClientAddress('203.0.113.7')));
    await store.close();
  });

  it('never shows the raw address: hashes differ from it, change with the daily salt, and only one salt is kept', async () => {
    const path = dir.file('k.db');
    const store = openSqliteStore(path);
    await store.migrate();
    const clock = { now: new Date('2026-03-01T23:59:00Z') };
    const hasher = new AddressHasher({ store, now: () => clock.now });
    const address = new ClientAddress('198.51.100.23');
    expect(String(address)).not.toContain('198.51');
    expect(JSON.stringify({ address })).not.toContain('198.51');
    expect(inspect(address)).not.toContain('198.51');

    const today = await hasher.key(address);
    expect(today).not.toContain('198.51.100.23');
    expect(today).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await hasher.key(address)).toBe(today);
    expect(await hasher.key(new ClientAddress('198.51.100.24'))).not.toBe(today);

    clock.now = new Date('2026-03-02T00:01:00Z');
    const tomorrow = await hasher.key(address);
    expect(tomorrow).not.toBe(today);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT day FROM address_salts').all()).toEqual([{ day: '2026-03-02' }]);
    db.close();
    // Another node sharing the database agrees on today's key.
    expect(await new AddressHasher({ store, now: () => clock.now }).key(address)).toBe(tomorrow);
    await store.close();
  });
});

describe('rate limits over the socket', () => {
  const dir = tempDir();
  let server: RunningServer;
  const clients: TestClient[] = [];

  /** Clients claim an address through X-Forwarded-For, which this server trusts. */
  const open = (address = '203.0.113.1', options: Parameters<typeof client>[1] = {}) => {
    const socket = client(server.url, { site: SITE, transports: ['websocket'], extraHeaders: { 'X-Forwarded-For': address }, ...options });
    clients.push(socket);
    return socket;
  };
  const guest = async (name: string, address?: string) => {
    const socket = open(address);
    await session(socket);
    const signIn = await socket.ask<Res<'session:guest'>>('session:guest', { displayName: name });
    if (!signIn.ok) throw new Error(signIn.error.message);
    return { socket, ...signIn.data };
  };
  const limit = (limits: Partial<Record<LimitName, RateLimitSetting>>) => server.store.updateSite(SITE, { rateLimits: limits });
  let posts = 0;
  const post = (socket: TestClient) => socket.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: `c${++posts}`, body: 'Update' });

  beforeEach(async () => {
    server = await startServer({ port: 0, dbPath: dir.file('kindred.db'), trustProxy: true, log: silentLog });
    await new SiteService(server.store).create({ id: SITE, origins: ['https://www.riverside.example'] }, new Date());
    // Not about moderation: this site publishes a guest's first post at once.
    await server.store.updateSite(SITE, { moderation: { heldFirstPosts: { guest: 0, member: 0 } } });
  });
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.disconnect();
    await server.close();
    dir.remove();
  });

  it('limits posts per identity with retryAfterMs, and releases after the window', async () => {
    await limit({ posts: { points: 2, durationSec: 1 } });
    const { socket } = await guest('Maria');
    expect(await post(socket)).toMatchObject({ ok: true });
    expect(await post(socket)).toMatchObject({ ok: true });
    const refused = await post(socket);
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/posting.*Try again in 1 second/) } });
    const retryAfterMs = refused.ok ? 0 : refused.error.retryAfterMs!;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(1000);
    // Another identity is not held back by Maria's count.
    expect(await post((await guest('Tom')).socket)).toMatchObject({ ok: true });
    await sleep(retryAfterMs + 50);
    expect(await post(socket)).toMatchObject({ ok: true });
  });

  it('counts edits as posts, and leaves deleting free', async () => {
    await limit({ posts: { points: 1, durationSec: 60 } });
    const { socket } = await guest('Maria');
    const created = await post(socket);
    const postId = created.ok ? created.data.post.id : '';
    expect(await socket.ask('post:edit', { postId, body: 'Edited' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await socket.ask('post:delete', { postId })).toMatchObject({ ok: true });
  });

  it('limits posts per client address across identities, guests included', async () => {
    await limit({ postsPerAddress: { points: 3, durationSec: 60 } });
    const maria = await guest('Maria', '198.51.100.1');
    const tom = await guest('Tom', '198.51.100.1');
    const elsewhere = await guest('Olga', '198.51.100.2');
    expect(await post(maria.socket)).toMatchObject({ ok: true });
    expect(await post(maria.socket)).toMatchObject({ ok: true });
    expect(await post(tom.socket)).toMatchObject({ ok: true });
    expect(await post(tom.socket)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await post(elsewhere.socket)).toMatchObject({ ok: true });
  });

  it('limits reactions', async () => {
    await limit({ reactions: { points: 1, durationSec: 60 } });
    const maria = await guest('Maria');
    const tom = await guest('Tom', '198.51.100.9');
    const created = await post(maria.socket);
    const postId = created.ok ? created.data.post.id : '';
    expect(await tom.socket.ask('reaction:set', { postId, reaction: 'helpful', on: true })).toMatchObject({ ok: true });
    const refused = await tom.socket.ask('reaction:set', { postId, reaction: 'thanks', on: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
  });

  it('checks authorisation before charging a limit', async () => {
    await limit({ posts: { points: 1, durationSec: 60 } });
    const socket = open();
    await session(socket);
    expect(await post(socket)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    await socket.ask('session:guest', { displayName: 'Maria' });
    expect(await post(socket)).toMatchObject({ ok: true });
  });

  it('refuses connections over the per-address limit in the handshake, per address, until the window ends', async () => {
    await limit({ connects: { points: 2, durationSec: 1 } });
    const handshake = (address: string) =>
      fetch(`${server.url}/socket.io/?EIO=4&transport=polling&v=1&site=${SITE}`, { headers: { 'X-Forwarded-For': `${address}, 10.0.0.1` } });
    expect((await handshake('192.0.2.10')).status).toBe(200);
    await session(open('192.0.2.10'));
    const refused = await handshake('192.0.2.10');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ code: 4, message: 'RATE_LIMITED' });
    expect(await connectError(open('192.0.2.10'))).toBeInstanceOf(Error);
    expect((await handshake('192.0.2.11')).status).toBe(200);
    await sleep(1_050);
    await session(open('192.0.2.10'));
  });

  it('refuses connections over the per-identity limit with retryAfterMs', async () => {
    await limit({ connectsPerIdentity: { points: 1, durationSec: 60 } });
    const { token } = await guest('Maria');
    // The guest sign-in connection was anonymous; the first connection as Maria is allowed, the second is not.
    await session(open('192.0.2.20', { token }));
    const refused = await connectError(open('192.0.2.21', { token }));
    expect(refused.message).toBe('RATE_LIMITED');
    expect(refused.data).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
  });

  it('limits sign-ins per address, so guest identities cannot be minted without end', async () => {
    await limit({ signIns: { points: 2, durationSec: 60 } });
    const socket = open('192.0.2.30');
    await session(socket);
    expect(await socket.ask('session:guest', { displayName: 'One' })).toMatchObject({ ok: true });
    expect(await socket.ask('session:guest', { displayName: 'Two' })).toMatchObject({ ok: true });
    expect(await socket.ask('session:guest', { displayName: 'Three' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});
