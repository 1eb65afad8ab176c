import type { Member, Reason, ScoringWeights } from './types.js';

/** Which pool a member is matched in; peers meet peers, mentors meet mentees. */
export const SIDE_PEER = 0;
export const SIDE_MENTOR = 1;
export const SIDE_MENTEE = 2;
export const TARGET_SIDE = [SIDE_PEER, SIDE_MENTEE, SIDE_MENTOR] as const;

const ROLES = ['patient', 'caregiver', 'mentor'] as const;

export const DEFAULT_WEIGHTS: ScoringWeights = { sameStage: 0.5, sameRole: 0.5 };

/**
 * Members interned into compact arrays: topics, stages and languages become
 * small integers, each member's topics sorted by topic number so that two
 * profiles intersect in one merge.
 */
export interface Profiles {
  members: Member[];
  side: Uint8Array;
  /** 0 patient, 1 caregiver, 2 mentor: compared in the hot loop instead of strings. */
  role: Uint8Array;
  topicStart: Int32Array;
  topic: Int32Array;
  /** Stage number for the topic at the same position, or -1. */
  stage: Int32Array;
  languageStart: Int32Array;
  language: Int32Array;
  /** Rarer topics weigh more: ln(1 + members / members with the topic). */
  topicWeight: Float64Array;
  topicNames: string[];
  stageNames: string[];
  languageNames: string[];
  weights: ScoringWeights;
}

export function sideOf(member: Member): number {
  if (member.role === 'mentor') return SIDE_MENTOR;
  return member.wants === 'mentor' ? SIDE_MENTEE : SIDE_PEER;
}

function interner(names: string[]): (name: string) => number {
  const ids = new Map<string, number>();
  return (name) => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      ids.set(name, id);
      names.push(name);
    }
    return id;
  };
}

export function buildProfiles(members: Member[], weights: ScoringWeights): Profiles {
  const n = members.length;
  const topicNames: string[] = [];
  const stageNames: string[] = [];
  const languageNames: string[] = [];
  const topicId = interner(topicNames);
  const stageId = interner(stageNames);
  const normalisedLanguageId = interner(languageNames);
  // Codes as written ("ES", " es") to their interned id, so each spelling is normalised once.
  const written = new Map<string, number>();
  const languageId = (code: string): number => {
    let id = written.get(code);
    if (id === undefined) written.set(code, (id = normalisedLanguageId(code.trim().toLowerCase())));
    return id;
  };
  const side = new Uint8Array(n);
  const role = new Uint8Array(n);
  const topicStart = new Int32Array(n + 1);
  const languageStart = new Int32Array(n + 1);
  const topics: number[] = [];
  const stages: number[] = [];
  const languages: number[] = [];
  const memberCount: number[] = [];

  // Per-member scratch, reused: a member lists a handful of topics and languages.
  const ownTopics: number[] = [];
  const ownStages: number[] = [];
  const ownLanguages: number[] = [];
  for (let u = 0; u < n; u++) {
    const member = members[u]!;
    side[u] = sideOf(member);
    role[u] = ROLES.indexOf(member.role);
    ownTopics.length = ownStages.length = ownLanguages.length = 0;
    for (const t of member.topics) {
      const id = topicId(t.id);
      // A topic listed twice keeps its first stage.
      if (ownTopics.includes(id)) continue;
      let at = ownTopics.length;
      ownTopics.push(id);
      ownStages.push(t.stage ? stageId(t.stage) : -1);
      for (; at > 0 && ownTopics[at - 1]! > id; at--) {
        [ownTopics[at], ownTopics[at - 1]] = [ownTopics[at - 1]!, ownTopics[at]!];
        [ownStages[at], ownStages[at - 1]] = [ownStages[at - 1]!, ownStages[at]!];
      }
    }
    for (let i = 0; i < ownTopics.length; i++) {
      topics.push(ownTopics[i]!);
      stages.push(ownStages[i]!);
      memberCount[ownTopics[i]!] = (memberCount[ownTopics[i]!] ?? 0) + 1;
    }
    topicStart[u + 1] = topics.length;
    for (const l of member.languages) {
      const id = languageId(l);
      if (!ownLanguages.includes(id)) ownLanguages.push(id);
    }
    ownLanguages.sort((x, y) => x - y);
    for (const id of ownLanguages) languages.push(id);
    languageStart[u + 1] = languages.length;
  }

  const topicWeight = new Float64Array(topicNames.length);
  for (let t = 0; t < topicNames.length; t++) topicWeight[t] = Math.log(1 + n / (memberCount[t] ?? 1));
  return {
    members,
    side,
    role,
    topicStart,
    topic: Int32Array.from(topics),
    stage: Int32Array.from(stages),
    languageStart,
    language: Int32Array.from(languages),
    topicWeight,
    topicNames,
    stageNames,
    languageNames,
    weights,
  };
}

/**
 * Pair scorer in thousandths (integers, so the exact matcher is exact); 0 when
 * no topic is shared. Built once per round so the hot loop reads typed arrays only.
 */
export function pairScorer(p: Profiles): (u: number, v: number) => number {
  const { topicStart, topic, stage, topicWeight, side, role } = p;
  const stageFactor = 1 + p.weights.sameStage;
  const sameRole = p.weights.sameRole;
  return (u, v) => {
    let i = topicStart[u]!;
    const iEnd = topicStart[u + 1]!;
    let j = topicStart[v]!;
    const jEnd = topicStart[v + 1]!;
    let total = 0;
    while (i < iEnd && j < jEnd) {
      const a = topic[i]!;
      const b = topic[j]!;
      if (a < b) i++;
      else if (a > b) j++;
      else {
        const s = stage[i]!;
        total += topicWeight[a]! * (s >= 0 && s === stage[j] ? stageFactor : 1);
        i++;
        j++;
      }
    }
    if (total === 0) return 0;
    if (side[u] === SIDE_PEER && role[u] === role[v]) total += sameRole;
    return Math.round(total * 1000);
  };
}

/** The structured reasons behind pairScorer, strongest topic first. */
export function reasonsFor(p: Profiles, u: number, v: number): Reason[] {
  const topics: { reason: Reason; weight: number }[] = [];
  for (let i = p.topicStart[u]!; i < p.topicStart[u + 1]!; i++) {
    for (let j = p.topicStart[v]!; j < p.topicStart[v + 1]!; j++) {
      if (p.topic[i] !== p.topic[j]) continue;
      const t = p.topic[i]!;
      const stage = p.stage[i]!;
      const sameStage = stage >= 0 && stage === p.stage[j];
      const reason: Reason = sameStage
        ? { kind: 'shared-topic', topic: p.topicNames[t]!, stage: p.stageNames[stage]! }
        : { kind: 'shared-topic', topic: p.topicNames[t]! };
      topics.push({ reason, weight: p.topicWeight[t]! * (sameStage ? 1 + p.weights.sameStage : 1) });
    }
  }
  topics.sort((x, y) => y.weight - x.weight || compareText(topicOf(x.reason), topicOf(y.reason)));
  const reasons = topics.map((t) => t.reason);
  const a = p.members[u]!;
  const b = p.members[v]!;
  if (a.role === 'mentor') reasons.push({ kind: 'mentor', mentor: a.id });
  else if (b.role === 'mentor') reasons.push({ kind: 'mentor', mentor: b.id });
  else if (a.role === b.role) reasons.push({ kind: 'same-role', role: a.role });
  for (let i = p.languageStart[u]!; i < p.languageStart[u + 1]!; i++) {
    for (let j = p.languageStart[v]!; j < p.languageStart[v + 1]!; j++) {
      if (p.language[i] === p.language[j]) reasons.push({ kind: 'shared-language', language: p.languageNames[p.language[i]!]! });
    }
  }
  return reasons;
}

function topicOf(reason: Reason): string {
  return reason.kind === 'shared-topic' ? reason.topic : '';
}

/** Code-unit order, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
