import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@kindred/server';
import { Connection } from './connection.js';
import { IntroductionStore, type IntroductionChange, type JoinInput } from './introduction-store.js';
import { until } from './testing/real-server.js';

/**
 * The introductions store against the real server, with rounds run as the
 * operator runs them: `kindred match run demo joint-replacement` in another
 * process on the same database, which the server notices by polling.
 * Every member leaves after their test, so each round sees only the test's own.
 */
const COMMUNITY = 'joint-replacement';
const BIN = fileURLToPath(new URL('../../server/bin/kindred.js', import.meta.url));
const run = promisify(execFile);

let server: RunningServer;
let dir: string;
const open: Connection[] = [];
const members: IntroductionStore[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kindred-introductions-'));
  server = await startServer({
    port: 0,
    dbPath: join(dir, 'kindred.db'),
    log: { info() {}, error: console.error },
    demoHeldFirstPosts: { guest: 0, member: 0 },
    roundPollMs: 100,
  });
});
afterEach(async () => {
  for (const store of members.splice(0)) {
    if (store.connection.status === 'online' && store.profile) await store.leave().catch(() => {});
  }
  for (const connection of open.splice(0)) connection.close();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(): Promise<Connection> {
  const connection = new Connection({ server: server.url, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', 'online');
  return connection;
}

async function started(name?: string): Promise<{ store: IntroductionStore; changes: IntroductionChange[] }> {
  const connection = await connect();
  if (name) await connection.signInAsGuest(name);
  const store = new IntroductionStore(connection, COMMUNITY);
  const changes: IntroductionChange[] = [];
  store.subscribe((change) => {
    const news = change.proposed.length + change.connected.length + change.ended.length + change.removed + change.messages.length;
    if (news || change.profile) changes.push(change);
  });
  store.start();
  members.push(store);
  await until(() => store.status === 'ready', 'the state');
  return { store, changes };
}

const knee = (about: string, extra: Partial<JoinInput> = {}): JoinInput => ({
  role: 'patient',
  wants: 'peer',
  topics: [{ id: 'knee-replacement', stage: 'after-surgery' }],
  languages: ['en', 'es'],
  about,
  ...extra,
});

/** A round as the operator runs it; resolves with the CLI's JSON summary. */
async function matchRound(): Promise<{ pairs: number }> {
  const { stdout } = await run(process.execPath, [BIN, 'match', 'run', 'demo', COMMUNITY, '--json'], {
    env: { ...process.env, KINDRED_DB: join(dir, 'kindred.db') },
  });
  return JSON.parse(stdout) as { pairs: number };
}

/** Two members who share a topic, introduced by a round, as each of them sees it. */
async function introduced() {
  const rosa = await started('Rosa');
  const sam = await started('Sam');
  await rosa.store.join(knee('Six weeks after my new knee.'));
  await sam.store.join(knee('Two months on, walking again.'));
  expect((await matchRound()).pairs).toBe(1);
  await until(() => !!rosa.store.pending && !!sam.store.pending, 'the proposal, live', 10_000);
  return { rosa, sam, id: rosa.store.pending!.id };
}

describe('IntroductionStore against a real server', () => {
  it('shows a signed-out visitor the community and no profile, and refuses to join without a name', async () => {
    const { store } = await started();
    expect(store.community).toMatchObject({ id: COMMUNITY, name: 'Joint replacement', languages: ['en', 'es'] });
    expect(store.community?.topics.map((topic) => topic.label)).toEqual(['Knee replacement', 'Hip replacement', 'Shoulder replacement']);
    expect(store.profile).toBe(null);
    expect(store.introductions).toEqual([]);
    await expect(store.join(knee(''))).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('joins, pauses and resumes, edits, and leaves', async () => {
    const { store } = await started('Ana');
    const { profile, notices } = await store.join(knee('  I had my knee done in May.  ', { role: 'mentor', wants: 'mentor' }));
    expect(profile).toMatchObject({
      role: 'mentor',
      topics: [{ id: 'knee-replacement', stage: 'after-surgery' }],
      languages: ['en', 'es'],
      about: 'I had my knee done in May.',
      paused: false,
    });
    expect(notices).toEqual([]);
    expect((await store.setPaused(true)).paused).toBe(true);
    expect(store.profile?.paused).toBe(true);
    await store.setPaused(false);
    await store.join(knee('Edited.', { topics: [{ id: 'hip-replacement' }] }));
    expect(store.profile?.topics).toEqual([{ id: 'hip-replacement' }]);

    await store.leave();
    expect(store.profile).toBe(null);
    await store.reload();
    expect(store.profile).toBe(null);
  });

  it('says which field the server refused', async () => {
    const { store } = await started('Ana');
    await expect(store.join(knee('x'.repeat(501)))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'about' });
    await expect(store.join(knee('', { topics: [] }))).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'topics' });
  });

  it('receives a round’s proposal live with its reasons; yes from both opens the conversation; messages arrive live', async () => {
    const { rosa, sam, id } = await introduced();
    const proposal = rosa.store.pending!;
    expect(proposal).toMatchObject({ status: 'proposed', other: { name: 'Sam', role: 'patient', about: 'Two months on, walking again.' } });
    expect(proposal.reasons).toEqual(
      expect.arrayContaining([{ kind: 'shared-topic', topic: 'knee-replacement', stage: 'after-surgery' }]),
    );
    expect(rosa.changes.flatMap((change) => change.proposed.map((each) => each.id))).toEqual([id]);

    // Rosa says yes first: she waits, and Sam's view says nothing of her answer.
    expect((await rosa.store.answer(id, true))?.status).toBe('waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sam.store.pending?.status).toBe('proposed');
    // Sam's yes opens it for both; for Rosa it is news.
    expect((await sam.store.answer(id, true))?.status).toBe('connected');
    await until(() => rosa.store.find(id)?.status === 'connected', 'the conversation open for Rosa');
    expect(rosa.changes.flatMap((change) => change.connected.map((each) => each.id))).toEqual([id]);
    expect(sam.changes.flatMap((change) => change.connected)).toEqual([]);
    expect(rosa.store.pending).toBe(null);
    expect(rosa.store.conversations.map((each) => each.id)).toEqual([id]);

    await rosa.store.openConversation(id);
    await sam.store.openConversation(id);
    expect(rosa.store.conversation(id)?.messages).toEqual([]);
    const sent = await rosa.store.send(id, '  Hello Sam!  ');
    expect(sent).toMatchObject({ body: 'Hello Sam!', mine: true, authorName: 'Rosa' });
    await until(() => sam.store.conversation(id)?.messages.length === 1, 'the message for Sam');
    expect(sam.store.conversation(id)?.messages[0]).toMatchObject({ id: sent.id, body: 'Hello Sam!', mine: false });
    expect(sam.changes.flatMap((change) => change.messages.map((message) => message.id))).toEqual([sent.id]);
    // Her own message is not news to her, and arrives once.
    expect(rosa.changes.flatMap((change) => change.messages)).toEqual([]);
    expect(rosa.store.conversation(id)?.messages.map((message) => message.id)).toEqual([sent.id]);

    // Sam reports it; Rosa deletes it for both.
    expect(await sam.store.report(sent.id, 'other', 'just checking')).toEqual({ hidden: false });
    expect(sam.store.hasReported(sent.id)).toBe(true);
    await rosa.store.deleteMessage(id, sent.id);
    await until(() => sam.store.conversation(id)?.messages[0]?.deleted === true, 'the deletion for Sam');
  });

  it('blocks: the conversation ends for both, stays readable, and takes no more messages', async () => {
    const { rosa, sam, id } = await introduced();
    await rosa.store.answer(id, true);
    await sam.store.answer(id, true);
    await rosa.store.openConversation(id);
    await rosa.store.send(id, 'Before the end');
    await until(() => sam.store.find(id)?.status === 'connected', 'connected for Sam');
    expect((await sam.store.block(id)).status).toBe('ended');
    await until(() => rosa.store.find(id)?.status === 'ended', 'ended for Rosa');
    expect(rosa.changes.flatMap((change) => change.ended.map((each) => each.id))).toEqual([id]);
    expect(sam.changes.flatMap((change) => change.ended)).toEqual([]);
    expect(rosa.store.conversation(id)?.messages.map((message) => message.body)).toEqual(['Before the end']);
    await expect(rosa.store.send(id, 'After the end')).rejects.toHaveProperty('code');
  });

  it('declines: the proposal goes from both, and the other learns only that none is pending', async () => {
    const { rosa, sam, id } = await introduced();
    expect(await sam.store.answer(id, false)).toBe(null);
    expect(sam.store.pending).toBe(null);
    await until(() => rosa.store.pending === null, 'the proposal gone for Rosa');
    expect(rosa.store.introductions).toEqual([]);
    expect(rosa.changes.reduce((sum, change) => sum + change.removed, 0)).toBe(1);
    expect(sam.changes.reduce((sum, change) => sum + change.removed, 0)).toBe(0);
    // The next round does not introduce them again.
    expect((await matchRound()).pairs).toBe(0);
  });

  it('after a reconnect, loads the state again and catches up on messages it missed', async () => {
    const { rosa, sam, id } = await introduced();
    await rosa.store.answer(id, true);
    await sam.store.answer(id, true);
    await sam.store.openConversation(id);
    await until(() => sam.store.conversation(id)?.status === 'ready', 'the conversation');
    sam.store.connection.socket.disconnect();
    await until(() => sam.store.connection.status === 'offline', 'offline');
    await rosa.store.send(id, 'Sent while Sam was away');
    sam.store.connection.socket.connect();
    await until(() => sam.store.conversation(id)?.messages.some((message) => message.body === 'Sent while Sam was away') ?? false, 'the missed message');
    // Live again afterwards.
    await rosa.store.send(id, 'And one after');
    await until(() => sam.store.conversation(id)?.messages.length === 2, 'the live message');
  });

  it('forgets the previous viewer at once on sign-out', async () => {
    const { store } = await started('Ana');
    await store.join(knee('About me.'));
    // Paused, so the rounds of later tests leave this member out once nobody can sign in as them.
    await store.setPaused(true);
    store.connection.signOut();
    expect(store.profile).toBe(null);
    await until(() => store.status === 'ready', 'the signed-out state');
    expect(store.profile).toBe(null);
  });
});
