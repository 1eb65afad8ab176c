/**
 * The behaviour every Store must have for introductions (communities, profiles,
 * rounds, proposals, blocks, leaving). Runs against a real database, beside
 * `describeStoreContract`: `describeIntroductionContract('sqlite', makeSqliteStore)`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntroReason } from '@kindred/protocol';
import type { StoreFixture } from './store-contract.js';
import {
  ABOUT_TOPIC_PREFIX,
  INTRO_TOPIC_PREFIX,
  type CommunitySettings,
  type HoldRecord,
  type IntroductionRecord,
  type NewAuditEntry,
  type NewProfile,
  type PostRecord,
  type RoundRecord,
  type Store,
  type UserRecord,
} from './store.js';

const SITE = 'riverside';
const COMMUNITY = 'joint-replacement';
/** A second community on the same site: blocks apply site-wide, profiles and history are per community. */
const HEART = 'heart-failure';
const HOUR_MS = 60 * 60 * 1000;
const at = (hours: number) => new Date(Date.UTC(2026, 0, 1, 9) + hours * HOUR_MS).toISOString();
const REASONS: IntroReason[] = [
  { kind: 'shared-topic', topic: 'knee-replacement', stage: 'after-surgery' },
  { kind: 'shared-language', language: 'es' },
];

export function describeIntroductionContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store contract, introductions: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let maria: UserRecord;
    let tom: UserRecord;
    let clientIds = 0;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
      await store.migrate();
      await store.saveSite({ id: SITE, name: 'Riverside General', origins: [] }, at(0));
      await store.saveSite({ id: 'elsewhere', name: 'Elsewhere', origins: [] }, at(0));
      await store.saveCommunity(community(), at(0));
      maria = await person('Maria');
      tom = await person('Tom');
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    function community(fields: Partial<CommunitySettings> = {}): CommunitySettings {
      return {
        siteId: SITE,
        id: COMMUNITY,
        name: 'Joint replacement',
        topics: [
          { id: 'knee-replacement', label: 'Knee replacement' },
          { id: 'hip-replacement', label: 'Hip replacement' },
        ],
        stages: [{ id: 'after-surgery', label: 'Recovering after surgery' }],
        languages: ['en', 'es'],
        roundEveryHours: null,
        ...fields,
      };
    }
    const person = (displayName: string, siteId = SITE) => store.createUser({ siteId, kind: 'guest', externalId: null, displayName, createdAt: at(0) });
    const people = <const Names extends string[]>(...names: Names) =>
      Promise.all(names.map((displayName) => person(displayName))) as Promise<{ [K in keyof Names]: UserRecord }>;
    const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const ids = (records: { id: string }[]) => records.map((record) => record.id);
    const pair = (a: UserRecord, b: UserRecord): [string, string] => (a.id < b.id ? [a.id, b.id] : [b.id, a.id]);

    const join = (user: UserRecord, fields: Partial<NewProfile> = {}) =>
      store.saveProfile({
        siteId: SITE,
        community: COMMUNITY,
        userId: user.id,
        role: 'patient',
        wants: 'peer',
        topics: [{ id: 'knee-replacement', stage: 'after-surgery' }],
        languages: ['en'],
        aboutPostId: null,
        at: at(1),
        ...fields,
      });
    const post = async (author: UserRecord, topic: string, body: string, hold?: HoldRecord): Promise<PostRecord> =>
      (
        await store.createPost(
          {
            siteId: author.siteId,
            topic,
            clientId: `client-${++clientIds}`,
            authorId: author.id,
            parentId: null,
            rootId: null,
            depth: 0,
            replyToName: null,
            body,
            createdAt: at(1),
          },
          hold,
        )
      ).post;
    const about = (author: UserRecord, body: string, hold?: HoldRecord) => post(author, `${ABOUT_TOPIC_PREFIX}${COMMUNITY}`, body, hold);
    const message = (introduction: IntroductionRecord, author: UserRecord, body: string, hold?: HoldRecord) =>
      post(author, `${INTRO_TOPIC_PREFIX}${introduction.id}`, body, hold);
    const held = (): HoldRecord => ({ queue: 'held', reasons: ['new-member'], findings: [], urgency: 10, at: at(1) });
    const audit = (fields: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
      siteId: SITE,
      at: at(1),
      actor: { id: tom.id, name: 'Tom' },
      action: 'suspend',
      target: { kind: 'member', id: 'm' },
      reason: null,
      before: null,
      after: null,
      ...fields,
    });

    const roundOf = (fields: Partial<Omit<RoundRecord, 'n'>> = {}): Omit<RoundRecord, 'n'> => ({
      siteId: SITE,
      community: COMMUNITY,
      trigger: 'admin',
      startedAt: at(1),
      members: 2,
      candidateEdges: 1,
      pairs: 1,
      totalScore: 3.5,
      tookMs: 2,
      algorithm: 'exact',
      ...fields,
    });
    /** One round proposing each pair, started at `startedAt`, expiring at `expiresAt`. */
    const round = (pairs: [UserRecord, UserRecord][], fields: Partial<Omit<RoundRecord, 'n'>> & { expiresAt?: string } = {}) => {
      const { expiresAt = at(168), ...roundFields } = fields;
      return store.createRound(
        roundOf({ pairs: pairs.length, ...roundFields }),
        pairs.map(([a, b]) => ({ a: a.id, b: b.id, score: 3.5, reasons: REASONS, expiresAt })),
      );
    };
    const propose = async (a: UserRecord, b: UserRecord, fields: Parameters<typeof round>[1] = {}) => (await round([[a, b]], fields)).introductions[0]!;
    const answer = (introduction: IntroductionRecord, userId: string, accept: boolean, when = at(2)) =>
      store.answerIntroduction({ id: introduction.id, userId, accept, at: when });
    const connect = async (a: UserRecord, b: UserRecord, fields: Parameters<typeof round>[1] = {}) => {
      const introduction = await propose(a, b, fields);
      await answer(introduction, a.id, true);
      return (await answer(introduction, b.id, true))!;
    };
    const visibleTo = async (user: UserRecord, now: string, communityId = COMMUNITY) =>
      ids(await store.introductionsOf({ siteId: SITE, community: communityId, userId: user.id, now }));

    describe('communities', () => {
      it('saves a community, and sets the next round only when the schedule is new or changed', async () => {
        const created = await store.saveCommunity(community({ id: HEART, name: 'Heart failure', roundEveryHours: 168 }), at(0));
        expect(created).toEqual({
          siteId: SITE,
          id: HEART,
          name: 'Heart failure',
          topics: community().topics,
          stages: community().stages,
          languages: ['en', 'es'],
          roundEveryHours: 168,
          nextRoundAt: at(168),
          createdAt: at(0),
        });
        expect(await store.findCommunity(SITE, HEART)).toEqual(created);

        // New labels, same schedule: the next round stays where it was.
        const topics = [{ id: 'heart-failure', label: 'Living with heart failure' }];
        const relabelled = await store.saveCommunity(community({ id: HEART, name: 'Heart', topics, stages: [], languages: ['en'], roundEveryHours: 168 }), at(5));
        expect(relabelled).toEqual({ ...created, name: 'Heart', topics, stages: [], languages: ['en'] });

        expect((await store.saveCommunity(community({ id: HEART, roundEveryHours: 24 }), at(10))).nextRoundAt).toBe(at(34));
        expect(await store.saveCommunity(community({ id: HEART, roundEveryHours: null }), at(11))).toMatchObject({ roundEveryHours: null, nextRoundAt: null });
        expect((await store.saveCommunity(community({ id: HEART, roundEveryHours: 24 }), at(12))).nextRoundAt).toBe(at(36));
        expect(await store.findCommunity(SITE, 'missing')).toBeNull();
        expect(await store.findCommunity('elsewhere', HEART)).toBeNull();
      });

      it('lists communities by site then id, of one site or of all', async () => {
        await store.saveCommunity(community({ id: HEART }), at(0));
        await store.saveCommunity(community({ id: 'asthma' }), at(0));
        await store.saveCommunity(community({ siteId: 'elsewhere', id: 'zoster' }), at(0));
        const listed = (communities: { siteId: string; id: string }[]) => communities.map((entry) => `${entry.siteId}/${entry.id}`);
        expect(listed(await store.listCommunities())).toEqual(['elsewhere/zoster', 'riverside/asthma', 'riverside/heart-failure', 'riverside/joint-replacement']);
        expect(listed(await store.listCommunities(SITE))).toEqual(['riverside/asthma', 'riverside/heart-failure', 'riverside/joint-replacement']);
        expect(await store.listCommunities('nowhere')).toEqual([]);
      });

      it('hands a due scheduled round to exactly one claimant, and moves the schedule on from the claim', async () => {
        await store.saveCommunity(community({ roundEveryHours: 24 }), at(0));
        const claim = (now: string, siteId = SITE, id = COMMUNITY) => store.claimScheduledRound(siteId, id, now);
        const next = async () => (await store.findCommunity(SITE, COMMUNITY))?.nextRoundAt;

        expect(await claim(at(23))).toBe(false);
        expect(await next()).toBe(at(24));
        const claims = await Promise.all([claim(at(30)), claim(at(30)), claim(at(30))]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await next()).toBe(at(54));
        expect(await claim(at(53))).toBe(false);
        // Due at exactly the scheduled moment.
        expect(await claim(at(54))).toBe(true);

        await store.saveCommunity(community({ roundEveryHours: null }), at(60));
        expect(await claim(at(1000))).toBe(false);
        expect(await claim(at(1000), SITE, 'missing')).toBe(false);
        expect(await claim(at(1000), 'elsewhere')).toBe(false);
      });
    });

    describe('profiles', () => {
      it("saves a profile with the member's name and about-me, and keeps when they joined and their pause across edits", async () => {
        const aboutMe = await about(maria, 'New knee in March, walking again.');
        const saved = await join(maria, { aboutPostId: aboutMe.id, at: at(1) });
        expect(saved).toEqual({
          siteId: SITE,
          community: COMMUNITY,
          userId: maria.id,
          name: 'Maria',
          role: 'patient',
          wants: 'peer',
          topics: [{ id: 'knee-replacement', stage: 'after-surgery' }],
          languages: ['en'],
          about: aboutMe,
          pausedAt: null,
          joinedAt: at(1),
          updatedAt: at(1),
        });

        const paused = await store.setProfilePaused({ siteId: SITE, community: COMMUNITY, userId: maria.id, pausedAt: at(2), at: at(2) });
        expect(paused).toMatchObject({ pausedAt: at(2), updatedAt: at(2), joinedAt: at(1) });
        const edited = await join(maria, { role: 'caregiver', wants: 'mentor', topics: [{ id: 'hip-replacement' }], languages: ['es', 'en'], at: at(3) });
        expect(edited).toEqual({
          ...saved,
          role: 'caregiver',
          wants: 'mentor',
          topics: [{ id: 'hip-replacement' }],
          languages: ['es', 'en'],
          about: null,
          pausedAt: at(2),
          joinedAt: at(1),
          updatedAt: at(3),
        });
        const resumed = await store.setProfilePaused({ siteId: SITE, community: COMMUNITY, userId: maria.id, pausedAt: null, at: at(4) });
        expect(resumed).toMatchObject({ pausedAt: null, updatedAt: at(4) });
        expect(await store.findProfile(SITE, COMMUNITY, maria.id)).toEqual(resumed);

        expect(await store.findProfile(SITE, COMMUNITY, tom.id)).toBeNull();
        expect(await store.findProfile(SITE, HEART, maria.id)).toBeNull();
        expect(await store.setProfilePaused({ siteId: SITE, community: COMMUNITY, userId: tom.id, pausedAt: at(5), at: at(5) })).toBeNull();
        expect(await store.findProfile(SITE, COMMUNITY, tom.id)).toBeNull();
      });

      it('names a member by their current display name', async () => {
        const lee = await store.upsertMember({ siteId: SITE, externalId: 'ehr-7', displayName: 'Lee', at: at(0) });
        await join(lee);
        await store.upsertMember({ siteId: SITE, externalId: 'ehr-7', displayName: 'Lee R.', at: at(2) });
        expect((await store.findProfile(SITE, COMMUNITY, lee.id))?.name).toBe('Lee R.');
        expect((await propose(lee, maria)).members.find((member) => member.userId === lee.id)?.name).toBe('Lee R.');
      });

      it('matches only unpaused members in good standing, with a readable about-me or none, and no proposal waiting', async () => {
        const [plain, withAbout, paused, heldAbout, rejectedAbout, deletedAbout] = await people('Plain', 'Writer', 'Paused', 'Held', 'Rejected', 'Deleted');
        const [pendingA, pendingB, lapsedA, lapsedB, connectedA, connectedB] = await people('PendingA', 'PendingB', 'LapsedA', 'LapsedB', 'ConnectedA', 'ConnectedB');
        const [banned, suspended, suspensionOver, suspendedIndefinitely] = await people('Banned', 'Suspended', 'Served', 'Indefinite');
        const now = at(10);

        const readable = await about(withAbout, 'Hip done last year.');
        await join(withAbout, { aboutPostId: readable.id });
        await join(heldAbout, { aboutPostId: (await about(heldAbout, 'Waiting for review', held())).id });
        const rejected = await about(rejectedAbout, 'Buy my supplements', held());
        await store.takeDownPost({ postId: rejected.id, status: 'rejected', reason: 'Advertising', at: at(2) }, audit({ action: 'reject', target: { kind: 'post', id: rejected.id } }));
        await join(rejectedAbout, { aboutPostId: rejected.id });
        const deleted = await about(deletedAbout, 'Changed my mind');
        await store.deletePost({ postId: deleted.id, deletedAt: at(2) });
        await join(deletedAbout, { aboutPostId: deleted.id });
        for (const user of [plain, paused, pendingA, pendingB, lapsedA, lapsedB, connectedA, connectedB, banned, suspended, suspensionOver, suspendedIndefinitely]) {
          await join(user);
        }
        await store.setProfilePaused({ siteId: SITE, community: COMMUNITY, userId: paused.id, pausedAt: at(2), at: at(2) });
        await propose(pendingA, pendingB, { expiresAt: at(11) });
        // Lapsed but not yet marked expired: the time, not the state, decides.
        await propose(lapsedA, lapsedB, { expiresAt: now });
        await connect(connectedA, connectedB);
        const standing = (user: UserRecord, change: { standing: 'banned' | 'suspended'; until: string | null }) =>
          store.setStanding({ userId: user.id, reason: 'x', at: at(1), ...change }, audit({ target: { kind: 'member', id: user.id } }));
        await standing(banned, { standing: 'banned', until: null });
        await standing(suspended, { standing: 'suspended', until: at(11) });
        await standing(suspensionOver, { standing: 'suspended', until: now });
        await standing(suspendedIndefinitely, { standing: 'suspended', until: null });
        // A profile in another community is not this community's business.
        await store.saveCommunity(community({ id: HEART }), at(0));
        await join(maria, { community: HEART });

        const matchable = await store.matchableProfiles(SITE, COMMUNITY, now);
        const expected = [plain, withAbout, lapsedA, lapsedB, connectedA, connectedB, suspensionOver].map((user) => user.id).sort(byId);
        expect(matchable.map((profile) => profile.userId)).toEqual(expected);
        expect(matchable.find((profile) => profile.userId === withAbout.id)).toMatchObject({ name: 'Writer', about: readable });
        expect(matchable.find((profile) => profile.userId === plain.id)?.about).toBeNull();
        // Once the suspension ends and the proposal lapses, they are back.
        const later = (await store.matchableProfiles(SITE, COMMUNITY, at(11))).map((profile) => profile.userId);
        expect(later).toEqual(expect.arrayContaining([pendingA.id, pendingB.id, suspended.id]));
        expect(later).not.toContain(suspendedIndefinitely.id);
        expect(await store.matchableProfiles(SITE, 'missing', now)).toEqual([]);
      });
    });

    describe('rounds and proposals', () => {
      it('writes a round and its proposals, members ordered by id and proposed when the round started', async () => {
        expect(await store.latestRoundN()).toBe(0);
        const [low, high] = [maria, tom].sort((a, b) => byId(a.id, b.id)) as [UserRecord, UserRecord];
        const fields = roundOf({ startedAt: at(1), members: 7, candidateEdges: 12, pairs: 1, totalScore: 3.25, tookMs: 1.5, algorithm: 'approximate' });
        const first = await store.createRound(fields, [{ a: high.id, b: low.id, score: 3.25, reasons: REASONS, expiresAt: at(169) }]);
        expect(first.round).toEqual({ n: expect.any(Number) as number, ...fields });
        expect(first.introductions).toEqual([
          {
            id: expect.any(String) as string,
            siteId: SITE,
            community: COMMUNITY,
            roundN: first.round.n,
            members: [
              { userId: low.id, name: low.displayName, answer: null },
              { userId: high.id, name: high.displayName, answer: null },
            ],
            score: 3.25,
            reasons: REASONS,
            state: 'proposed',
            proposedAt: at(1),
            expiresAt: at(169),
            connectedAt: null,
            endedAt: null,
            endedBy: null,
          },
        ]);
        expect(await store.findIntroduction(first.introductions[0]!.id)).toEqual(first.introductions[0]);
        expect(await store.findIntroduction('missing')).toBeNull();
        expect(await store.latestRoundN()).toBe(first.round.n);

        const empty = await store.createRound(roundOf({ trigger: 'schedule', startedAt: at(2), pairs: 0 }), []);
        expect(empty).toEqual({ round: { ...roundOf({ trigger: 'schedule', startedAt: at(2), pairs: 0 }), n: expect.any(Number) as number }, introductions: [] });
        expect(empty.round.n).toBeGreaterThan(first.round.n);
        expect(await store.latestRoundN()).toBe(empty.round.n);
        expect(await store.listRounds(SITE, COMMUNITY, 10)).toEqual([empty.round, first.round]);
        expect(await store.listRounds(SITE, COMMUNITY, 1)).toEqual([empty.round]);
        expect(await store.listRounds(SITE, HEART, 10)).toEqual([]);
      });

      it('writes nothing of a round when one of its proposals cannot be stored', async () => {
        const amy = await person('Amy');
        await expect(
          store.createRound(roundOf(), [
            { a: maria.id, b: tom.id, score: 1, reasons: [], expiresAt: at(100) },
            { a: amy.id, b: amy.id, score: 1, reasons: [], expiresAt: at(100) },
          ]),
        ).rejects.toThrow();
        expect(await store.latestRoundN()).toBe(0);
        expect(await store.pastPairs(SITE, COMMUNITY)).toEqual([]);
      });

      it("lists a member's proposed (unexpired), connected and ended introductions, newest first, never declined or lapsed ones", async () => {
        const [amy, ben, cat, dan, eve] = await people('Amy', 'Ben', 'Cat', 'Dan', 'Eve');
        const lapsing = await propose(maria, tom, { startedAt: at(1), expiresAt: at(2) });
        // A proposal is there until the moment it lapses, whether or not a round has marked it expired yet.
        expect(await visibleTo(tom, at(1.5))).toEqual([lapsing.id]);
        expect(await visibleTo(tom, at(2))).toEqual([]);
        const declined = await propose(maria, amy, { startedAt: at(2) });
        await answer(declined, amy.id, false);
        const connected = await connect(maria, ben, { startedAt: at(3) });
        const ended = await connect(maria, cat, { startedAt: at(4) });
        await store.endIntroduction({ id: ended.id, userId: cat.id, block: false, at: at(5) });
        const expired = await propose(maria, eve, { startedAt: at(5), expiresAt: at(6) });
        expect(ids(await store.expireProposals(SITE, COMMUNITY, at(6)))).toEqual([lapsing.id, expired.id]);
        const pending = await propose(maria, dan, { startedAt: at(6), expiresAt: at(200) });

        expect(await visibleTo(maria, at(10))).toEqual([pending.id, ended.id, connected.id]);
        expect(await visibleTo(cat, at(10))).toEqual([ended.id]);
        expect(await visibleTo(amy, at(10))).toEqual([]);
        expect(await visibleTo(tom, at(10))).toEqual([]);
        expect(await visibleTo(maria, at(10), HEART)).toEqual([]);
        const [first] = await store.introductionsOf({ siteId: SITE, community: COMMUNITY, userId: maria.id, now: at(10) });
        expect(first).toEqual(pending);
      });

      it('marks lapsed proposals of one community expired and returns them, once', async () => {
        const [amy, ben, cat, dan] = await people('Amy', 'Ben', 'Cat', 'Dan');
        const early = await propose(maria, tom, { expiresAt: at(5) });
        const onTime = await propose(amy, ben, { expiresAt: at(10) });
        const later = await propose(cat, dan, { expiresAt: at(20) });
        const connected = await connect(maria, amy, { expiresAt: at(5) });
        await store.saveCommunity(community({ id: HEART }), at(0));
        const elsewhere = await propose(maria, tom, { community: HEART, expiresAt: at(5) });

        const expired = await store.expireProposals(SITE, COMMUNITY, at(10));
        expect(expired).toEqual([early, onTime].map((introduction) => ({ ...introduction, state: 'expired' })));
        expect(await store.findIntroduction(early.id)).toEqual(expired[0]);
        expect(await store.expireProposals(SITE, COMMUNITY, at(10))).toEqual([]);
        expect((await store.findIntroduction(later.id))?.state).toBe('proposed');
        expect((await store.findIntroduction(connected.id))?.state).toBe('connected');
        expect((await store.findIntroduction(elsewhere.id))?.state).toBe('proposed');
      });

      it('remembers every pair ever proposed in a community, whatever became of it, once each', async () => {
        const [amy, ben, cat] = await people('Amy', 'Ben', 'Cat');
        const declined = await propose(tom, maria);
        await answer(declined, tom.id, false);
        await propose(maria, tom);
        await propose(amy, ben, { expiresAt: at(1) });
        await store.expireProposals(SITE, COMMUNITY, at(2));
        await connect(ben, cat);
        await store.saveCommunity(community({ id: HEART }), at(0));
        await propose(maria, cat, { community: HEART });

        const expected = [pair(maria, tom), pair(amy, ben), pair(ben, cat)].sort((x, y) => byId(x[0], y[0]) || byId(x[1], y[1]));
        expect(await store.pastPairs(SITE, COMMUNITY)).toEqual(expected);
        expect(await store.pastPairs(SITE, HEART)).toEqual([pair(maria, cat)]);
        expect(await store.pastPairs('elsewhere', COMMUNITY)).toEqual([]);
      });

      it('lists the proposals of rounds after a given one, on every site, oldest round first', async () => {
        const [amy, ben, cat, dan] = await people('Amy', 'Ben', 'Cat', 'Dan');
        await store.saveCommunity(community({ siteId: 'elsewhere' }), at(0));
        const [zed, yan] = await Promise.all([person('Zed', 'elsewhere'), person('Yan', 'elsewhere')]);
        const first = await round([[maria, tom], [amy, ben]]);
        const second = await round([[zed, yan]], { siteId: 'elsewhere' });
        await round([]);
        const fourth = await round([[cat, dan]]);

        const sortedFirst = [...first.introductions].sort((x, y) => byId(x.id, y.id));
        expect(await store.introductionsAfterRound(0)).toEqual([...sortedFirst, ...second.introductions, ...fourth.introductions]);
        expect(ids(await store.introductionsAfterRound(first.round.n))).toEqual(ids([...second.introductions, ...fourth.introductions]));
        expect((await store.introductionsAfterRound(first.round.n)).map((introduction) => introduction.roundN)).toEqual([second.round.n, fourth.round.n]);
        expect(await store.introductionsAfterRound(await store.latestRoundN())).toEqual([]);
      });
    });

    describe('answers', () => {
      it('connects when both members accept, each answering once', async () => {
        const amy = await person('Amy');
        const introduction = await propose(maria, tom, { expiresAt: at(100) });
        const [first, second] = introduction.members;
        expect(await answer(introduction, amy.id, true)).toBeNull();
        expect(await store.answerIntroduction({ id: 'missing', userId: maria.id, accept: true, at: at(2) })).toBeNull();

        // The second-listed member answers first: either order connects.
        const once = await answer(introduction, second.userId, true, at(2));
        expect(once).toEqual({ ...introduction, members: [first, { ...second, answer: 'accepted' }] });
        // No second answer, not even a change of mind: the caller hears "no longer pending".
        expect(await answer(introduction, second.userId, false, at(3))).toBeNull();
        expect(await store.findIntroduction(introduction.id)).toEqual(once);

        const both = await answer(introduction, first.userId, true, at(4));
        expect(both).toEqual({ ...introduction, state: 'connected', connectedAt: at(4), members: [{ ...first, answer: 'accepted' }, { ...second, answer: 'accepted' }] });
        expect(await answer(introduction, first.userId, true, at(5))).toBeNull();
        expect(await store.findIntroduction(introduction.id)).toEqual(both);
      });

      it('declines at the first decline, and takes no answer after it', async () => {
        const introduction = await propose(maria, tom);
        const [first, second] = introduction.members;
        const declined = await answer(introduction, first.userId, false);
        expect(declined).toEqual({ ...introduction, state: 'declined', members: [{ ...first, answer: 'declined' }, second] });
        expect(await answer(introduction, second.userId, true)).toBeNull();
        expect(await store.findIntroduction(introduction.id)).toEqual(declined);

        // A decline after the other accepted is still a decline, never a connection.
        const again = await propose(maria, tom);
        await answer(again, again.members[0].userId, true);
        expect((await answer(again, again.members[1].userId, false))?.state).toBe('declined');
      });

      it('takes no answer once the proposal has lapsed', async () => {
        const introduction = await propose(maria, tom, { expiresAt: at(10) });
        expect(await answer(introduction, maria.id, true, at(10))).toBeNull();
        expect(await answer(introduction, maria.id, true, at(11))).toBeNull();
        expect(await store.findIntroduction(introduction.id)).toEqual(introduction);
        expect((await answer(introduction, maria.id, true, at(9)))?.members.find((member) => member.userId === maria.id)?.answer).toBe('accepted');
      });
    });

    describe('ending and blocking', () => {
      it('ends only a connected introduction, and only for one of its members', async () => {
        const amy = await person('Amy');
        const proposal = await propose(amy, tom);
        expect(await store.endIntroduction({ id: proposal.id, userId: amy.id, block: true, at: at(3) })).toBeNull();
        const introduction = await connect(maria, tom);
        expect(await store.endIntroduction({ id: introduction.id, userId: amy.id, block: true, at: at(3) })).toBeNull();
        expect(await store.endIntroduction({ id: 'missing', userId: maria.id, block: true, at: at(3) })).toBeNull();
        expect(await store.blocks(SITE)).toEqual([]);

        const ended = await store.endIntroduction({ id: introduction.id, userId: tom.id, block: false, at: at(8) });
        expect(ended).toEqual({ ...introduction, state: 'ended', endedAt: at(8), endedBy: tom.id });
        expect(await store.blocks(SITE)).toEqual([]);
        expect(await store.endIntroduction({ id: introduction.id, userId: maria.id, block: true, at: at(9) })).toBeNull();
        expect(await store.findIntroduction(introduction.id)).toEqual(ended);
        expect((await store.findIntroduction(proposal.id))?.state).toBe('proposed');
      });

      it('blocks the other member for the whole site, once per pair', async () => {
        const amy = await person('Amy');
        const introduction = await connect(maria, amy);
        const ended = await store.endIntroduction({ id: introduction.id, userId: amy.id, block: true, at: at(8) });
        expect(ended).toMatchObject({ state: 'ended', endedBy: amy.id, endedAt: at(8) });
        expect(await store.blocks(SITE)).toEqual([[amy.id, maria.id]]);

        // The same block made again in another community lists once; blocks are per site.
        await store.saveCommunity(community({ id: HEART }), at(0));
        const again = await connect(amy, maria, { community: HEART });
        await store.endIntroduction({ id: again.id, userId: amy.id, block: true, at: at(9) });
        expect(await store.blocks(SITE)).toEqual([[amy.id, maria.id]]);
        expect(await store.blocks('elsewhere')).toEqual([]);
      });
    });

    it("leaves a community: conversations, about-me, introductions and the leaver's own blocks there are gone; others' blocks stay", async () => {
      const [amy, ben, cat] = await people('Amy', 'Ben', 'Cat');
      await store.saveCommunity(community({ id: HEART }), at(0));
      const replaced = await about(maria, 'I am at Elm Street ward 4');
      const current = await about(maria, 'Knee done, happy to talk');
      await join(maria, { aboutPostId: current.id });
      await join(maria, { community: HEART });
      const tomsAbout = await about(tom, 'Hip in May');
      await join(tom, { aboutPostId: tomsAbout.id });

      const withTom = await connect(maria, tom);
      const secret = await message(withTom, maria, 'My address is 12 Elm Street');
      await store.setReaction({ postId: secret.id, userId: tom.id, reaction: 'thanks', on: true, at: at(3) });
      const reply = await message(withTom, tom, 'See you Tuesday at 3');
      const waiting = await message(withTom, tom, 'Call me on 555-0100', held());
      await store.moderatorEditPost(
        { postId: reply.id, body: 'See you soon', at: at(3) },
        audit({ action: 'edit', target: { kind: 'post', id: reply.id }, before: { body: reply.body }, after: { body: 'See you soon' } }),
      );
      await store.endIntroduction({ id: withTom.id, userId: tom.id, block: true, at: at(4) });
      const withAmy = await propose(maria, amy);
      const withBen = await connect(maria, ben);
      await store.endIntroduction({ id: withBen.id, userId: maria.id, block: true, at: at(4) });
      const inHeart = await connect(maria, cat, { community: HEART });
      await store.endIntroduction({ id: inHeart.id, userId: maria.id, block: true, at: at(4) });
      const untouched = await connect(tom, amy);
      const theirs = await message(untouched, amy, 'Hello Tom');
      const before = await Promise.all([withTom, withAmy, withBen].map((introduction) => store.findIntroduction(introduction.id)));

      const gone = await store.leaveCommunity({ siteId: SITE, community: COMMUNITY, userId: maria.id, at: at(20) });
      expect([...gone!].sort((x, y) => byId(x.id, y.id))).toEqual([...before].sort((x, y) => byId(x!.id, y!.id)));

      for (const wiped of [secret, reply, waiting, replaced, current]) {
        expect(await store.findPost(wiped.id)).toMatchObject({ body: '', deletedAt: at(20), reactions: { helpful: 0, thanks: 0, metoo: 0 } });
      }
      expect(await store.reactionsBy(tom.id, [secret.id])).toEqual(new Map());
      const conversation = (await store.eventsSince(SITE, `${INTRO_TOPIC_PREFIX}${withTom.id}`, 0, 100)).events;
      for (const event of conversation) expect(event.post.body).toBe('');
      expect(conversation.filter((event) => event.type === 'post.deleted').map((event) => event.post.id)).toEqual([secret.id, reply.id]);
      const aboutEvents = (await store.eventsSince(SITE, `${ABOUT_TOPIC_PREFIX}${COMMUNITY}`, 0, 100)).events;
      expect(aboutEvents.map((event) => [event.type, event.post.author.name, event.post.body])).toEqual([
        ['post.created', 'Maria', ''],
        ['post.created', 'Maria', ''],
        ['post.created', 'Tom', 'Hip in May'],
        ['post.deleted', 'Maria', ''],
        ['post.deleted', 'Maria', ''],
      ]);
      expect((await store.moderationItem(waiting.id))?.resolvedAt).toBe(at(20));
      const edit = (await store.auditLog({ siteId: SITE, action: 'edit', limit: 5 })).entries[0];
      expect(edit).toMatchObject({ before: { body: '' }, after: { body: '' } });

      // Only the leaver's history goes: Tom's own about-me and his other conversation stay.
      expect((await store.findPost(tomsAbout.id))?.body).toBe('Hip in May');
      expect((await store.findPost(theirs.id))?.body).toBe('Hello Tom');
      expect(await store.findProfile(SITE, COMMUNITY, maria.id)).toBeNull();
      expect(await store.findProfile(SITE, HEART, maria.id)).not.toBeNull();
      expect(await store.findProfile(SITE, COMMUNITY, tom.id)).not.toBeNull();
      for (const introduction of [withTom, withAmy, withBen]) expect(await store.findIntroduction(introduction.id)).toBeNull();
      expect(await visibleTo(tom, at(20))).toEqual([untouched.id]);
      expect(await visibleTo(amy, at(20))).toEqual([untouched.id]);
      expect(await store.pastPairs(SITE, COMMUNITY)).toEqual([pair(tom, amy)]);
      expect(await store.findIntroduction(inHeart.id)).not.toBeNull();
      // Tom's block of Maria is Tom's wish; Maria's block made in the other community is still hers there.
      const expectedBlocks = [[tom.id, maria.id], [maria.id, cat.id]].sort((x, y) => byId(x[0]!, y[0]!));
      expect(await store.blocks(SITE)).toEqual(expectedBlocks);

      expect(await store.leaveCommunity({ siteId: SITE, community: COMMUNITY, userId: maria.id, at: at(21) })).toBeNull();
      expect(await store.leaveCommunity({ siteId: SITE, community: COMMUNITY, userId: ben.id, at: at(21) })).toBeNull();
    });

    it('keeps communities, profiles, rounds, introductions and blocks across a reopen of the same database', async () => {
      const amy = await person('Amy');
      const scheduled = await store.saveCommunity(community({ roundEveryHours: 24 }), at(0));
      const aboutMe = await about(maria, 'Knee, two years on');
      await join(maria, { aboutPostId: aboutMe.id });
      const profile = await store.setProfilePaused({ siteId: SITE, community: COMMUNITY, userId: maria.id, pausedAt: at(2), at: at(2) });
      const connected = await connect(maria, tom);
      const ended = await store.endIntroduction({ id: connected.id, userId: maria.id, block: true, at: at(3) });
      const { round: first, introductions: [pending] } = await round([[tom, amy]], { trigger: 'schedule' });
      const rounds = await store.listRounds(SITE, COMMUNITY, 10);
      await store.close();

      store = await fixture.reopen();
      expect(await store.migrate()).toEqual([]);
      expect(await store.findCommunity(SITE, COMMUNITY)).toEqual(scheduled);
      expect(await store.findProfile(SITE, COMMUNITY, maria.id)).toEqual(profile);
      expect(await store.findIntroduction(connected.id)).toEqual(ended);
      expect(await store.findIntroduction(pending!.id)).toEqual(pending);
      expect(await store.listRounds(SITE, COMMUNITY, 10)).toEqual(rounds);
      expect(await store.latestRoundN()).toBe(first.n);
      expect(await store.blocks(SITE)).toEqual([[maria.id, tom.id]]);
      expect(await store.claimScheduledRound(SITE, COMMUNITY, at(24))).toBe(true);
      expect((await round([])).round.n).toBeGreaterThan(first.n);
    });
  });
}
