import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@kindred/server';
import { Connection } from './connection.js';
import { QuestionStore, type QuestionChange } from './question-store.js';
import { until } from './testing/real-server.js';

/**
 * The question store against the real server. Experts are made per test on
 * a topic of their own (the role and the profile, as `kindred expert add`
 * records them) and sign in with host tokens signed by the demo site's secret.
 */
const SECRET = 'question-store-tests-demo-site-secret-0123456789';

let server: RunningServer;
let dir: string;
/** The hospital's own site: its auth URL signs whoever `logins` says is signed in on each path. */
let hospital: Server;
let hospitalUrl: string;
const logins = new Map<string, { sub: string; name: string } | null>();
const open: Connection[] = [];
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;
const newTopic = (): string => `qs-${unique()}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kindred-questions-'));
  server = await startServer({
    port: 0,
    dbPath: join(dir, 'kindred.db'),
    log: { info() {}, error: console.error },
    demoSecret: SECRET,
    // Questions are public at once here; the first-post hold is the server's to test.
    demoHeldFirstPosts: { guest: 0, member: 0 },
    rateLimits: {
      connects: { points: 1000, durationSec: 60 },
      signIns: { points: 1000, durationSec: 60 },
      posts: { points: 1000, durationSec: 60 },
      postsPerAddress: { points: 1000, durationSec: 60 },
      reactions: { points: 1000, durationSec: 60 },
      reports: { points: 1000, durationSec: 60 },
    },
  });
  hospital = createServer((req, res) => {
    const login = logins.get(req.url!.slice(1));
    if (!login) return void res.writeHead(204).end();
    void signed(login).then((token) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token })));
  });
  await new Promise<void>((resolve) => hospital.listen(0, '127.0.0.1', resolve));
  hospitalUrl = `http://127.0.0.1:${(hospital.address() as AddressInfo).port}`;
});
afterEach(() => {
  for (const connection of open.splice(0)) connection.close();
});
afterAll(async () => {
  await new Promise((resolve) => hospital.close(resolve));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A host token as the hospital's backend signs it for its logged-in visitor. */
function signed({ sub, name }: { sub: string; name: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience('demo')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(SECRET));
}

async function connect(): Promise<Connection> {
  const connection = new Connection({ server: server.url, site: 'demo' }, null);
  open.push(connection);
  await until(() => connection.status === 'online', 'online');
  return connection;
}

async function guest(name: string): Promise<Connection> {
  const connection = await connect();
  await connection.signInAsGuest(name);
  return connection;
}

/** Makes `sub` an expert of `topic` (before they sign in: roles are read at sign-in). */
async function makeExpert(sub: string, topic: string, credential = 'MD, Cardiology'): Promise<void> {
  const at = new Date().toISOString();
  await server.store.grantRole({ siteId: 'demo', externalId: sub, role: 'expert', topic }, at);
  await server.store.saveExpert({ siteId: 'demo', externalId: sub, topic, credential, npi: null, email: null, createdAt: at });
}

/** A page whose host site's auth URL answers with a token for `login` (or 204, signed out, for null); change it with `logins`. */
async function onHostPage(login: { sub: string; name: string } | null): Promise<{ connection: Connection; path: string }> {
  const path = unique();
  logins.set(path, login);
  const connection = new Connection({ server: server.url, site: 'demo', authUrl: `${hospitalUrl}/${path}` }, null);
  open.push(connection);
  await until(() => connection.status === 'online' && (!login || connection.identity?.kind === 'member'), 'online');
  return { connection, path };
}

async function expertOf(topic: string): Promise<Connection> {
  const sub = `expert-${unique()}`;
  await makeExpert(sub, topic);
  return (await onHostPage({ sub, name: 'Dr. Lee' })).connection;
}

async function started(connection: Connection, topic: string): Promise<{ store: QuestionStore; changes: QuestionChange[] }> {
  const store = new QuestionStore(connection, topic);
  const changes: QuestionChange[] = [];
  store.subscribe((change) => {
    if (change.arrived.length || change.answered.length) changes.push(change);
  });
  store.start();
  await until(() => store.status === 'ready', 'the first page');
  return { store, changes };
}

const titles = (store: QuestionStore): string[] => store.questions.map((question) => question.title);

describe('QuestionStore against a real server', () => {
  it('watches the topic: a visitor is no expert, and there is no median yet', async () => {
    const { store } = await started(await connect(), newTopic());
    expect(store.expert).toBe(false);
    expect(store.tab).toBe('answered');
    expect(store.responseTime).toMatchObject({ medianMs: null, sample: 0 });
    expect(store.questions).toEqual([]);
  });

  it('asks: the question is in My questions with its visibility, and private ones reach nobody else', async () => {
    const topic = newTopic();
    const { store } = await started(await guest('Rosa'), topic);
    await store.setTab('mine');
    const asked = await store.ask({ title: '  How long  does swelling last?  ', details: 'Six weeks after surgery.', visibility: 'public' });
    expect(asked).toMatchObject({ title: 'How long does swelling last?', details: 'Six weeks after surgery.', visibility: 'public' });
    const hidden = await store.ask({ title: 'Is my scar supposed to itch?', visibility: 'private' });
    expect(titles(store)).toEqual(['Is my scar supposed to itch?', 'How long does swelling last?']);
    expect(hidden.visibility).toBe('private');

    const other = await started(await guest('Sam'), topic);
    await other.store.setTab('unanswered');
    expect(titles(other.store)).toEqual(['How long does swelling last?']);
  });

  it('refuses to ask without a name, as the server would', async () => {
    const { store } = await started(await connect(), newTopic());
    await expect(store.ask({ title: 'A question without a name', visibility: 'public' })).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('shows new questions live at the top of Unanswered and reports them as news', async () => {
    const topic = newTopic();
    const reader = await started(await connect(), topic);
    await reader.store.setTab('unanswered');
    const asker = await started(await guest('Rosa'), topic);
    await asker.store.ask({ title: 'First question about the knee', visibility: 'public' });
    await asker.store.ask({ title: 'Second question about the knee', visibility: 'public' });
    await until(() => reader.store.questions.length === 2, 'both questions live');
    expect(titles(reader.store)).toEqual(['Second question about the knee', 'First question about the knee']);
    expect(reader.changes.flatMap((change) => change.arrived.map((question) => question.title))).toEqual([
      'First question about the knee',
      'Second question about the knee',
    ]);
  });

  it('makes an expert’s view an inbox: oldest first, new ones at the end, private ones included; an answer takes a question out', async () => {
    const topic = newTopic();
    const asker = await started(await guest('Rosa'), topic);
    await asker.store.setTab('unanswered');
    const first = await asker.store.ask({ title: 'The oldest question here', visibility: 'public' });
    const expert = await started(await expertOf(topic), topic);
    expect(expert.store.expert).toBe(true);
    expect(expert.store.tab).toBe('inbox');
    expect(titles(expert.store)).toEqual(['The oldest question here']);

    const second = await asker.store.ask({ title: 'A private question for the expert', visibility: 'private' });
    await until(() => expert.store.questions.length === 2, 'the private question live in the inbox');
    expect(titles(expert.store)).toEqual(['The oldest question here', 'A private question for the expert']);
    expect(expert.changes.flatMap((change) => change.arrived.map((question) => question.id))).toEqual([second.id]);

    const { question, answer } = await expert.store.reply(first.id, 'Usually a few weeks.');
    expect(answer).toMatchObject({ body: 'Usually a few weeks.', expert: { credential: 'MD, Cardiology' } });
    expect(question.answeredAt).not.toBe(null);
    expect(titles(expert.store)).toEqual(['A private question for the expert']);

    // The asker: the answer arrives live, the question leaves Unanswered and is news.
    await until(() => !asker.store.questions.some((each) => each.id === first.id), 'the answered question to leave Unanswered');
    expect(asker.store.find(first.id)?.answers[0]).toMatchObject({ body: 'Usually a few weeks.', expert: { credential: 'MD, Cardiology' } });
    expect(asker.changes.flatMap((change) => change.answered.map((each) => each.id))).toEqual([first.id]);
    await asker.store.setTab('answered');
    expect(titles(asker.store)).toEqual(['The oldest question here']);
  });

  it('keeps the inbox for experts: anyone else asking for it is refused, and the store falls back to Answered', async () => {
    const { store } = await started(await guest('Rosa'), newTopic());
    await store.setTab('inbox');
    expect(store.tab).toBe('answered');
    expect(store.status).toBe('ready');
    await expect(store.connection.request('question:list', { topic: store.topic, tab: 'inbox' })).rejects.toMatchObject({
      code: 'NOT_AUTHORISED',
    });
  });

  it('marks answers: "This helped" from the asker, "Helpful" from others, and keeps `mine` across live changes', async () => {
    const topic = newTopic();
    const asker = await started(await guest('Rosa'), topic);
    const asked = await asker.store.ask({ title: 'Can I shower with the dressing on?', visibility: 'public' });
    const expert = await started(await expertOf(topic), topic);
    const { answer } = await expert.store.reply(asked.id, 'Yes, if it is a waterproof dressing.');

    const reader = await started(await guest('Sam'), topic);
    await until(() => reader.store.questions.length === 1, 'the answered question');
    const marked = await reader.store.markHelpful(answer.id, true);
    expect(marked.answers[0]).toMatchObject({ helpful: 1, mine: true, helpedAsker: false });

    await until(() => !!asker.store.find(asked.id)?.answers.length, 'the answer for the asker');
    const helped = await asker.store.markHelpful(answer.id, true);
    expect(helped.answers[0]).toMatchObject({ helpedAsker: true, helpful: 1 });
    // The asker's mark reaches the reader live, without the reader's own `mine`; the store keeps it.
    await until(() => reader.store.find(asked.id)?.answers[0]?.helpedAsker === true, 'the live change');
    expect(reader.store.find(asked.id)?.answers[0]?.mine).toBe(true);

    await expect(expert.store.markHelpful(answer.id, true)).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
  });

  it('lets the asker follow up, and nobody else reply', async () => {
    const topic = newTopic();
    const asker = await started(await guest('Rosa'), topic);
    const asked = await asker.store.ask({ title: 'When can I drive again?', visibility: 'public' });
    const { answer } = await asker.store.reply(asked.id, 'I have an automatic car, if that matters.');
    expect(answer).toMatchObject({ expert: null, body: 'I have an automatic car, if that matters.' });
    expect(asker.store.find(asked.id)?.answeredAt).toBe(null);
    const other = await started(await guest('Sam'), topic);
    await expect(other.store.reply(asked.id, 'Me too!')).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
  });

  it('finds similar answered questions, and none for too little text', async () => {
    const topic = newTopic();
    const asker = await started(await guest('Rosa'), topic);
    const asked = await asker.store.ask({ title: 'How long does swelling last after a knee replacement?', visibility: 'public' });
    const expert = await started(await expertOf(topic), topic);
    await expert.store.reply(asked.id, 'Swelling can last three to six months.');
    const typist = await started(await connect(), topic);
    expect(await typist.store.similar('swelling')).toEqual([]);
    const similar = await typist.store.similar('how long will the swelling last after my knee replacement');
    expect(similar).toEqual([expect.objectContaining({ id: asked.id, title: 'How long does swelling last after a knee replacement?' })]);
  });

  it('deletes the asker’s own question for everyone, and reports others’', async () => {
    const topic = newTopic();
    const asker = await started(await guest('Rosa'), topic);
    await asker.store.setTab('unanswered');
    const asked = await asker.store.ask({ title: 'A question I will take back', visibility: 'public' });
    const reader = await started(await guest('Sam'), topic);
    await reader.store.setTab('unanswered');
    expect(titles(reader.store)).toEqual(['A question I will take back']);
    expect(await reader.store.report(asked.id, 'spam', '  looks like spam  ')).toEqual({ hidden: false });
    expect(reader.store.hasReported(asked.id)).toBe(true);

    await asker.store.remove(asked.id);
    expect(asker.store.questions).toEqual([]);
    await until(() => reader.store.questions.length === 0, 'the deletion live');
  });

  it('pages: "Load more" brings the next page without repeats', async () => {
    const topic = newTopic();
    const asker = await started(await guest('Rosa'), topic);
    for (let i = 1; i <= 21; i++) await asker.store.ask({ title: `Question number ${String(i).padStart(2, '0')}`, visibility: 'public' });
    const reader = await started(await connect(), topic);
    await reader.store.setTab('unanswered');
    expect(reader.store.questions).toHaveLength(20);
    expect(reader.store.nextCursor).not.toBe(null);
    const shown = await reader.store.loadMore();
    expect(shown).toHaveLength(1);
    expect(titles(reader.store).at(-1)).toBe('Question number 01');
    expect(reader.store.nextCursor).toBe(null);
  });

  it('after a reconnect, watches again and reloads what it missed', async () => {
    const topic = newTopic();
    const reader = await started(await connect(), topic);
    await reader.store.setTab('unanswered');
    reader.store.connection.socket.disconnect();
    await until(() => reader.store.connection.status === 'offline', 'offline');
    const asker = await started(await guest('Rosa'), topic);
    await asker.store.ask({ title: 'Asked while the reader was away', visibility: 'public' });
    reader.store.connection.socket.connect();
    await until(() => reader.store.questions.length === 1, 'the missed question');
    // Watching again: live changes keep coming.
    await asker.store.ask({ title: 'Asked after the reader came back', visibility: 'public' });
    await until(() => reader.store.questions.length === 2, 'the live question');
  });

  it('follows a change of viewer: signing in as an expert opens the inbox; a private question goes with the asker', async () => {
    const topic = newTopic();
    const asker = await started(await guest('Rosa'), topic);
    await asker.store.setTab('mine');
    const hidden = await asker.store.ask({ title: 'Only for me and the experts', visibility: 'private' });
    asker.store.connection.signOut();
    // At once, before the server answers again: what only the asker could see is gone.
    expect(asker.store.find(hidden.id)).toBe(undefined);
    expect(asker.store.tab).toBe('answered');
    await until(() => asker.store.status === 'ready', 'the signed-out view');
    expect(asker.store.questions).toEqual([]);

    const sub = `expert-${unique()}`;
    await makeExpert(sub, topic);
    const page = await onHostPage(null);
    const reader = await started(page.connection, topic);
    expect(reader.store.expert).toBe(false);
    // The clinician signs in on the hospital's site.
    logins.set(page.path, { sub, name: 'Dr. Lee' });
    await page.connection.hostAuth!.refresh();
    await until(() => reader.store.expert && reader.store.status === 'ready', 'the inbox');
    expect(reader.store.tab).toBe('inbox');
    expect(titles(reader.store)).toEqual(['Only for me and the experts']);
  });
});
