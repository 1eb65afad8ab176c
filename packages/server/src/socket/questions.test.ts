import type { ClientEvents, QuestionServerEvents } from '@kindred/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { hostToken } from '../testing/host-tokens.js';
import { client, countRows, ok, session, type TestClient } from '../testing/socket-client.js';
import { mailbox, type Mailbox } from '../testing/smtp-mailbox.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';

type Res<K extends keyof ClientEvents> = ClientEvents[K]['res'];
type QaEvent = QuestionServerEvents['qa:event'];
const TOPIC = 'knee-replacement';
const DEMO_SECRET = 'demo-secret-'.padEnd(40, 'x');
/** The demo site's seeded expert of TOPIC shows this on the badge. */
const CREDENTIAL = 'MD, Orthopaedic Surgery';

describe('ask an expert over socket.io', () => {
  const dir = tempDir();
  let server: RunningServer;
  let mail: Mailbox;
  const clients: TestClient[] = [];
  let ids = 0;

  const open = (options: Parameters<typeof client>[1] = {}) => {
    const socket = client(server.url, options);
    clients.push(socket);
    return socket;
  };
  const guest = async (name: string) => {
    const socket = open();
    await session(socket);
    const { user } = ok(await socket.ask<Res<'session:guest'>>('session:guest', { displayName: name }));
    return { socket, user };
  };
  const member = async (sub: string, name: string) => {
    const socket = open({ auth: { hostToken: await hostToken(DEMO_SECRET, { sub, aud: 'demo', name }) } });
    const greeting = await session(socket);
    if (!greeting.user) throw new Error(`not signed in: ${greeting.reason}`);
    return { socket, user: greeting.user };
  };
  /** `demo-expert` is seeded as the expert of TOPIC, `demo-moderator` as the site's moderator. */
  const expert = () => member('demo-expert', 'Dr. Alex Morgan');
  const moderator = () => member('demo-moderator', 'Dr Priya Patel');

  const watch = async (socket: TestClient) => ok(await socket.ask<Res<'question:watch'>>('question:watch', { topic: TOPIC }));
  const askQuestion = (socket: TestClient, fields: Record<string, unknown> = {}) =>
    socket.ask<Res<'question:ask'>>('question:ask', {
      topic: TOPIC,
      clientId: `q${++ids}`,
      title: 'Is swelling normal two weeks after surgery?',
      visibility: 'public',
      ...fields,
    });
  const reply = (socket: TestClient, questionId: string, body: string) =>
    socket.ask<Res<'question:reply'>>('question:reply', { questionId, clientId: `r${++ids}`, body });
  const list = async (socket: TestClient, tab: string) => ok(await socket.ask<Res<'question:list'>>('question:list', { topic: TOPIC, tab })).questions;
  const listedIds = async (socket: TestClient, tab: string) => (await list(socket, tab)).map((question) => question.id);
  /** Every `qa:event` the socket receives from now on, in order. */
  const heard = (socket: TestClient) => {
    const events: QaEvent[] = [];
    socket.on('qa:event', (event: QaEvent) => events.push(event));
    return events;
  };
  const about = (event: QaEvent) => (event.type === 'question.changed' ? event.question.id : event.questionId);
  const changed = (questionId: string) => (event: QaEvent) => event.type === 'question.changed' && event.question.id === questionId;
  const removed = (questionId: string) => (event: QaEvent) => event.type === 'question.removed' && event.questionId === questionId;
  /** The first event in `events` that matches, once it has arrived. */
  const arrived = async (events: QaEvent[], match: (event: QaEvent) => boolean, timeoutMs = 5_000): Promise<QaEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such qa:event within ${timeoutMs} ms; heard ${JSON.stringify(events.map(about))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeAll(async () => {
    mail = await mailbox();
  });
  afterAll(() => mail.close());
  beforeEach(async () => {
    server = await startServer({
      port: 0,
      dbPath: dir.file('kindred.db'),
      demoSecret: DEMO_SECRET,
      demoHeldFirstPosts: { guest: 0, member: 0 },
      smtpUrl: mail.url,
      smtpFrom: 'kindred@riverside.example',
      // Every client here shares one address; these tests are not about rate limits.
      rateLimits: { posts: { points: 100, durationSec: 60 }, postsPerAddress: { points: 1000, durationSec: 60 } },
      log: silentLog,
    });
  });
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.disconnect();
    await server.close();
    dir.remove();
  });

  it("sends a private question live to the topic's expert only, and the expert's answer back to the asker", async () => {
    const dr = await expert();
    const maria = await guest('Maria');
    const tom = await guest('Tom');
    expect(dr.user.expertTopics).toEqual([TOPIC]);
    for (const person of [dr, maria, tom]) await watch(person.socket);
    const drHeard = heard(dr.socket);
    const mariaHeard = heard(maria.socket);
    const tomHeard = heard(tom.socket);

    const title = 'Can I kneel on my new knee yet?';
    const asked = ok(await askQuestion(maria.socket, { title, details: 'It is six weeks since the operation.', visibility: 'private' }));
    const questionId = asked.question.id;
    expect(asked.question).toMatchObject({ visibility: 'private', title, details: 'It is six weeks since the operation.', answeredAt: null, answers: [], notifying: false });
    expect(await arrived(drHeard, changed(questionId))).toEqual({ type: 'question.changed', topic: TOPIC, question: expect.objectContaining({ id: questionId, title, visibility: 'private' }) });

    // Tom hears nothing of it: the first question event he gets is a later public one.
    const later = ok(await askQuestion(maria.socket, { title: 'How long should I use the walker?' })).question;
    expect(await arrived(tomHeard, changed(later.id))).toMatchObject({ type: 'question.changed', question: { title: 'How long should I use the walker?' } });
    expect(tomHeard.map(about)).toEqual([later.id]);
    expect(await listedIds(tom.socket, 'unanswered')).toEqual([later.id]);
    expect(await listedIds(maria.socket, 'unanswered')).toEqual([later.id, questionId]);
    expect(await listedIds(dr.socket, 'inbox')).toEqual([questionId, later.id]);
    expect(await reply(tom.socket, questionId, 'Same question here, following.')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const body = 'Kneeling is usually comfortable from about three months; start on a cushion.';
    const answered = ok(await reply(dr.socket, questionId, body));
    expect(answered.answer).toMatchObject({ body, expert: { credential: CREDENTIAL }, author: { name: 'Dr. Alex Morgan', kind: 'member' } });
    const event = await arrived(mariaHeard, (heardEvent) => heardEvent.type === 'question.changed' && heardEvent.question.id === questionId && heardEvent.question.answers.length > 0);
    expect(event).toMatchObject({
      type: 'question.changed',
      question: { id: questionId, answeredAt: expect.any(String), answers: [{ id: answered.answer.id, body, expert: { credential: CREDENTIAL } }] },
    });
    expect(await listedIds(dr.socket, 'inbox')).toEqual([later.id]);
    expect(await listedIds(maria.socket, 'unanswered')).toEqual([later.id]);
    expect(await listedIds(maria.socket, 'answered')).toEqual([questionId]);
    expect(await listedIds(tom.socket, 'answered')).toEqual([]);
    expect(await tom.socket.ask('answer:helpful', { answerId: answered.answer.id, on: true })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await tom.socket.ask('answer:helpful', { answerId: questionId, on: true })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The asker's "This helped" reaches them; Tom still hears nothing of the private question.
    const helped = ok(await maria.socket.ask<Res<'answer:helpful'>>('answer:helpful', { answerId: answered.answer.id, on: true }));
    expect(helped.question.answers[0]).toMatchObject({ helpedAsker: true });
    const last = ok(await askQuestion(maria.socket, { title: 'When can I drive after surgery?' })).question;
    await arrived(tomHeard, changed(last.id));
    expect(tomHeard.map(about)).toEqual([later.id, last.id]);
  });

  it("lets only the topic's experts and the asker reply, keeps the inbox for experts, and reports the response time", async () => {
    const dr = await expert();
    const maria = await guest('Maria');
    const tom = await guest('Tom');
    const anonymous = open();
    await session(anonymous);
    const none = { medianMs: null, sample: 0, windowDays: 90 };
    expect(await watch(dr.socket)).toEqual({ expert: true, responseTime: none });
    expect(await watch(tom.socket)).toEqual({ expert: false, responseTime: none });
    expect(await watch(anonymous)).toEqual({ expert: false, responseTime: none });

    const question = ok(await askQuestion(maria.socket)).question;
    expect(await reply(tom.socket, question.id, 'Mine was swollen for a month.')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } });
    expect(await reply(anonymous, question.id, 'Mine too.')).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    const followUp = ok(await reply(maria.socket, question.id, 'It is also warm to the touch.'));
    expect(followUp.answer.expert).toBeNull();
    expect(followUp.question.answeredAt).toBeNull();
    for (const socket of [tom.socket, maria.socket, anonymous]) {
      expect(await socket.ask('question:list', { topic: TOPIC, tab: 'inbox' })).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } });
    }
    expect(await listedIds(dr.socket, 'inbox')).toEqual([question.id]);

    const answered = ok(await reply(dr.socket, question.id, 'Some warmth is normal; call us if it is red or you have a fever.'));
    expect(answered.question.answeredAt).toEqual(expect.any(String));
    // Expert answers come first, then the asker's follow-ups.
    expect(answered.question.answers.map((answer) => answer.expert?.credential ?? null)).toEqual([CREDENTIAL, null]);
    expect(await watch(tom.socket)).toEqual({ expert: false, responseTime: { medianMs: null, sample: 1, windowDays: 90 } });

    // The median is shown once five questions were answered.
    for (let i = 0; i < 4; i++) {
      const next = ok(await askQuestion(maria.socket, { title: `Question number ${i} about the recovery` })).question;
      ok(await reply(dr.socket, next.id, 'That is expected at this stage.'));
    }
    const { responseTime } = await watch(tom.socket);
    expect(responseTime).toMatchObject({ sample: 5, windowDays: 90 });
    expect(responseTime.medianMs).toBeGreaterThanOrEqual(0);
  });

  it('tells watchers a public question is gone when its asker deletes it', async () => {
    const maria = await guest('Maria');
    const tom = await guest('Tom');
    await watch(tom.socket);
    const tomHeard = heard(tom.socket);
    const question = ok(await askQuestion(maria.socket)).question;
    await arrived(tomHeard, changed(question.id));
    expect(await tom.socket.ask('post:delete', { postId: question.id })).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORISED' } });

    expect(await maria.socket.ask('post:delete', { postId: question.id })).toMatchObject({ ok: true });
    expect(await arrived(tomHeard, removed(question.id))).toEqual({ type: 'question.removed', topic: TOPIC, questionId: question.id });
    expect(await list(tom.socket, 'unanswered')).toEqual([]);
    expect(await list(maria.socket, 'mine')).toEqual([]);
    expect(await reply(maria.socket, question.id, 'One more thing')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('never mentions a deleted private question to people who could not see it', async () => {
    const dr = await expert();
    const maria = await guest('Maria');
    const tom = await guest('Tom');
    await watch(dr.socket);
    await watch(tom.socket);
    const [drHeard, tomHeard] = [heard(dr.socket), heard(tom.socket)];
    const question = ok(await askQuestion(maria.socket, { visibility: 'private' })).question;
    await arrived(drHeard, changed(question.id));

    ok(await maria.socket.ask('post:delete', { postId: question.id }));
    expect(await arrived(drHeard, removed(question.id))).toEqual({ type: 'question.removed', topic: TOPIC, questionId: question.id });
    const later = ok(await askQuestion(maria.socket, { title: 'A later public question about the knee' })).question;
    await arrived(tomHeard, changed(later.id));
    expect(tomHeard.map(about)).toEqual([later.id]);
  });

  it("holds a guest's first question for review and sends it live once a moderator approves it", async () => {
    const mod = await moderator();
    ok(await mod.socket.ask('mod:settings:set', { settings: { heldFirstPosts: { guest: 1, member: 0 } } }));
    const maria = await guest('Maria');
    const tom = await guest('Tom');
    await watch(tom.socket);
    const tomHeard = heard(tom.socket);

    const title = 'Is clicking in the new knee normal?';
    const asked = await askQuestion(maria.socket, { title });
    expect(asked).toMatchObject({ ok: true, data: { question: { title, status: 'held' }, notices: ['held'] } });
    const questionId = ok(asked).question.id;
    expect(await list(tom.socket, 'unanswered')).toEqual([]);
    expect(await list(maria.socket, 'mine')).toMatchObject([{ id: questionId, status: 'held' }]);
    const queue = ok(await mod.socket.ask<Res<'mod:queue'>>('mod:queue', { queue: 'held', order: 'oldest' }));
    expect(queue.items.map((item) => item.post.id)).toEqual([questionId]);

    ok(await mod.socket.ask('mod:decide', { postId: questionId, action: 'approve' }));
    const event = await arrived(tomHeard, changed(questionId));
    expect(event).toMatchObject({ type: 'question.changed', topic: TOPIC, question: { id: questionId, title } });
    expect(event.type === 'question.changed' && event.question.status).toBeUndefined();
    expect(tomHeard.map(about)).toEqual([questionId]);
    expect(await listedIds(tom.socket, 'unanswered')).toEqual([questionId]);
  });

  it('refuses malformed questions with INVALID_INPUT, writes nothing, and keeps answering', async () => {
    const maria = await guest('Maria');
    const before = countRows(dir.file('kindred.db')).posts;
    const malformed: Array<[string, Record<string, unknown>, string | undefined]> = [
      ['an unknown visibility', { visibility: 'secret' }, 'visibility'],
      ['a five-character title', { title: 'Knee?' }, 'title'],
      ['notify without consent', { notify: { email: 'maria@example.org', consent: false } }, 'notify.consent'],
      ['notify with consent left out', { notify: { email: 'maria@example.org' } }, 'notify.consent'],
      ['notify with no address', { notify: { email: 'maria at home', consent: true } }, 'notify.email'],
      ['a control character in the title', { title: 'Is this\u0007 normal after surgery?' }, 'title'],
      ['a page that is not a web page', { page: 'javascript:alert(1)' }, 'page'],
      ['an unknown field', { priority: 'urgent' }, undefined],
    ];
    for (const [what, fields, field] of malformed) {
      const answer = await askQuestion(maria.socket, fields);
      expect(answer, what).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (field) expect(!answer.ok && answer.error.field, what).toBe(field);
    }
    expect(await maria.socket.ask('question:reply', { questionId: 'q', clientId: 'c' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'body' } });
    expect(await maria.socket.ask('question:list', { topic: TOPIC, tab: 'everything' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'tab' } });
    expect(await maria.socket.ask('question:list', { topic: TOPIC, tab: 'answered', cursor: 'not-ours' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'cursor' } });
    expect(countRows(dir.file('kindred.db')).posts).toBe(before);

    // A title typed over several lines is kept as one line.
    const collapsed = await askQuestion(maria.socket, { title: '  How long until\n\nI can   drive again?  ' });
    expect(collapsed).toMatchObject({ ok: true, data: { question: { title: 'How long until I can drive again?', details: '' } } });
    expect(await list(maria.socket, 'mine')).toMatchObject([{ title: 'How long until I can drive again?' }]);
  });

  it('emails the asker once after an expert answers, with the page link and without the question, and nobody who did not ask', async () => {
    const dr = await expert();
    const maria = await guest('Maria');
    const tom = await guest('Tom');
    const ann = await guest('Ann');
    const quiet = ok(await askQuestion(tom.socket, { title: 'Tom asks without an email' })).question;
    ok(await reply(dr.socket, quiet.id, 'An answer nobody is emailed about.'));

    const page = `${server.url}/demo/knee-replacement.html?tab=questions`;
    const title = 'Can I fly four weeks after my knee replacement?';
    const details = 'I have a long-haul trip to see my grandchildren.';
    const asked = ok(await askQuestion(maria.socket, { title, details, visibility: 'private', notify: { email: 'maria@example.org', consent: true }, page }));
    expect(asked.question.notifying).toBe(true);
    const answerBody = 'Flying is usually fine after four weeks; wear compression stockings.';
    ok(await reply(dr.socket, asked.question.id, answerBody));

    const message = await mail.next();
    expect(message.to).toEqual(['maria@example.org']);
    expect(message.raw).toMatch(/Subject: A clinician answered your question on Demo hospital/);
    expect(message.text).toContain(`Read the answer: ${page}`);
    // Neither in the headers nor in the body as a reader sees it.
    for (const secret of [title, 'long-haul', 'grandchildren', 'compression stockings', 'Maria']) expect(`${message.raw}\n${message.text}`).not.toContain(secret);
    expect((await list(maria.socket, 'mine')).find((question) => question.id === asked.question.id)?.notifying).toBe(false);

    // More replies send nothing more: the next email is the one about Ann's question (whose page is not on the site).
    ok(await reply(dr.socket, asked.question.id, 'And walk the aisle every hour.'));
    ok(await reply(maria.socket, asked.question.id, 'Thank you!'));
    const annQuestion = ok(await askQuestion(ann.socket, { notify: { email: 'ann@example.org', consent: true }, page: 'https://evil.example/knee' })).question;
    ok(await reply(dr.socket, annQuestion.id, 'Swelling for a few weeks is common.'));
    const next = await mail.next();
    expect(next.to).toEqual(['ann@example.org']);
    expect(next.text).not.toContain('evil.example');
    expect(next.text).toContain('go back to the page where you asked');
  });
});
