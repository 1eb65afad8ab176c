/** Who a member is in the community. Mentors are matched with members who ask for a mentor. */
export type Role = 'patient' | 'caregiver' | 'mentor';

/** A topic or condition from the site's list, with an optional stage such as "after-surgery". */
export interface MemberTopic {
  id: string;
  stage?: string;
}

/** An opted-in member. `wants` is ignored for mentors: a mentor is always offered to mentees. */
export interface Member {
  id: string;
  role: Role;
  wants: 'peer' | 'mentor';
  topics: MemberTopic[];
  /** Language codes such as "en" or "es"; compared case-insensitively. */
  languages: string[];
}

export interface ScoringWeights {
  /** Extra share of a topic's weight when both members are at the same stage (0.5 = +50 %). */
  sameStage: number;
  /** Flat bonus when two peers have the same role (two caregivers, two patients). */
  sameRole: number;
}

export interface MatchOptions {
  /** Candidates kept per member (top-K by score). Default 12. */
  candidatesPerMember?: number;
  /** Members scanned per (topic, language) posting list when it is long. Default 32. */
  scanPerList?: number;
  /**
   * 'auto' solves each connected component of the candidate graph exactly up to
   * `exactUpTo` members and approximately above; 'exact' is O(n³), for checking.
   */
  algorithm?: 'auto' | 'exact' | 'approximate';
  /** Largest connected component (members) that 'auto' solves exactly. Default 1500. */
  exactUpTo?: number;
  weights?: Partial<ScoringWeights>;
}

export interface MatchInput {
  members: Member[];
  /** Pairs introduced in earlier rounds; never proposed again, in either order. */
  pastPairs: [string, string][];
  /** "Don't introduce me to" entries; never proposed, in either order. */
  blocks: [string, string][];
  /** Seeds the order in which long topic lists are sampled. Default 0. */
  seed?: number;
  options?: MatchOptions;
}

/** Why two members were matched, structured so the widget can word it in any language. */
export type Reason =
  | { kind: 'shared-topic'; topic: string; stage?: string }
  | { kind: 'shared-language'; language: string }
  | { kind: 'same-role'; role: Exclude<Role, 'mentor'> }
  | { kind: 'mentor'; mentor: string };

export interface Pair {
  a: string;
  b: string;
  score: number;
  reasons: Reason[];
}

export interface MatchStats {
  members: number;
  candidateEdges: number;
  pairs: number;
  unmatched: number;
  totalScore: number;
  /** 'approximate' when any component was solved approximately. */
  algorithm: 'exact' | 'approximate';
}

export interface MatchResult {
  pairs: Pair[];
  /** Ids of members left without a pair this round, in id order. */
  unmatched: string[];
  stats: MatchStats;
}

/** Thrown for input the engine cannot match, such as two members with one id. */
export class MatcherInputError extends Error {
  readonly code = 'INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'MatcherInputError';
  }
}
