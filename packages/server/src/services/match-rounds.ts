import { performance } from 'node:perf_hooks';
import { match, type Member } from '@kindred/matcher';
import { INTRO_LIMITS } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import type { CommunityRecord, IntroductionRecord, ProfileRecord, RoundRecord, Store } from '../store/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RoundOutcome {
  round: RoundRecord;
  /** The introductions this round proposed. */
  introductions: IntroductionRecord[];
  /** Proposals that lapsed before this round ran (their members are matchable again). */
  expired: IntroductionRecord[];
}

/**
 * One round of introductions for a community: lapse old proposals, take the
 * matchable profiles, and let the matcher pair them without repeating a past
 * pair or crossing a block. The store writes the round and its proposals in
 * one transaction.
 */
export class MatchRounds {
  constructor(private readonly deps: { store: Store; now: () => Date }) {}

  async run(siteId: string, communityId: string, trigger: RoundRecord['trigger']): Promise<RoundOutcome> {
    const { store } = this.deps;
    const community = await store.findCommunity(siteId, communityId);
    if (!community) throw new ServiceError('NOT_FOUND', `Site ${siteId} has no community "${communityId}".`, 'community');
    const now = this.deps.now();
    const at = now.toISOString();
    const expired = await store.expireProposals(siteId, communityId, at);
    const [profiles, pastPairs, blocks, [previous]] = await Promise.all([
      store.matchableProfiles(siteId, communityId, at),
      store.pastPairs(siteId, communityId),
      store.blocks(siteId),
      store.listRounds(siteId, communityId, 1),
    ]);
    const started = performance.now();
    // A new seed each round varies who is sampled from long topic lists; the same round always gives the same pairs.
    const result = match({ members: profiles.map((profile) => toMember(profile, community)), pastPairs, blocks, seed: previous ? previous.n + 1 : 1 });
    const tookMs = Math.round(performance.now() - started);
    const expiresAt = new Date(now.getTime() + INTRO_LIMITS.proposalDays * DAY_MS).toISOString();
    const { round, introductions } = await store.createRound(
      {
        siteId,
        community: communityId,
        trigger,
        startedAt: at,
        members: profiles.length,
        candidateEdges: result.stats.candidateEdges,
        pairs: result.pairs.length,
        totalScore: round2(result.stats.totalScore),
        tookMs,
        algorithm: result.stats.algorithm,
      },
      result.pairs.map((pair) => ({ a: pair.a, b: pair.b, score: round2(pair.score), reasons: pair.reasons, expiresAt })),
    );
    return { round, introductions, expired };
  }
}

/** The matcher's view of a profile: only topics and stages still on the community's list count. */
export function toMember(profile: ProfileRecord, community: CommunityRecord): Member {
  const topics = new Set(community.topics.map((topic) => topic.id));
  const stages = new Set(community.stages.map((stage) => stage.id));
  return {
    id: profile.userId,
    role: profile.role,
    wants: profile.wants,
    topics: profile.topics
      .filter((topic) => topics.has(topic.id))
      .map((topic) => (topic.stage && stages.has(topic.stage) ? { id: topic.id, stage: topic.stage } : { id: topic.id })),
    languages: profile.languages,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
