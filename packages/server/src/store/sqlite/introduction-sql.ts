/** The SQL of introductions: row shapes and their mappers, and the conditions rounds and members' views are read with. */
import type { CommunityOption, IntroReason, IntroRole, IntroWants, ProfileTopic } from '@kindred/protocol';
import type { CommunityRecord, IntroductionRecord, IntroductionState, PostRecord, ProfileRecord, RoundRecord } from '../store.js';

const HOUR_MS = 60 * 60 * 1000;

export interface CommunityRow {
  site_id: string;
  id: string;
  name: string;
  topics: string;
  stages: string;
  languages: string;
  round_every_hours: number | null;
  next_round_at: string | null;
  created_at: string;
}

export function toCommunity(row: CommunityRow): CommunityRecord {
  return {
    siteId: row.site_id,
    id: row.id,
    name: row.name,
    topics: JSON.parse(row.topics) as CommunityOption[],
    stages: JSON.parse(row.stages) as CommunityOption[],
    languages: JSON.parse(row.languages) as string[],
    roundEveryHours: row.round_every_hours,
    nextRoundAt: row.next_round_at,
    createdAt: row.created_at,
  };
}

/** When a schedule set at `at` first falls due; null without a schedule. */
export function firstRoundAt(at: string, everyHours: number | null): string | null {
  return everyHours === null ? null : new Date(Date.parse(at) + everyHours * HOUR_MS).toISOString();
}

/**
 * Takes a due round by moving the schedule on from `@now`, in one statement, so
 * two processes that both see it due cannot both take it. The format is toISOString's,
 * so the text comparison with stored times stays a time comparison.
 */
export const CLAIM_ROUND = `UPDATE communities
  SET next_round_at = strftime('%Y-%m-%dT%H:%M:%fZ', @now, '+' || round_every_hours || ' hours')
  WHERE site_id = @siteId AND id = @community AND next_round_at IS NOT NULL AND next_round_at <= @now`;

export interface ProfileRow {
  site_id: string;
  community: string;
  user_id: string;
  name: string;
  role: IntroRole;
  wants: IntroWants;
  topics: string;
  languages: string;
  about_post_id: string | null;
  paused_at: string | null;
  joined_at: string;
  updated_at: string;
}

export const PROFILE_COLUMNS = `f.site_id, f.community, f.user_id, u.display_name AS name, f.role, f.wants, f.topics,
  f.languages, f.about_post_id, f.paused_at, f.joined_at, f.updated_at`;
export const FROM_PROFILES = 'FROM intro_profiles f JOIN users u ON u.id = f.user_id';

/** `about` is the about-me post the row points at, read separately so it is a whole PostRecord. */
export function toProfile(row: ProfileRow, about: PostRecord | null): ProfileRecord {
  return {
    siteId: row.site_id,
    community: row.community,
    userId: row.user_id,
    name: row.name,
    role: row.role,
    wants: row.wants,
    topics: JSON.parse(row.topics) as ProfileTopic[],
    languages: JSON.parse(row.languages) as string[],
    about,
    pausedAt: row.paused_at,
    joinedAt: row.joined_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Which profiles `f` a round may match at `@now`: not paused; an about-me that others may
 * read (or none); no proposal still waiting; and a member in good standing.
 */
export const MATCHABLE = `f.paused_at IS NULL
  AND (f.about_post_id IS NULL OR EXISTS (SELECT 1 FROM posts p
    WHERE p.id = f.about_post_id AND p.status = 'published' AND p.deleted_at IS NULL))
  AND NOT EXISTS (SELECT 1 FROM introductions i WHERE i.site_id = f.site_id AND i.community = f.community
    AND i.member_a = f.user_id AND i.state = 'proposed' AND i.expires_at > @now)
  AND NOT EXISTS (SELECT 1 FROM introductions i WHERE i.site_id = f.site_id AND i.community = f.community
    AND i.member_b = f.user_id AND i.state = 'proposed' AND i.expires_at > @now)
  AND NOT EXISTS (SELECT 1 FROM member_standing s WHERE s.user_id = f.user_id
    AND (s.standing = 'banned' OR s.until IS NULL OR s.until > @now))`;

export interface IntroductionRow {
  id: string;
  site_id: string;
  community: string;
  round_n: number;
  member_a: string;
  a_name: string;
  a_answer: 'accepted' | 'declined' | null;
  member_b: string;
  b_name: string;
  b_answer: 'accepted' | 'declined' | null;
  score: number;
  reasons: string;
  state: IntroductionState;
  proposed_at: string;
  expires_at: string;
  connected_at: string | null;
  ended_at: string | null;
  ended_by: string | null;
}

export const INTRODUCTION_COLUMNS = `i.id, i.site_id, i.community, i.round_n, i.member_a, ua.display_name AS a_name, i.a_answer,
  i.member_b, ub.display_name AS b_name, i.b_answer, i.score, i.reasons, i.state, i.proposed_at, i.expires_at,
  i.connected_at, i.ended_at, i.ended_by`;
export const FROM_INTRODUCTIONS = 'FROM introductions i JOIN users ua ON ua.id = i.member_a JOIN users ub ON ub.id = i.member_b';

/**
 * Introductions `i` of `@userId` in `@siteId`/`@community`. One lookup per member column, so each
 * uses its index; an OR of the two would scan the whole community.
 */
export const OF_MEMBER = `i.id IN (
  SELECT id FROM introductions WHERE site_id = @siteId AND community = @community AND member_a = @userId
  UNION ALL
  SELECT id FROM introductions WHERE site_id = @siteId AND community = @community AND member_b = @userId)`;

/** What a member may see at `@now`: declined and lapsed proposals simply stop being there. */
export const VISIBLE_TO_MEMBER = `(i.state IN ('connected', 'ended') OR (i.state = 'proposed' AND i.expires_at > @now))`;

export function toIntroduction(row: IntroductionRow): IntroductionRecord {
  return {
    id: row.id,
    siteId: row.site_id,
    community: row.community,
    roundN: row.round_n,
    members: [
      { userId: row.member_a, name: row.a_name, answer: row.a_answer },
      { userId: row.member_b, name: row.b_name, answer: row.b_answer },
    ],
    score: row.score,
    reasons: JSON.parse(row.reasons) as IntroReason[],
    state: row.state,
    proposedAt: row.proposed_at,
    expiresAt: row.expires_at,
    connectedAt: row.connected_at,
    endedAt: row.ended_at,
    endedBy: row.ended_by,
  };
}

/** Where `userId` stands in `members` (0 or 1); null when they are not one of the two. */
export function memberIndex(introduction: IntroductionRecord, userId: string): 0 | 1 | null {
  if (introduction.members[0].userId === userId) return 0;
  if (introduction.members[1].userId === userId) return 1;
  return null;
}

/** The answer column of each member index; the only names that reach built SQL. */
export const ANSWER_COLUMNS = ['a_answer', 'b_answer'] as const;

export interface RoundRow {
  n: number;
  site_id: string;
  community: string;
  triggered_by: RoundRecord['trigger'];
  started_at: string;
  members: number;
  candidate_edges: number;
  pairs: number;
  total_score: number;
  took_ms: number;
  algorithm: RoundRecord['algorithm'];
}

export function toRound(row: RoundRow): RoundRecord {
  return {
    n: row.n,
    siteId: row.site_id,
    community: row.community,
    trigger: row.triggered_by,
    startedAt: row.started_at,
    members: row.members,
    candidateEdges: row.candidate_edges,
    pairs: row.pairs,
    totalScore: row.total_score,
    tookMs: row.took_ms,
    algorithm: row.algorithm,
  };
}
