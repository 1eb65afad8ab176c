import type { Identity, IntroductionServerEvents, IntroductionView, ProfileTopic } from '@kindred/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture.js';
import type { Caller } from './caller.js';
import { checkedCommunity, parseOption } from './communities.js';
import { memberIdentity } from './identity.js';
import { RoundSchedule } from './round-schedule.js';

const SITE = 'riverside';
const COMMUNITY = 'joint-replacement';
const DAY = 24 * 60 * 60 * 1000;
type Person = Caller & { user: Identity };
type IntroEvent = IntroductionServerEvents['intro:event'];

describe('introductions', () => {
  let f: ServiceFixture;
  let clientIds = 0;

  beforeEach(async () => {
    f = await serviceFixture();
    await f.store.saveCommunity(
      checkedCommunity({
        siteId: SITE,
        id: COMMUNITY,
        name: 'Joint replacement',
        topics: ['knee-replacement=Knee replacement', 'hip-replacement=Hip replacement', 'rare-condition=A rare condition'].map(parseOption),
        stages: ['before-surgery=Waiting for surgery', 'after-surgery=Recovering after surgery'].map(parseOption),
        languages: ['en', 'es'],
        roundEveryHours: null,
      }),
      f.clock.now.toISOString(),
    );
  });
  afterEach(() => f.dispose());

  const join = (person: Caller, fields: { topics?: ProfileTopic[]; about?: string; role?: 'patient' | 'caregiver' | 'mentor'; wants?: 'peer' | 'mentor'; languages?: string[] } = {}) =>
    f.introductions.join(person, {
      community: COMMUNITY,
      clientId: `j${++clientIds}`,
      role: fields.role ?? 'patient',
      wants: fields.wants ?? 'peer',
      topics: fields.topics ?? [{ id: 'knee-replacement', stage: 'after-surgery' }],
      languages: fields.languages ?? ['en'],
      about: fields.about ?? '',
      consent: true,
    });
  const round = () => f.rounds.run(SITE, COMMUNITY, 'admin');
  const pending = async (person: Person) => (await f.introductions.state(person, { community: COMMUNITY })).introductions;
  const eventsFor = (person: Person) => f.introEvents.filter((entry) => entry.userId === person.user.id).map((entry) => entry.event);
  const changedView = (events: IntroEvent[]) => events.filter((event) => event.type === 'introduction.changed').map((event) => event.introduction);
  const pairsOf = (introductions: { members: { userId: string }[] }[]) => introductions.map((intro) => intro.members.map((member) => member.userId).sort().join('+')).sort();
  const pair = (a: Person, b: Person) => [a.user.id, b.user.id].sort().join('+');
  const send = (person: Caller, introductionId: string, body: string) => f.introductions.send(person, { introductionId, clientId: `m${++clientIds}`, body });

  /** Four members: Ana and Ben after knee surgery, Cy and Dee waiting for hip surgery. */
  async function fourMembers(): Promise<[Person, Person, Person, Person]> {
    const people = await Promise.all(['Ana', 'Ben', 'Cy', 'Dee'].map((name) => f.guest(name)));
    const [ana, ben, cy, dee] = people as [Person, Person, Person, Person];
    await join(ana, { about: 'Knee done in May, walking again.' });
    await join(ben, { about: 'Six weeks after my new knee.' });
    await join(cy, { topics: [{ id: 'hip-replacement', stage: 'before-surgery' }] });
    await join(dee, { topics: [{ id: 'hip-replacement', stage: 'before-surgery' }] });
    return [ana, ben, cy, dee];
  }

  it('shows the community to anyone, and a profile and introductions only to their member', async () => {
    const state = await f.introductions.state({ siteId: SITE, user: null }, { community: COMMUNITY });
    expect(state).toMatchObject({ community: { id: COMMUNITY, name: 'Joint replacement', languages: ['en', 'es'], nextRoundAt: null }, profile: null, introductions: [] });
    await expect(f.introductions.state({ siteId: SITE, user: null }, { community: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'community' });
    await expect(join({ siteId: SITE, user: null })).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    const ana = await f.guest('Ana');
    const { profile } = await join(ana, { about: 'Hello from Ana' });
    expect(profile).toMatchObject({ role: 'patient', topics: [{ id: 'knee-replacement', stage: 'after-surgery' }], about: 'Hello from Ana', aboutStatus: 'published', paused: false });
    expect((await f.introductions.state(ana, { community: COMMUNITY })).profile).toEqual(profile);
  });

  it("takes topics, stages and languages only from the community's lists", async () => {
    const ana = await f.guest('Ana');
    await expect(join(ana, { topics: [{ id: 'cardiology' }] })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'topics.0.id' });
    await expect(join(ana, { topics: [{ id: 'hip-replacement', stage: 'someday' }] })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'topics.0.stage' });
    await expect(join(ana, { languages: ['en', 'fr'] })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'languages.1' });
    expect(await f.store.findProfile(SITE, COMMUNITY, ana.user.id)).toBeNull();
  });

  it('proposes pairs with reasons, and tells each member only their own view', async () => {
    const [ana, ben, cy, dee] = await fourMembers();
    const { round: stats, introductions } = await round();
    expect(stats).toMatchObject({ members: 4, pairs: 2, trigger: 'admin' });
    expect(pairsOf(introductions)).toEqual([pair(ana, ben), pair(cy, dee)].sort());
    await f.introductions.announceProposals(introductions);
    const [seen] = changedView(eventsFor(ana));
    expect(seen).toMatchObject({
      status: 'proposed',
      other: { id: ben.user.id, name: 'Ben', role: 'patient', about: 'Six weeks after my new knee.' },
      mentor: null,
    });
    expect(seen!.reasons).toEqual(expect.arrayContaining([{ kind: 'shared-topic', topic: 'knee-replacement', stage: 'after-surgery' }, { kind: 'shared-language', language: 'en' }]));
    expect(await pending(ana)).toEqual([seen]);
    // At most one pending introduction each: a second round proposes nothing to anyone.
    expect((await round()).introductions).toEqual([]);
  });

  it('connects a pair only when both accept, and never shows the first yes to the other', async () => {
    const [ana, ben] = await fourMembers();
    const { introductions } = await round();
    const intro = introductions.find((candidate) => pairsOf([candidate])[0] === pair(ana, ben))!;
    f.introEvents.length = 0;
    const first = await f.introductions.answer(ana, { introductionId: intro.id, accept: true });
    expect(first.introduction).toMatchObject({ status: 'waiting' });
    expect(eventsFor(ben)).toEqual([]);
    expect((await pending(ben))[0]).toMatchObject({ status: 'proposed' });
    await expect(send(ana, intro.id, 'Hi Ben!')).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
    const second = await f.introductions.answer(ben, { introductionId: intro.id, accept: true });
    expect(second.introduction).toMatchObject({ status: 'connected', other: { name: 'Ana' } });
    expect(changedView(eventsFor(ana)).at(-1)).toMatchObject({ status: 'connected', other: { name: 'Ben' } });
    await expect(f.introductions.answer(ben, { introductionId: intro.id, accept: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('removes a declined proposal for both, telling the other only that it is gone', async () => {
    const [, , cy, dee] = await fourMembers();
    const { introductions } = await round();
    const intro = introductions.find((candidate) => pairsOf([candidate])[0] === pair(cy, dee))!;
    f.introEvents.length = 0;
    expect(await f.introductions.answer(cy, { introductionId: intro.id, accept: false })).toEqual({ introduction: null });
    expect(eventsFor(dee)).toEqual([{ type: 'introduction.removed', community: COMMUNITY, introductionId: intro.id }]);
    expect(await pending(dee)).toEqual([]);
    expect(await pending(cy)).toEqual([]);
    await expect(f.introductions.answer(dee, { introductionId: intro.id, accept: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // They are matchable again, but never with each other.
    expect((await round()).introductions).toEqual([]);
  });

  it('never proposes a past pair or a blocked one, even after the blocked member leaves and comes back', async () => {
    const [ana, ben, cy, dee] = await fourMembers();
    const first = await round();
    for (const intro of first.introductions) {
      for (const member of intro.members) await f.introductions.answer({ siteId: SITE, user: { id: member.userId, name: member.name, kind: 'guest' } }, { introductionId: intro.id, accept: true });
    }
    const anaBen = first.introductions.find((candidate) => pairsOf([candidate])[0] === pair(ana, ben))!;
    expect((await f.introductions.block(ana, { introductionId: anaBen.id })).introduction).toMatchObject({ status: 'ended' });
    await expect(send(ben, anaBen.id, 'Still there?')).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
    // Everyone on knee and hip now, so any pair shares a topic; the past pairs and the block rule them out.
    for (const person of [ana, ben, cy, dee]) await join(person, { topics: [{ id: 'knee-replacement' }, { id: 'hip-replacement' }] });
    const second = await round();
    expect(second.introductions).toHaveLength(2);
    for (const taken of [pair(ana, ben), pair(cy, dee)]) expect(pairsOf(second.introductions)).not.toContain(taken);
    // Ben leaves (his history goes) and joins again: Ana's block still stands.
    await f.introductions.leave(ben, { community: COMMUNITY });
    await join(ben, { topics: [{ id: 'knee-replacement' }] });
    // Ben's pending introduction went with his history; the other one is declined, so all four are free again.
    const other = second.introductions.find((intro) => !intro.members.some((member) => member.userId === ben.user.id))!;
    const [decliner] = other.members;
    await f.introductions.answer({ siteId: SITE, user: { id: decliner.userId, name: decliner.name, kind: 'guest' } }, { introductionId: other.id, accept: false });
    const third = await round();
    expect(third.round.members).toBe(4);
    expect(third.introductions).toHaveLength(2);
    expect(pairsOf(third.introductions)).not.toContain(pair(ana, ben));
  });

  it('exchanges messages through the safety pipeline: a held message reaches the other member only once approved', async () => {
    const [ana, ben] = await fourMembers();
    const intro = await connected(ana, ben);
    f.introEvents.length = 0;
    const { message } = await send(ana, intro.id, 'How is the swelling?');
    expect(message).toMatchObject({ mine: true, body: 'How is the swelling?', authorName: 'Ana' });
    expect(eventsFor(ben)).toEqual([{ type: 'message.changed', introductionId: intro.id, message: { ...message, mine: false } }]);
    expect((await f.introductions.messages(ben, { introductionId: intro.id })).messages.map((m) => m.body)).toEqual(['How is the swelling?']);
    const stranger = await f.guest('Eve');
    await expect(f.introductions.messages(stranger, { introductionId: intro.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(send(stranger, intro.id, 'Hello?')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A crisis message is held for a moderator; the other member sees nothing until it is approved.
    f.introEvents.length = 0;
    const held = await send(ben, intro.id, 'Some nights I want to end my life');
    expect(held.message.status).toBe('held');
    expect(held.notices).toContain('crisis');
    expect(eventsFor(ana)).toEqual([]);
    expect((await f.introductions.messages(ana, { introductionId: intro.id })).messages.map((m) => m.body)).toEqual(['How is the swelling?']);
    expect(f.modEvents.some(({ event }) => event.type === 'item.added' && event.item.post.id === held.message.id)).toBe(true);
    await f.moderation.decide(await moderator(), { postId: held.message.id, action: 'approve' });
    await until(() => eventsFor(ana).some((event) => event.type === 'message.changed' && event.message.id === held.message.id));
  });

  it('lets only the other member of a conversation report its messages', async () => {
    const [ana, ben] = await fourMembers();
    const intro = await connected(ana, ben);
    const { message } = await send(ana, intro.id, 'Message me on my phone instead');
    const stranger = await f.guest('Eve');
    await expect(f.moderation.report(stranger, { postId: message.id, reason: 'spam' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await f.moderation.report(ben, { postId: message.id, reason: 'spam' })).toEqual({ hidden: false });
    expect(await f.store.openReports(message.id)).toHaveLength(1);
  });

  it('holds an about-me with crisis language out of rounds until a moderator approves it, and tells its author', async () => {
    const [ana, ben] = [await f.guest('Ana'), await f.guest('Ben')];
    await join(ana);
    const { profile, notices } = await join(ben, { about: 'I feel hopeless and want to die since the surgery' });
    expect(profile.aboutStatus).toBe('held');
    expect(notices).toContain('held');
    expect((await round()).introductions).toEqual([]);
    const item = f.modEvents.find(({ event }) => event.type === 'item.added')!;
    if (item.event.type !== 'item.added') throw new Error('no queue item');
    await f.moderation.decide(await moderator(), { postId: item.event.item.post.id, action: 'approve' });
    await until(() => eventsFor(ben).some((event) => event.type === 'profile.changed' && event.profile.aboutStatus === 'published'));
    expect(pairsOf((await round()).introductions)).toEqual([pair(ana, ben)]);
  });

  it('leaves paused members out of rounds until they resume', async () => {
    const [ana, ben] = [await f.guest('Ana'), await f.guest('Ben')];
    await join(ana);
    await join(ben);
    expect((await f.introductions.pause(ben, { community: COMMUNITY, paused: true })).profile.paused).toBe(true);
    expect((await round()).introductions).toEqual([]);
    await f.introductions.pause(ben, { community: COMMUNITY, paused: false });
    expect((await round()).introductions).toHaveLength(1);
    await expect(f.introductions.pause(await f.guest('Eve'), { community: COMMUNITY, paused: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deletes the profile, the about-me and the conversations on leave, and tells the other member', async () => {
    const [ana, ben] = await fourMembers();
    const intro = await connected(ana, ben);
    const { message } = await send(ana, intro.id, 'My surgeon was Dr Rao at St Anne');
    const aboutId = (await f.store.findProfile(SITE, COMMUNITY, ana.user.id))!.about!.id;
    f.introEvents.length = 0;
    expect(await f.introductions.leave(ana, { community: COMMUNITY })).toEqual({});
    expect(eventsFor(ben)).toEqual([{ type: 'introduction.removed', community: COMMUNITY, introductionId: intro.id }]);
    expect(await f.store.findProfile(SITE, COMMUNITY, ana.user.id)).toBeNull();
    expect((await f.store.findPost(message.id))!.body).toBe('');
    expect((await f.store.findPost(aboutId))!.body).toBe('');
    expect(await pending(ben)).toEqual([]);
    await expect(f.introductions.messages(ben, { introductionId: intro.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await f.introductions.leave(ana, { community: COMMUNITY })).toEqual({});
  });

  it('lets an unanswered proposal lapse after a week, so both can be matched again', async () => {
    const [ana, ben, cy] = [await f.guest('Ana'), await f.guest('Ben'), await f.guest('Cy')];
    for (const person of [ana, ben]) await join(person);
    const { introductions } = await round();
    expect(introductions).toHaveLength(1);
    await join(cy);
    f.clock.advance(7 * DAY);
    expect(await pending(ana)).toEqual([]);
    const next = await round();
    expect(next.expired.map((intro) => intro.id)).toEqual([introductions[0]!.id]);
    expect(next.introductions).toHaveLength(1);
    expect(pairsOf(next.introductions)).not.toContain(pair(ana, ben));
  });

  it('offers a mentor to those who asked for one, and says who the mentor is', async () => {
    const [sam, kim] = [await f.guest('Sam'), await f.guest('Kim')];
    await join(sam, { role: 'mentor', about: 'Two knees replaced, happy to help.' });
    await join(kim, { wants: 'mentor', topics: [{ id: 'knee-replacement', stage: 'before-surgery' }] });
    const { introductions } = await round();
    await f.introductions.announceProposals(introductions);
    expect(changedView(eventsFor(kim))[0]).toMatchObject({ mentor: 'other', other: { name: 'Sam', role: 'mentor' } });
    expect(changedView(eventsFor(sam))[0]).toMatchObject({ mentor: 'me', other: { name: 'Kim', role: 'patient' } });
  });

  it('runs a scheduled round once when it falls due, and tells its members once, however often it looks', async () => {
    const hourly = await f.store.saveCommunity({ ...(await f.store.findCommunity(SITE, COMMUNITY))!, roundEveryHours: 1 }, f.clock.now.toISOString());
    expect(hourly.nextRoundAt).toBe(new Date(f.clock.now.getTime() + 3_600_000).toISOString());
    const [ana, ben] = [await f.guest('Ana'), await f.guest('Ben')];
    await join(ana);
    await join(ben);
    const schedule = new RoundSchedule({ store: f.store, rounds: f.rounds, introductions: f.introductions, now: () => f.clock.now, log: { error: () => {} }, pollMs: 60_000 });
    await schedule.start();
    try {
      expect(await schedule.runDueRounds()).toBe(0);
      f.clock.advance(3_600_000);
      f.introEvents.length = 0;
      const [first, second] = await Promise.all([schedule.runDueRounds(), schedule.runDueRounds()]);
      expect(first + second).toBe(1);
      await schedule.announceNewRounds();
      expect(changedView(eventsFor(ana))).toHaveLength(1);
      expect(changedView(eventsFor(ben))).toHaveLength(1);
      expect((await f.store.listRounds(SITE, COMMUNITY, 5)).map((r) => r.trigger)).toEqual(['schedule']);
      expect((await f.store.findCommunity(SITE, COMMUNITY))!.nextRoundAt).toBe(new Date(f.clock.now.getTime() + 3_600_000).toISOString());
    } finally {
      schedule.stop();
    }
  });

  /** Runs a round and has both accept the introduction of `a` and `b`. */
  async function connected(a: Person, b: Person): Promise<IntroductionView> {
    const { introductions } = await round();
    const intro = introductions.find((candidate) => pairsOf([candidate])[0] === pair(a, b))!;
    await f.introductions.answer(a, { introductionId: intro.id, accept: true });
    return (await f.introductions.answer(b, { introductionId: intro.id, accept: true })).introduction!;
  }

  async function moderator(): Promise<Person> {
    const at = f.clock.now.toISOString();
    const user = await f.store.upsertMember({ siteId: SITE, externalId: 'ehr-mod', displayName: 'Dr Lee', at });
    await f.store.grantRole({ siteId: SITE, externalId: 'ehr-mod', role: 'moderator', topic: '' }, at);
    return { siteId: SITE, user: memberIdentity(user, [{ role: 'moderator', topic: '' }]) };
  }
});

/** Changes made elsewhere reach the service asynchronously (through `publish`). */
async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the expected event did not come');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
