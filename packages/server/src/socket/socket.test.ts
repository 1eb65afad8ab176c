import { DEFAULT_CRISIS_RESOURCES, LIMITS, PROTOCOL_VERSION, type ClientEvents, type TopicEvent } from '@kindred/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { DEMO_DISCLAIMER } from '../services/sites.js';
import { client, connectError, countRows, nextEvent, session, type TestClient } from '../testing/socket-client.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';

type Res<K extends keyof ClientEvents> = ClientEvents[K]['res'];
const TOPIC = 'knee-replacement';

describe('socket transport', () => {
  const dir = tempDir();
  let server: RunningServer;
  const clients: TestClient[] = [];

  // Not about moderation: the demo site publishes a guest's first post at once here.
  const start = () =>
    startServer({ port: 0, dbPath: dir.file('kindred.db'), demoOrigins: ['http://127.0.0.1:5999'], demoHeldFirstPosts: { guest: 0, member: 0 }, log: silentLog });
  const open = (options: Parameters<typeof client>[1] = {}) => {
    const socket = client(server.url, options);
    clients.push(socket);
    return socket;
  };
  /** A connected guest, signed in under `name`. */
  const guest = async (name: string) => {
    const socket = open();
    await session(socket);
    const signIn = await socket.ask<Res<'session:guest'>>('session:guest', { displayName: name });
    if (!signIn.ok) throw new Error(signIn.error.message);
    return { socket, ...signIn.data };
  };

  beforeEach(async () => {
    server = await start();
  });
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.disconnect();
    await server.close();
    dir.remove();
  });

  it('greets a new connection with the protocol version, no user and the site', async () => {
    expect(await session(open())).toEqual({
      protocol: PROTOCOL_VERSION,
      user: null,
      site: { id: 'demo', name: 'Demo hospital', guestsAllowed: true, disclaimer: DEMO_DISCLAIMER, crisisResources: DEFAULT_CRISIS_RESOURCES },
    });
  });

  it('signs a guest in and lets them post', async () => {
    const { socket, token, user } = await guest('  Maria   Lopez ');
    expect(user).toMatchObject({ name: 'Maria Lopez', kind: 'guest' });
    expect(token.split('.')).toHaveLength(3);
    const created = await socket.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: 'c1', body: ' Week 2 update ' });
    expect(created).toMatchObject({ ok: true, data: { post: { body: 'Week 2 update', author: user, topic: TOPIC, depth: 0 } } });

    const returning = open({ token });
    expect((await session(returning)).user).toEqual(user);
  });

  it('refuses posting before signing in', async () => {
    const socket = open();
    await session(socket);
    const answer = await socket.ask('post:create', { topic: TOPIC, clientId: 'c1', body: 'hello' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('delivers changes live to everyone in the topic room, without `mine`', async () => {
    const maria = await guest('Maria');
    const tom = await guest('Tom');
    const outsider = await guest('Olga');
    expect(await tom.socket.ask('topic:join', { topic: TOPIC })).toEqual({ ok: true, data: { seq: 0, events: [], reset: false } });
    await outsider.socket.ask('topic:join', { topic: 'other-topic' });
    let outsiderHeard = 0;
    outsider.socket.on('topic:event', () => outsiderHeard++);

    const live = nextEvent<TopicEvent>(tom.socket, 'topic:event');
    const created = await maria.socket.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: 'c1', body: 'Hello all' });
    const event = await live;
    expect(event).toMatchObject({ topic: TOPIC, seq: 1, type: 'post.created', post: { body: 'Hello all', author: { name: 'Maria' } } });
    expect(created.ok && created.data.post.id).toBe(event.post.id);

    const reacted = nextEvent<TopicEvent>(tom.socket, 'topic:event');
    const ack = await tom.socket.ask<Res<'reaction:set'>>('reaction:set', { postId: event.post.id, reaction: 'helpful', on: true });
    expect(ack).toMatchObject({ ok: true, data: { post: { mine: ['helpful'], reactions: { helpful: 1 } } } });
    const broadcast = await reacted;
    expect(broadcast.seq).toBe(2);
    expect(broadcast.post).not.toHaveProperty('mine');

    // After leaving, no more events arrive.
    await tom.socket.ask('topic:leave', { topic: TOPIC });
    let tomHeard = 0;
    tom.socket.on('topic:event', () => tomHeard++);
    await maria.socket.ask('post:create', { topic: TOPIC, clientId: 'c2', body: 'Anyone there?' });
    await tom.socket.ask('thread:list', { topic: TOPIC, sort: 'newest' });
    expect(tomHeard).toBe(0);
    expect(outsiderHeard).toBe(0);

    const missed = await tom.socket.ask<Res<'topic:join'>>('topic:join', { topic: TOPIC, since: 2 });
    expect(missed).toMatchObject({ ok: true, data: { seq: 3, reset: false, events: [{ seq: 3, type: 'post.created' }] } });
  });

  it('answers bad payloads with INVALID_INPUT and keeps serving', async () => {
    const { socket } = await guest('Maria');
    const bad: unknown[][] = [
      [{ topic: 5, clientId: 'c1', body: 'x' }],
      [{ topic: TOPIC, body: 'missing client id' }],
      [{ topic: TOPIC, clientId: 'c1', body: 'x'.repeat(6000) }],
      [{ topic: TOPIC, clientId: 'c1', body: '   ' }],
      [{ topic: 'Not A Slug', clientId: 'c1', body: 'x' }],
      [{ topic: TOPIC, clientId: 'has spaces', body: 'x' }],
      [JSON.parse(`{"topic":"${TOPIC}","clientId":"c1","body":"x","__proto__":{"admin":true}}`)],
      [{ topic: TOPIC, clientId: 'c1', body: 'x', extra: true }],
      [[TOPIC, 'c1', 'x']],
      [null],
      [42],
      ['post'],
      [],
      [{ topic: TOPIC, clientId: 'c1', body: 'x' }, { second: 'payload' }],
    ];
    for (const args of bad) {
      const answer = await socket.ask('post:create', ...args);
      expect(answer, JSON.stringify(args).slice(0, 80)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    const tooLong = await socket.ask('post:create', { topic: TOPIC, clientId: 'c1', body: 'x'.repeat(6000) });
    expect(tooLong).toMatchObject({ ok: false, error: { field: 'body', message: expect.stringMatching(/5000/) } });
    for (const [event, payload] of [
      ['session:guest', { displayName: 'A\u202eB' }],
      ['thread:list', { topic: TOPIC, sort: 'random' }],
      ['reaction:set', { postId: 'p', reaction: 'love', on: true }],
      ['topic:join', { topic: TOPIC, since: -1 }],
    ] as const) {
      expect(await socket.ask(event, payload)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }

    // Without an acknowledgement function nothing is done at all.
    socket.emit('post:create', { topic: TOPIC, clientId: 'fire-and-forget', body: 'ignored' });
    const fine = await socket.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: 'ok', body: 'still here' });
    expect(fine.ok).toBe(true);
    expect(countRows(dir.file('kindred.db')).posts).toBe(1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('limits how many topics one connection follows', async () => {
    const socket = open();
    await session(socket);
    for (let i = 0; i < 50; i++) expect(await socket.ask('topic:join', { topic: `topic-${i}` })).toMatchObject({ ok: true });
    expect(await socket.ask('topic:join', { topic: 'topic-0' })).toMatchObject({ ok: true });
    expect(await socket.ask('topic:join', { topic: 'one-too-many' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    await socket.ask('topic:leave', { topic: 'topic-0' });
    expect(await socket.ask('topic:join', { topic: 'one-too-many' })).toMatchObject({ ok: true });
  });

  it('answers unknown events with UNKNOWN_EVENT', async () => {
    const socket = open();
    await session(socket);
    expect(await socket.ask('post:explode', { topic: TOPIC })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    expect(await socket.ask('constructor', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    expect(await socket.ask('thread:list', { topic: TOPIC, sort: 'newest' })).toMatchObject({ ok: true });
  });

  for (const transports of [['websocket'], ['polling']]) {
    it(`disconnects only the client that sends an oversized message (${transports[0]})`, async () => {
      const bystander = await guest('Tom');
      const sender = open({ transports });
      await session(sender);
      const disconnected = nextEvent<string>(sender, 'disconnect');
      sender.emit('post:create', { topic: TOPIC, clientId: 'big', body: 'x'.repeat(LIMITS.maxMessageBytes + 1000) }, () => {});
      expect(await disconnected).toMatch(/transport (close|error)/);
      const still = await bystander.socket.ask('post:create', { topic: TOPIC, clientId: 'c1', body: 'still working' });
      expect(still).toMatchObject({ ok: true });
      expect(countRows(dir.file('kindred.db')).posts).toBe(1);
    });
  }

  for (const transports of [['polling'], ['websocket']]) {
    it(`refuses a browser on a disallowed origin and creates nothing (${transports[0]})`, async () => {
      const before = countRows(dir.file('kindred.db'));
      const evil = open({ transports, extraHeaders: { origin: 'https://evil.example' } });
      evil.emit('session:guest', { displayName: 'Mallory' }, () => {});
      const error = await connectError(evil);
      expect(error).toBeInstanceOf(Error);
      if (transports[0] === 'polling') expect(error.description).toBe(403);
      expect(countRows(dir.file('kindred.db'))).toEqual(before);
    });
  }

  it("accepts the server's own origin and the configured demo origins", async () => {
    for (const origin of [new URL(server.url).origin, `http://localhost:${server.port}`, 'http://127.0.0.1:5999']) {
      const socket = open({ transports: ['websocket'], extraHeaders: { origin } });
      expect((await session(socket)).protocol).toBe(PROTOCOL_VERSION);
    }
  });

  it('refuses an unknown or missing site', async () => {
    for (const site of ['nowhere', 'NOT A SLUG', '']) {
      const error = await connectError(open({ site }));
      expect(error.description).toBe(403);
      const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&v=1&site=${encodeURIComponent(site)}`);
      expect(handshake.status).toBe(403);
      expect(await handshake.json()).toEqual({ code: 4, message: 'UNKNOWN_SITE' });
    }
  });

  it('lets a refused page read why: the 403 carries CORS headers and the code', async () => {
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&v=1&site=demo`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(handshake.status).toBe(403);
    expect(handshake.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(handshake.headers.get('access-control-allow-credentials')).toBeNull();
    expect(await handshake.json()).toEqual({ code: 4, message: 'ORIGIN_NOT_ALLOWED' });
  });

  it('says why a presented token was not accepted, and still lets the visitor read', async () => {
    const socket = open({ token: 'eyJhbGciOiJIUzI1NiJ9.e30.bad' });
    expect(await session(socket)).toMatchObject({ protocol: PROTOCOL_VERSION, user: null, reason: 'NOT_AUTHORISED' });
    expect(await socket.ask('thread:list', { topic: TOPIC, sort: 'newest' })).toMatchObject({ ok: true });
  });

  it('keeps posts, sequence numbers and guest tokens across a restart on the same file', async () => {
    const maria = await guest('Maria');
    const created = await maria.socket.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: 'c1', body: 'before restart' });
    await maria.socket.ask('post:create', { topic: TOPIC, clientId: 'c2', body: 'reply', parentId: created.ok ? created.data.post.id : '' });
    maria.socket.disconnect();
    await server.close();

    server = await start();
    const back = open({ token: maria.token });
    expect((await session(back)).user).toEqual(maria.user);
    const list = await back.ask<Res<'thread:list'>>('thread:list', { topic: TOPIC, sort: 'newest' });
    expect(list).toMatchObject({ ok: true, data: { seq: 2, posts: [{ body: 'before restart' }, { body: 'reply' }] } });
    const retried = await back.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: 'c1', body: 'before restart' });
    expect(retried.ok && created.ok && retried.data.post.id === created.data.post.id).toBe(true);
    const next = await back.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: 'c3', body: 'after restart' });
    expect(next.ok).toBe(true);
    expect(await back.ask('topic:join', { topic: TOPIC, since: 2 })).toMatchObject({ ok: true, data: { seq: 3, events: [{ seq: 3 }] } });
  });
});
