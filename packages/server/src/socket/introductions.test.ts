import type { ClientEvents, IntroductionServerEvents } from '@kindred/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { MatchRounds } from '../services/match-rounds.js';
import { client, ok, session, type TestClient } from '../testing/socket-client.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';

type Res<K extends keyof ClientEvents> = ClientEvents[K]['res'];
type IntroEvent = IntroductionServerEvents['intro:event'];
/** Seeded on the demo site. */
const COMMUNITY = 'joint-replacement';

describe('introductions over socket.io', () => {
  const dir = tempDir();
  let server: RunningServer;
  const clients: TestClient[] = [];
  let ids = 0;

  beforeAll(async () => {
    server = await startServer({ port: 0, dbPath: dir.file('kindred.db'), log: silentLog, roundPollMs: 50, demoHeldFirstPosts: { guest: 0, member: 0 } });
  });
  afterEach(() => {
    for (const socket of clients.splice(0)) socket.close();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  const open = (options: Parameters<typeof client>[1] = {}) => {
    const socket = client(server.url, options);
    clients.push(socket);
    return socket;
  };
  /** A guest with one connection, and a second connection (another tab) under the same token. */
  const guest = async (name: string) => {
    const socket = open();
    await session(socket);
    const { user, token } = ok(await socket.ask<Res<'session:guest'>>('session:guest', { displayName: name }));
    const events: IntroEvent[] = [];
    socket.on('intro:event', (event: IntroEvent) => events.push(event));
    return { socket, user, token, events };
  };
  type Guest = Awaited<ReturnType<typeof guest>>;
  const join = async (person: Guest, topic: string) =>
    ok(
      await person.socket.ask<Res<'introduce:join'>>('introduce:join', {
        community: COMMUNITY,
        clientId: `j${++ids}`,
        role: 'caregiver',
        wants: 'peer',
        topics: [{ id: topic, stage: 'after-surgery' }],
        languages: ['es'],
        about: `Cuido a mi madre (${person.user.name}).`,
        consent: true,
      }),
    );
  /** A round run by another process (as `kindred match run` is): the server finds it by polling the store. */
  const roundElsewhere = () => new MatchRounds({ store: server.store, now: () => new Date() }).run('demo', COMMUNITY, 'admin');
  const arrived = async (events: IntroEvent[], match: (event: IntroEvent) => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such intro:event within ${timeoutMs} ms; heard ${JSON.stringify(events.map((event) => event.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const proposal = (event: IntroEvent) => event.type === 'introduction.changed' && event.introduction.status === 'proposed';

  it('tells both members of a round made by another process, on every connection they have, and opens the conversation live', async () => {
    const [lena, omar] = [await guest('Lena'), await guest('Omar')];
    await join(lena, 'shoulder-replacement');
    await join(omar, 'shoulder-replacement');
    const otherTab = open({ auth: { token: lena.token } });
    const otherTabEvents: IntroEvent[] = [];
    otherTab.on('intro:event', (event: IntroEvent) => otherTabEvents.push(event));
    expect((await session(otherTab)).user?.id).toBe(lena.user.id);

    const { introductions } = await roundElsewhere();
    expect(introductions).toHaveLength(1);
    const seen = await arrived(lena.events, proposal);
    if (seen.type !== 'introduction.changed') throw new Error('unexpected');
    expect(seen.introduction).toMatchObject({ other: { name: 'Omar', role: 'caregiver', about: 'Cuido a mi madre (Omar).' }, status: 'proposed' });
    expect(seen.introduction.reasons).toEqual(
      expect.arrayContaining([
        { kind: 'shared-topic', topic: 'shoulder-replacement', stage: 'after-surgery' },
        { kind: 'shared-language', language: 'es' },
        { kind: 'same-role', role: 'caregiver' },
      ]),
    );
    await arrived(otherTabEvents, proposal);
    await arrived(omar.events, proposal);

    const id = seen.introduction.id;
    ok(await lena.socket.ask('introduction:answer', { introductionId: id, accept: true }));
    const omarAnswer = ok(await omar.socket.ask<Res<'introduction:answer'>>('introduction:answer', { introductionId: id, accept: true }));
    expect(omarAnswer.introduction?.status).toBe('connected');
    await arrived(lena.events, (event) => event.type === 'introduction.changed' && event.introduction.status === 'connected');

    const sent = ok(await lena.socket.ask<Res<'introduction:send'>>('introduction:send', { introductionId: id, clientId: `m${++ids}`, body: '¿Cómo está tu madre?' }));
    const delivered = await arrived(omar.events, (event) => event.type === 'message.changed');
    expect(delivered).toEqual({ type: 'message.changed', introductionId: id, message: { ...sent.message, mine: false } });
    // A retry of the same message (a lost acknowledgement) stores nothing new.
    const again = ok(await lena.socket.ask<Res<'introduction:send'>>('introduction:send', { introductionId: id, clientId: sent.message.clientId, body: '¿Cómo está tu madre?' }));
    expect(again.message.id).toBe(sent.message.id);
    expect(ok(await omar.socket.ask<Res<'introduction:messages'>>('introduction:messages', { introductionId: id })).messages).toHaveLength(1);
  });

  it('refuses malformed and foreign requests with a stable code, and keeps serving', async () => {
    const eve = await guest('Eve');
    const bad = [
      ['introduce:join', { community: COMMUNITY, clientId: 'x', role: 'doctor', wants: 'peer', topics: [{ id: 'knee-replacement' }], languages: ['en'], about: '', consent: true }, 'role'],
      ['introduce:join', { community: COMMUNITY, clientId: 'x', role: 'patient', wants: 'peer', topics: [], languages: ['en'], about: '', consent: true }, 'topics'],
      ['introduce:join', { community: COMMUNITY, clientId: 'x', role: 'patient', wants: 'peer', topics: [{ id: 'knee-replacement' }], languages: ['en'], about: '', consent: false }, 'consent'],
      ['introduce:join', { community: COMMUNITY, clientId: 'x', role: 'patient', wants: 'peer', topics: [{ id: 'knee-replacement' }], languages: ['EN!'], about: '', consent: true }, 'languages.0'],
      ['introduce:join', { community: COMMUNITY, clientId: 'x', role: 'patient', wants: 'peer', topics: [{ id: 'knee-replacement' }], languages: ['en'], about: 'x'.repeat(501), consent: true }, 'about'],
      ['introduction:answer', { introductionId: 'nope', accept: 'yes' }, 'accept'],
      ['introduction:send', { introductionId: 'nope', clientId: 'c', body: '   ' }, 'body'],
      ['introduce:state', { community: 'Not A Slug' }, 'community'],
    ] as const;
    for (const [event, payload, field] of bad) {
      const ack = await eve.socket.ask(event, payload);
      expect(ack, `${event} ${field}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field } });
    }
    expect(await eve.socket.ask('introduction:answer', { introductionId: 'no-such-introduction', accept: true })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await eve.socket.ask('introduction:messages', { introductionId: 'no-such-introduction' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await eve.socket.ask('introduce:state', { community: 'no-such-community' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'community' } });
    const anonymous = open();
    await session(anonymous);
    expect(await anonymous.ask('introduce:state', { community: COMMUNITY })).toMatchObject({ ok: true, data: { profile: null, introductions: [], community: { id: COMMUNITY, name: 'Joint replacement' } } });
    expect(await anonymous.ask('introduce:leave', { community: COMMUNITY })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });
});
