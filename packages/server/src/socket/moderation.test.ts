import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClientEvents, ModerationServerEvents, TopicEvent } from '@kindred/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { hostToken } from '../testing/host-tokens.js';
import { client, countRows, nextEvent, session, type TestClient } from '../testing/socket-client.js';
import { mailbox, type Mailbox } from '../testing/smtp-mailbox.js';
import { tempDir } from '../testing/temp-dir.js';

type Res<K extends keyof ClientEvents> = ClientEvents[K]['res'];
type ModEvent = ModerationServerEvents['mod:event'];
const TOPIC = 'knee-replacement';
const DEMO_SECRET = 'demo-secret-'.padEnd(40, 'x');

/** A loopback webhook receiver, as a hospital's paging system would be. */
async function webhookReceiver(): Promise<{ url: string; next(): Promise<{ headers: Record<string, unknown>; body: unknown }>; close(): Promise<void> }> {
  const waiting: Array<(hook: { headers: Record<string, unknown>; body: unknown }) => void> = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      res.writeHead(204).end();
      waiting.shift()?.({ headers: req.headers, body: JSON.parse(text) as unknown });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts/kindred`,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('moderation over socket.io and HTTP', () => {
  const dir = tempDir();
  let server: RunningServer;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let mail: Mailbox;
  const errors: unknown[][] = [];
  const clients: TestClient[] = [];
  let posts = 0;

  const open = (options: Parameters<typeof client>[1] = {}) => {
    const socket = client(server.url, options);
    clients.push(socket);
    return socket;
  };
  const guest = async (name: string) => {
    const socket = open();
    await session(socket);
    const signIn = await socket.ask<Res<'session:guest'>>('session:guest', { displayName: name });
    if (!signIn.ok) throw new Error(signIn.error.message);
    await socket.ask('topic:join', { topic: TOPIC });
    return { socket, user: signIn.data.user };
  };
  const memberToken = (sub: string, name: string) => hostToken(DEMO_SECRET, { sub, aud: 'demo', name });
  const member = async (sub: string, name: string) => {
    const socket = open({ auth: { hostToken: await memberToken(sub, name) } });
    const greeting = await session(socket);
    if (!greeting.user) throw new Error(`not signed in: ${greeting.reason}`);
    await socket.ask('topic:join', { topic: TOPIC });
    return { socket, user: greeting.user };
  };
  /** `demo-moderator` holds the moderator role on the demo site from the seed. */
  const moderator = () => member('demo-moderator', 'Dr Priya Patel');
  const post = (socket: TestClient, body: string) => socket.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: `c${++posts}`, body });
  const list = async (socket: TestClient) => {
    const answer = await socket.ask<Res<'thread:list'>>('thread:list', { topic: TOPIC, sort: 'oldest' });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data.posts;
  };
  const settings = async (socket: TestClient, changes: Record<string, unknown>) => {
    const answer = await socket.ask<Res<'mod:settings:set'>>('mod:settings:set', { settings: changes });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data.settings;
  };
  const modEvent = (socket: TestClient, type: ModEvent['type']) =>
    new Promise<ModEvent>((resolve) => {
      const listener = (event: ModEvent) => {
        if (event.type !== type) return;
        socket.off('mod:event', listener);
        resolve(event);
      };
      socket.on('mod:event', listener);
    });

  beforeAll(async () => {
    hook = await webhookReceiver();
    mail = await mailbox();
  });
  afterAll(async () => {
    await hook.close();
    await mail.close();
  });
  beforeEach(async () => {
    errors.length = 0;
    server = await startServer({
      port: 0,
      dbPath: dir.file('kindred.db'),
      demoSecret: DEMO_SECRET,
      smtpUrl: mail.url,
      smtpFrom: 'kindred@riverside.example',
      publicUrl: 'https://kindred.riverside.example',
      log: { info: () => {}, error: (...args: unknown[]) => void errors.push(args) },
    });
  });
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.disconnect();
    await server.close();
    dir.remove();
  });

  it("holds a guest's first post: only its author sees it, until a moderator approves it and it arrives live", async () => {
    const mod = await moderator();
    const maria = await guest('Maria');
    const tom = await guest('Tom');
    const added = modEvent(mod.socket, 'item.added');
    let tomHeard = 0;
    tom.socket.on('topic:event', () => tomHeard++);

    const created = await post(maria.socket, 'Hello, first time here');
    expect(created).toMatchObject({ ok: true, data: { post: { status: 'held', body: 'Hello, first time here' }, notices: ['held'] } });
    const postId = created.ok ? created.data.post.id : '';
    expect((await added).item).toMatchObject({ queue: 'held', reasons: ['new-member'], post: { id: postId, status: 'held' }, author: { name: 'Maria', standing: 'active', approvedPosts: 0, heldPosts: 1 } });
    expect(await list(tom.socket)).toEqual([]);
    expect(await list(maria.socket)).toMatchObject([{ id: postId, status: 'held' }]);
    const queue = await mod.socket.ask<Res<'mod:queue'>>('mod:queue', { queue: 'held', order: 'oldest' });
    expect(queue).toMatchObject({ ok: true, data: { counts: { held: 1, reported: 0, crisis: 0 }, items: [{ post: { id: postId } }], nextCursor: null } });
    expect(tomHeard).toBe(0);

    const live = nextEvent<TopicEvent>(tom.socket, 'topic:event');
    const resolved = modEvent(mod.socket, 'item.resolved');
    expect(await mod.socket.ask('mod:decide', { postId, action: 'approve' })).toMatchObject({ ok: true, data: { item: { post: { status: 'published' } } } });
    expect(await live).toMatchObject({ type: 'post.created', seq: 1, post: { id: postId, body: 'Hello, first time here' } });
    expect((await live).post.status).toBeUndefined();
    expect((await resolved).item.post.id).toBe(postId);
    // One approved post is all a guest needs by default.
    expect(await post(maria.socket, 'And a second one')).toMatchObject({ ok: true, data: { post: { body: 'And a second one' } } });
  });

  it('holds a crisis post at the top of the crisis queue, shows the author support, and alerts moderators live, by webhook and by email', async () => {
    const mod = await moderator();
    await settings(mod.socket, { alertWebhookUrl: hook.url, alertEmail: 'oncall@riverside.example', heldFirstPosts: { guest: 0, member: 0 } });
    const maria = await guest('Maria');
    await post(maria.socket, 'Is there a miracle cure for stiffness?');
    const alert = modEvent(mod.socket, 'alert');
    const webhook = hook.next();
    const email = mail.next();

    const body = `I can't do this anymore. I want to end my life tonight. My number is 555-201-3344. ${'Everything hurts and nobody listens. '.repeat(6)}`;
    const created = await post(maria.socket, body);
    expect(created).toMatchObject({ ok: true, data: { post: { status: 'held' }, notices: ['crisis', 'held'] } });
    const postId = created.ok ? created.data.post.id : '';
    expect((await alert).item).toMatchObject({ queue: 'crisis', reasons: expect.arrayContaining(['crisis', 'identifier']), post: { id: postId } });

    const urgent = await mod.socket.ask<Res<'mod:queue'>>('mod:queue', { queue: 'crisis', order: 'urgent' });
    expect(urgent.ok && urgent.data.items[0]?.post.id).toBe(postId);
    expect(urgent.ok && urgent.data.counts).toMatchObject({ crisis: 1, held: 1 });

    const received = await webhook;
    expect(received.headers['content-type']).toMatch(/application\/json/);
    expect(received.body).toEqual({
      type: 'kindred.crisis',
      site: { id: 'demo', name: 'Demo hospital' },
      topic: TOPIC,
      postId,
      language: 'en',
      excerpt: expect.stringMatching(/^I can't do this anymore\. I want to end my life tonight\. My number is \[phone number hidden\]\..*…$/),
      at: expect.any(String),
      consoleUrl: 'https://kindred.riverside.example/demo/admin/',
    });
    const payload = JSON.stringify(received.body);
    expect(payload).not.toContain('555-201-3344');
    expect(payload).not.toContain('Maria');
    expect((received.body as { excerpt: string }).excerpt.length).toBeLessThanOrEqual(121);

    const message = await email;
    expect(message.to).toEqual(['oncall@riverside.example']);
    expect(message.raw).toMatch(/Subject: Crisis post held for review on Demo hospital/);
    expect(message.raw).toContain('https://kindred.riverside.example/demo/admin/');
    expect(message.raw).not.toContain('555-201-3344');
    expect(errors).toEqual([]);
  });

  it('refuses a banned word, holds a suspect word, and holds or masks identifiers by site policy', async () => {
    const mod = await moderator();
    const maria = await member('demo-patient-1', 'Maria G.');
    const tom = await guest('Tom');
    const before = countRows(dir.file('kindred.db')).posts;
    expect(await post(maria.socket, 'Great casino bonus')).toEqual({
      ok: false,
      error: { code: 'BANNED_WORD', message: "This post contains words this community doesn't allow.", field: 'body' },
    });
    expect(countRows(dir.file('kindred.db')).posts).toBe(before);

    const suspect = await post(maria.socket, 'Has anyone tried a detox cleanse?');
    expect(suspect).toMatchObject({ ok: true, data: { post: { status: 'held' }, notices: ['held'] } });
    const held = await post(maria.socket, 'Call me on 555-201-3344 to talk');
    expect(held).toMatchObject({ ok: true, data: { post: { status: 'held', body: 'Call me on 555-201-3344 to talk' }, notices: ['held'] } });
    const queue = await mod.socket.ask<Res<'mod:queue'>>('mod:queue', { queue: 'held', order: 'oldest' });
    expect(queue.ok && queue.data.items.map((item) => [item.reasons, item.findings])).toEqual([
      [['suspect-word'], ['suspect word "detox cleanse"']],
      [['identifier'], ['phone number']],
    ]);

    await settings(mod.socket, { identifierPolicy: 'mask' });
    const live = nextEvent<TopicEvent>(tom.socket, 'topic:event');
    const masked = await post(maria.socket, 'Call me on 555-201-3344 to talk');
    expect(masked).toMatchObject({ ok: true, data: { post: { body: 'Call me on [phone number hidden] to talk' }, notices: ['masked'] } });
    expect(masked.ok && masked.data.post.status).toBeUndefined();
    expect((await live).post.body).toBe('Call me on [phone number hidden] to talk');
  });

  it('hides a post live once enough different people report it, and queues it for review', async () => {
    const mod = await moderator();
    await settings(mod.socket, { reportThreshold: 2 });
    const maria = await member('demo-patient-1', 'Maria G.');
    const reporters = [await guest('Tom'), await guest('Olga')];
    const viewer = await guest('Ann');
    const created = await post(maria.socket, 'Stop your blood thinners before surgery, doctors overreact');
    const postId = created.ok ? created.data.post.id : '';
    const added = modEvent(mod.socket, 'item.added');

    expect(await reporters[0]!.socket.ask('post:report', { postId, reason: 'medical-misinformation', note: 'Dangerous advice' })).toEqual({ ok: true, data: { hidden: false } });
    expect((await added).item).toMatchObject({ queue: 'reported', reports: [{ reason: 'medical-misinformation', count: 1, notes: ['Dangerous advice'] }] });
    // One report per person: a repeat counts for nothing.
    expect(await reporters[0]!.socket.ask('post:report', { postId, reason: 'spam' })).toEqual({ ok: true, data: { hidden: false } });
    expect(await maria.socket.ask('post:report', { postId, reason: 'spam' })).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } });
    expect(await open().ask('post:report', { postId, reason: 'spam' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });

    const gone = nextEvent<TopicEvent>(viewer.socket, 'topic:event');
    expect(await reporters[1]!.socket.ask('post:report', { postId, reason: 'medical-misinformation' })).toEqual({ ok: true, data: { hidden: true } });
    expect(await gone).toMatchObject({ type: 'post.deleted', post: { id: postId, deleted: true, body: '' } });
    expect(await list(viewer.socket)).toEqual([]);
    expect(await list(maria.socket)).toMatchObject([{ id: postId, status: 'held' }]);
    const queue = await mod.socket.ask<Res<'mod:queue'>>('mod:queue', { queue: 'reported', order: 'urgent' });
    expect(queue.ok && queue.data.items[0]).toMatchObject({ post: { id: postId, body: expect.stringContaining('blood thinners') }, reasons: ['reports'] });

    const removed = await mod.socket.ask('mod:decide', { postId, action: 'remove', reason: 'Stopping blood thinners needs your surgeon' });
    expect(removed).toMatchObject({ ok: true, data: { item: { post: { status: 'removed' } } } });
    expect(await list(maria.socket)).toMatchObject([{ id: postId, status: 'removed', moderationReason: 'Stopping blood thinners needs your surgeon' }]);
    expect(await list(viewer.socket)).toEqual([]);
  });

  it('stops a banned member posting at once on the connection they have open, and lets them post again when reinstated', async () => {
    const mod = await moderator();
    const maria = await member('demo-patient-1', 'Maria G.');
    expect(await post(maria.socket, 'Before')).toMatchObject({ ok: true });
    const ban = await mod.socket.ask<Res<'mod:member'>>('mod:member', { userId: maria.user.id, action: 'ban', reason: 'Repeated spam' });
    expect(ban).toEqual({ ok: true, data: { standing: 'banned' } });
    expect(await post(maria.socket, 'After')).toMatchObject({ ok: false, error: { code: 'BANNED', message: expect.stringMatching(/can still read/) } });
    expect(await maria.socket.ask('post:report', { postId: 'x', reason: 'spam' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await list(maria.socket)).toHaveLength(1);
    await mod.socket.ask('mod:member', { userId: maria.user.id, action: 'suspend', days: 3, reason: 'Cooling off' });
    expect(await post(maria.socket, 'Suspended')).toMatchObject({ ok: false, error: { code: 'SUSPENDED' } });
    await mod.socket.ask('mod:member', { userId: maria.user.id, action: 'reinstate', reason: 'Appeal accepted' });
    expect(await post(maria.socket, 'Back')).toMatchObject({ ok: true });
    expect(await mod.socket.ask('mod:member', { userId: mod.user.id, action: 'ban', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } });
  });

  it('refuses every moderator event to people who are not moderators, and sends them no mod:event', async () => {
    const maria = await member('demo-patient-1', 'Maria G.');
    const tom = await guest('Tom');
    const anonymous = open();
    await session(anonymous);
    let heard = 0;
    for (const socket of [maria.socket, tom.socket, anonymous]) socket.on('mod:event', () => heard++);
    const requests: Array<[string, unknown]> = [
      ['mod:queue', { queue: 'held', order: 'oldest' }],
      ['mod:decide', { postId: 'p1', action: 'approve' }],
      ['mod:member', { userId: tom.user.id, action: 'ban', reason: 'x' }],
      ['mod:settings:get', {}],
      ['mod:settings:set', { settings: { reportThreshold: 1 } }],
      ['mod:audit', {}],
    ];
    for (const socket of [maria.socket, tom.socket, anonymous]) {
      for (const [event, payload] of requests) {
        expect(await socket.ask(event, payload), event).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } });
      }
    }
    await post(tom.socket, 'A held first post');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toBe(0);
  });

  it('records every action with before and after, and exports the filtered log as safe CSV to moderators only', async () => {
    const mod = await moderator();
    await settings(mod.socket, { reportThreshold: 5 });
    const tom = await guest('Tom');
    const created = await post(tom.socket, 'Click here for cheap meds');
    const postId = created.ok ? created.data.post.id : '';
    const reason = '=HYPERLINK("https://evil.example"), "spam", sorry';
    expect(await mod.socket.ask('mod:decide', { postId, action: 'reject', reason })).toMatchObject({ ok: true });

    const audit = await mod.socket.ask<Res<'mod:audit'>>('mod:audit', {});
    expect(audit.ok && audit.data.entries).toMatchObject([
      { action: 'reject', actor: { name: 'Dr Priya Patel' }, target: { kind: 'post', id: postId }, reason, before: { status: 'held' }, after: { status: 'rejected', reason } },
      { action: 'settings', target: { kind: 'site', id: 'demo' }, before: { reportThreshold: 3 }, after: { reportThreshold: 5 } },
    ]);
    const onlyRejects = await mod.socket.ask<Res<'mod:audit'>>('mod:audit', { action: 'reject' });
    expect(onlyRejects.ok && onlyRejects.data.entries).toHaveLength(1);

    const csvUrl = `${server.url}/api/sites/demo/audit.csv?action=reject`;
    const response = await fetch(csvUrl, { headers: { Authorization: `Bearer ${await memberToken('demo-moderator', 'Dr Priya Patel')}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="kindred-audit-demo.csv"');
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe('at,actor_id,actor_name,action,target_kind,target_id,reason,before,after');
    expect(lines[1]).toContain(`,reject,post,${postId},"'=HYPERLINK(""https://evil.example""), ""spam"", sorry",`);
    expect(lines[1]).toContain('"{""status"":""held""}"');
    expect(lines).toHaveLength(3);

    expect((await fetch(csvUrl)).status).toBe(401);
    const patient = await fetch(csvUrl, { headers: { Authorization: `Bearer ${await memberToken('demo-patient-1', 'Maria G.')}` } });
    expect(patient.status).toBe(403);
    expect(await patient.json()).toMatchObject({ error: { code: 'NOT_AUTHORISED' } });
  });

  it('round-trips settings, refuses invalid ones, and gives the session its crisis resources', async () => {
    const mod = await moderator();
    const current = await mod.socket.ask<Res<'mod:settings:get'>>('mod:settings:get', {});
    expect(current.ok && current.data.settings).toMatchObject({ heldFirstPosts: { guest: 1, member: 0 }, reportThreshold: 3, identifierPolicy: 'hold', alertWebhookUrl: null });
    const resources = { call: '111', text: null, chatUrl: 'https://www.samaritans.org/chat', emergency: '999' };
    const saved = await settings(mod.socket, { suspectWords: ['  Miracle   Cure ', 'miracle cure', 'Detox'], crisisResources: resources });
    expect(saved).toMatchObject({ suspectWords: ['miracle cure', 'detox'], crisisResources: resources });
    expect(await mod.socket.ask('mod:settings:get', {})).toMatchObject({ ok: true, data: { settings: saved } });
    expect(await mod.socket.ask('mod:settings:set', { settings: { alertWebhookUrl: 'http://alerts.example/hook' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', field: 'alertWebhookUrl' },
    });
    expect(await mod.socket.ask('mod:settings:set', { settings: { reportThreshold: 0 } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await mod.socket.ask('mod:settings:set', { settings: { surprise: true } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await session(open())).site?.crisisResources).toEqual(resources);
  });
});
