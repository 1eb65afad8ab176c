import type { Identity } from '@kindred/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../errors.js';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture.js';
import { mailbox, type Mailbox } from '../testing/smtp-mailbox.js';
import type { Caller } from './caller.js';
import { ExpertService } from './experts.js';
import { canSeeQuestion, median, splitQuestionText } from './question-view.js';
import { searchTerms, sharedTerms } from './question-search.js';

const TOPIC = 'cardiology';
const HOUR = 60 * 60 * 1000;
let clientIds = 0;
const clientId = () => `q${++clientIds}`;

describe('questions', () => {
  let f: ServiceFixture;
  let mail: Mailbox;
  let experts: ExpertService;

  beforeAll(async () => {
    mail = await mailbox();
  });
  afterAll(async () => {
    await mail.close();
  });
  beforeEach(async () => {
    f = await serviceFixture({ smtpUrl: mail.url });
    experts = new ExpertService({ store: f.store, sites: f.sites, now: () => f.clock.now });
    await f.store.updateSite('riverside', { origins: ['https://www.riverside.example'] });
  });
  afterEach(async () => {
    await f.dispose();
  });

  /** A host-site member the admin made an expert of `topic`, as their session would describe them. */
  async function expert(name: string, topic = TOPIC): Promise<Caller & { user: Identity }> {
    const externalId = name.toLowerCase().replace(/\W+/g, '-');
    await experts.add({ siteId: 'riverside', externalId, topic, credential: 'MD, Cardiology', npi: '1234567893' });
    const user = await f.store.upsertMember({ siteId: 'riverside', externalId, displayName: name, at: f.clock.now.toISOString() });
    return { siteId: 'riverside', user: { id: user.id, name, kind: 'member', roles: ['member', 'expert'], expertTopics: [topic] } };
  }

  const ask = (caller: Caller, title: string, fields: Partial<Parameters<ServiceFixture['questions']['ask']>[1]> = {}) =>
    f.questions.ask(caller, { topic: TOPIC, clientId: clientId(), title, visibility: 'public', ...fields });
  const answer = (caller: Caller, questionId: string, body: string) => f.questions.reply(caller, { questionId, clientId: clientId(), body });
  const list = async (caller: Caller, tab: 'answered' | 'unanswered' | 'mine' | 'inbox') =>
    (await f.questions.list(caller, { topic: TOPIC, tab })).questions.map((question) => question.title);
  const anonymous: Caller = { siteId: 'riverside', user: null };

  async function refusal(work: Promise<unknown>): Promise<string> {
    const error = await work.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ServiceError);
    return (error as ServiceError).code;
  }

  describe('visibility', () => {
    it('shows a private question only to its asker and the topic’s experts, in lists, replies, marks and the relay', async () => {
      const ana = await f.guest('Ana');
      const ben = await f.guest('Ben');
      const drKim = await expert('Dr Kim');
      const drLee = await expert('Dr Lee', 'dermatology');
      const { question } = await ask(ana, 'Is it normal to feel my heart skip after the ablation?', { visibility: 'private' });
      await ask(ben, 'How long before I can drive after a stent?');

      expect(await list(ana, 'unanswered')).toContain('Is it normal to feel my heart skip after the ablation?');
      expect(await list(drKim, 'inbox')).toContain('Is it normal to feel my heart skip after the ablation?');
      for (const other of [ben, drLee, anonymous]) {
        expect(await list(other, 'unanswered')).toEqual(['How long before I can drive after a stent?']);
      }
      expect(await refusal(f.questions.list(drLee, { topic: TOPIC, tab: 'inbox' }))).toBe('NOT_AUTHORISED');
      expect(await refusal(answer(ben, question.id, 'I had that too.'))).toBe('NOT_FOUND');

      const answered = await answer(drKim, question.id, 'Extra beats are common for a few weeks after an ablation; tell your team if they last.');
      expect(answered.answer.expert).toEqual({ credential: 'MD, Cardiology' });
      expect(await refusal(f.questions.markHelpful(ben, { answerId: answered.answer.id, on: true }))).toBe('NOT_FOUND');

      const record = (await f.store.findQuestion(question.id))!;
      expect([ana, drKim, ben, drLee].map((caller) => canSeeQuestion(record, caller.user))).toEqual([true, true, false, false]);
      // The relay got the question (it picks the viewers per connection with the same rule).
      expect(f.relayed.map(({ question: relayed }) => relayed.post.id)).toContain(question.id);
    });

    it('lets only the topic’s experts answer and the asker follow up; a question answered by an expert leaves Unanswered for everyone', async () => {
      const ana = await f.guest('Ana');
      const ben = await f.guest('Ben');
      const drKim = await expert('Dr Kim');
      const { question } = await ask(ana, 'Should I stop aspirin before a dental extraction?', { details: 'I take 81 mg a day.' });
      expect(await refusal(answer(ben, question.id, 'Ask your dentist.'))).toBe('NOT_AUTHORISED');
      expect(await refusal(answer(await expert('Dr Lee', 'dermatology'), question.id, 'Probably not.'))).toBe('NOT_AUTHORISED');

      const followUp = await answer(ana, question.id, 'The extraction is next Tuesday.');
      expect(followUp.answer.expert).toBeNull();
      expect(followUp.question.answeredAt).toBeNull();
      expect(await list(ben, 'unanswered')).toEqual(['Should I stop aspirin before a dental extraction?']);

      const { question: view } = await answer(drKim, question.id, 'Usually no: low-dose aspirin is continued for most extractions. Check with the prescriber.');
      expect(view.answeredAt).not.toBeNull();
      // The expert's answer comes first, then the asker's follow-up.
      expect(view.answers.map((reply) => reply.expert !== null)).toEqual([true, false]);
      expect(splitQuestionText('Title\n\nDetails\n\nMore')).toEqual({ title: 'Title', details: 'Details\n\nMore' });
      expect(view.details).toBe('I take 81 mg a day.');
      expect(await list(ben, 'unanswered')).toEqual([]);
      expect(await list(ben, 'answered')).toEqual(['Should I stop aspirin before a dental extraction?']);
      expect(await list(drKim, 'inbox')).toEqual([]);
    });

    it('holds a guest’s first question for review, shows it in My questions only, and publishes it when a moderator approves', async () => {
      await f.store.updateSite('riverside', { moderation: { heldFirstPosts: { guest: 1, member: 0 } } });
      const ana = await f.guest('Ana');
      const drKim = await expert('Dr Kim');
      const asked = await ask(ana, 'What is a normal resting heart rate on beta blockers?');
      expect(asked.notices).toEqual(['held']);
      expect(asked.question.status).toBe('held');
      expect(await list(ana, 'mine')).toEqual(['What is a normal resting heart rate on beta blockers?']);
      expect(await list(ana, 'unanswered')).toEqual([]);
      expect(await list(drKim, 'inbox')).toEqual([]);
      expect(f.modEvents.at(-1)?.event).toMatchObject({ type: 'item.added' });

      const moderator = await f.store.upsertMember({ siteId: 'riverside', externalId: 'mod', displayName: 'Mo', at: f.clock.now.toISOString() });
      await f.store.grantRole({ siteId: 'riverside', externalId: 'mod', role: 'moderator', topic: '' }, f.clock.now.toISOString());
      await f.moderation.decide(
        { siteId: 'riverside', user: { id: moderator.id, name: 'Mo', kind: 'member', roles: ['member', 'moderator'] } },
        { postId: asked.question.id, action: 'approve' },
      );
      await expect.poll(() => f.relayed.some(({ question }) => question.post.id === asked.question.id && question.post.status === 'published')).toBe(true);
      expect(await list(drKim, 'inbox')).toEqual(['What is a normal resting heart rate on beta blockers?']);
    });

    it('publishes an expert answer without review even where first posts are held, but holds one that describes a real patient', async () => {
      await f.store.updateSite('riverside', { moderation: { heldFirstPosts: { guest: 0, member: 3 } } });
      const ana = await f.guest('Ana');
      const drKim = await expert('Dr Kim');
      const { question } = await ask(ana, 'Can I exercise with atrial fibrillation?');
      const plain = await answer(drKim, question.id, 'Most people with AF can exercise; start gently and build up.');
      expect(plain.answer.status).toBeUndefined();
      expect(plain.notices).toBeUndefined();

      const { question: second } = await ask(ana, 'Is a heart rate of 150 during exercise too high?');
      const disclosing = await answer(drKim, second.id, 'One of my patients, a 54-year-old man, ran marathons with it.');
      expect(disclosing.notices).toEqual(['held']);
      expect(disclosing.answer.status).toBe('held');
      const item = await f.store.moderationItem(disclosing.answer.id);
      expect(item).toMatchObject({ queue: 'held', reasons: ['disclosure'] });
      expect((await f.store.findQuestion(second.id))!.answeredAt).toBeNull();

      // The asker's own follow-ups take the normal path: a member's first posts wait here.
      const member = await f.store.upsertMember({ siteId: 'riverside', externalId: 'pat', displayName: 'Pat', at: f.clock.now.toISOString() });
      const pat: Caller = { siteId: 'riverside', user: { id: member.id, name: 'Pat', kind: 'member', roles: ['member'] } };
      const { question: third } = await ask(pat, 'Does caffeine trigger AF episodes?');
      expect(third.status).toBe('held');
    });

    it('takes "This helped" from the asker and "Helpful" from others, never from the answer’s author', async () => {
      const ana = await f.guest('Ana');
      const ben = await f.guest('Ben');
      const drKim = await expert('Dr Kim');
      const { question } = await ask(ana, 'When can I shower after a pacemaker implant?');
      const { answer: reply } = await answer(drKim, question.id, 'Usually after five days, keeping the dressing dry until then.');
      const helped = await f.questions.markHelpful(ana, { answerId: reply.id, on: true });
      expect(helped.question.answers[0]).toMatchObject({ helpedAsker: true, helpful: 0 });
      const marked = await f.questions.markHelpful(ben, { answerId: reply.id, on: true });
      expect(marked.question.answers[0]).toMatchObject({ helpedAsker: true, helpful: 1, mine: true });
      expect(await refusal(f.questions.markHelpful(drKim, { answerId: reply.id, on: true }))).toBe('NOT_AUTHORISED');
      expect(await refusal(f.questions.markHelpful(anonymous, { answerId: reply.id, on: true }))).toBe('NOT_SIGNED_IN');
    });
  });

  describe('response time', () => {
    it('is the median time to the first expert answer over the last 90 days, and unknown below five answered questions', async () => {
      const ana = await f.guest('Ana');
      const drKim = await expert('Dr Kim');
      const waits = [2, 30, 5, 9, 4, 3];
      const answerAfter = async (hours: number) => {
        const { question } = await ask(ana, `Question that waits ${hours} hours for an answer`);
        f.clock.advance(hours * HOUR);
        await answer(drKim, question.id, 'A general answer.');
      };
      // An old question, answered more than 90 days ago, does not count.
      await answerAfter(500);
      f.clock.advance(91 * 24 * HOUR);
      for (const hours of waits.slice(0, 4)) await answerAfter(hours);
      expect(await f.questions.responseTime('riverside', TOPIC)).toEqual({ medianMs: null, sample: 4, windowDays: 90 });
      for (const hours of waits.slice(4)) await answerAfter(hours);
      expect(await f.questions.responseTime('riverside', TOPIC)).toEqual({ medianMs: 4.5 * HOUR, sample: 6, windowDays: 90 });
      // A follow-up from the asker is not an answer.
      const { question } = await ask(ana, 'A question with only a follow-up so far');
      f.clock.advance(HOUR);
      await answer(ana, question.id, 'Anyone?');
      expect((await f.questions.responseTime('riverside', TOPIC)).sample).toBe(6);
      expect((await f.questions.watch(ana, { topic: TOPIC })).responseTime.medianMs).toBe(4.5 * HOUR);
    });

    it('computes a median of odd and even counts', () => {
      expect(median([])).toBeNull();
      expect(median([7])).toBe(7);
      expect(median([9, 1, 5])).toBe(5);
      expect(median([4, 1, 3, 2])).toBe(2.5);
    });
  });

  describe('answer notifications', () => {
    it('emails the asker once, only with consent, with the page link and without the question, then forgets the address', async () => {
      const ana = await f.guest('Ana');
      const drKim = await expert('Dr Kim');
      const { question } = await ask(ana, 'Is chest tightness after a stress test normal?', {
        details: 'My name is on the referral.',
        notify: { email: 'ana@example.org', consent: true },
        page: 'https://www.riverside.example/heart/questions',
      });
      expect(question.notifying).toBe(true);
      const received = mail.next();
      await answer(drKim, question.id, 'Mild tightness that settles within minutes is common; call 911 if it does not.');
      const message = await received;
      expect(message.to).toEqual(['ana@example.org']);
      expect(message.text).toContain('https://www.riverside.example/heart/questions');
      expect(message.text).not.toContain('chest tightness');
      expect(message.text).not.toContain('Mild tightness');
      expect((await f.store.findQuestion(question.id))!.notifying).toBe(false);

      // A second answer sends nothing more: the address is gone.
      await answer(drKim, question.id, 'One more thing: bring your results to your next visit.');
      const { question: other } = await ask(ana, 'Do I need to fast before an echocardiogram?', { notify: { email: 'ana@example.org', consent: true } });
      const next = mail.next();
      await answer(drKim, other.id, 'No fasting is needed for a standard echo.');
      expect((await next).text).toContain('go back to the page where you asked');
    });

    it('sends nothing to an asker who did not ask for email, and keeps no page from another origin', async () => {
      const ana = await f.guest('Ana');
      const drKim = await expert('Dr Kim');
      const { question } = await ask(ana, 'How soon can I fly after a heart attack?');
      await answer(drKim, question.id, 'Often after two to three weeks if you are stable; ask your cardiologist.');
      const { question: withEmail } = await ask(ana, 'Can I take ibuprofen with my blood thinner?', {
        notify: { email: 'ana@example.org', consent: true },
        page: 'https://evil.example/phish',
      });
      const received = mail.next();
      await answer(drKim, withEmail.id, 'Generally avoid it; ask your pharmacist about alternatives.');
      const message = await received;
      // Only the consented question's email arrives, and its link was dropped.
      expect(message.text).not.toContain('evil.example');
      expect(message.text).toContain('go back to the page where you asked');
      expect((await f.store.findQuestion(question.id))!.notifying).toBe(false);
    });
  });

  describe('similar questions', () => {
    it('offers answered public questions of the topic that share words with the draft, never private or unanswered ones', async () => {
      const ana = await f.guest('Ana');
      const drKim = await expert('Dr Kim');
      const answered = async (title: string, visibility: 'public' | 'private' = 'public') => {
        const { question } = await ask(ana, title, { visibility });
        await answer(drKim, question.id, `About ${title.toLowerCase()}: usually this settles within six weeks.`);
        return question.id;
      };
      const swollen = await answered('Why are my ankles swollen after heart surgery?');
      await answered('Are swollen ankles after heart surgery private worries?', 'private');
      await ask(ana, 'Swollen ankles after heart surgery: nobody answered yet');
      await answered('When can I return to work after bypass surgery?');

      const { questions } = await f.questions.similar(ana, { topic: TOPIC, text: 'ankle swelling since my heart operation' });
      expect(questions.map((question) => question.id)).toEqual([swollen]);
      expect(questions[0]!.excerpt).toMatch(/^About why are my ankles swollen/);
      expect((await f.questions.similar(ana, { topic: TOPIC, text: 'surgery' })).questions).toHaveLength(2);
      expect((await f.questions.similar(ana, { topic: TOPIC, text: 'the and of' })).questions).toEqual([]);
      expect((await f.questions.similar(ana, { topic: 'dermatology', text: 'swollen ankles heart surgery' })).questions).toEqual([]);
    });

    it('searches for the words that matter, folded, and matches them by their start', () => {
      expect(searchTerms('Why are my ÁNKLES swollen after the operation?')).toEqual(['ankles', 'swollen', 'operation']);
      expect(sharedTerms(['ankle', 'swelling', 'heart'], 'Swollen ankles after heart surgery')).toBe(2);
    });
  });

  describe('expert digest', () => {
    it('emails each expert the count of their topics’ questions waiting more than a day', async () => {
      const ana = await f.guest('Ana');
      await experts.add({ siteId: 'riverside', externalId: 'dr-kim', topic: TOPIC, credential: 'MD, Cardiology', email: 'kim@riverside.example' });
      await experts.add({ siteId: 'riverside', externalId: 'dr-lee', topic: 'dermatology', credential: 'MD, Dermatology', email: 'lee@riverside.example' });
      await ask(ana, 'Is a resting heart rate of 48 too low?');
      await ask(ana, 'Should I worry about palpitations at night?');
      f.clock.advance(25 * HOUR);
      await ask(ana, 'A question asked only an hour ago about my pulse');
      f.clock.advance(HOUR);
      const received = mail.next();
      const sent = await f.questionMail.sendDigests('riverside');
      expect(sent).toEqual([{ email: 'kim@riverside.example', topics: [{ topic: TOPIC, count: 2, oldestAt: expect.any(String) }] }]);
      const message = await received;
      expect(message.to).toEqual(['kim@riverside.example']);
      expect(message.text).toContain('cardiology: 2 (the oldest asked 26 hours ago)');
      expect(message.text).not.toContain('palpitations');
    });
  });

  describe('experts', () => {
    it('refuses an NPI that fails its check digit, keeps the profile on a re-run, and removes it whatever happened to the role', async () => {
      const add = (npi?: string) => experts.add({ siteId: 'riverside', externalId: 'dr-x', topic: TOPIC, credential: 'RN, Cardiac Care', ...(npi && { npi }) });
      expect(await refusal(add('1234567890'))).toBe('INVALID_INPUT');
      expect(await f.store.listExperts('riverside')).toEqual([]);
      await add('1245319599');
      expect(await f.store.rolesOf('riverside', 'dr-x')).toEqual([{ siteId: 'riverside', externalId: 'dr-x', role: 'expert', topic: TOPIC }]);
      // Running it again changes what is given and keeps what is not.
      await experts.add({ siteId: 'riverside', externalId: 'dr-x', topic: TOPIC, credential: 'RN, Heart Failure' });
      expect(await f.store.listExperts('riverside')).toMatchObject([{ credential: 'RN, Heart Failure', npi: '1245319599' }]);
      // The role may be taken away on its own first; removing the expert still removes the profile.
      await f.store.revokeRole({ siteId: 'riverside', externalId: 'dr-x', role: 'expert', topic: TOPIC });
      await experts.remove({ siteId: 'riverside', externalId: 'dr-x', topic: TOPIC });
      expect(await f.store.listExperts('riverside')).toEqual([]);
      expect(await f.store.rolesOf('riverside', 'dr-x')).toEqual([]);
    });
  });
});
