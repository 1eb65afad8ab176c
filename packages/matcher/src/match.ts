import { maxWeightMatchingApprox } from './approximate.js';
import { maxWeightMatchingExact } from './blossom.js';
import { buildCandidateGraph } from './candidates.js';
import { matchByComponent } from './components.js';
import type { Mates, WeightedGraph } from './graph.js';
import { buildProfiles, compareText, DEFAULT_WEIGHTS, type Profiles, reasonsFor } from './profiles.js';
import { MatcherInputError, type MatchInput, type MatchResult, type Pair } from './types.js';

export const DEFAULTS = { candidatesPerMember: 12, scanPerList: 32, exactUpTo: 1500 } as const;

/** Everything `match` computes before matching, for callers (and the benchmark) that need the graph. */
export interface PreparedRound {
  profiles: Profiles;
  graph: WeightedGraph;
}

/**
 * Sorts members by id (so the result does not depend on input order), interns
 * their profiles and builds the sparse candidate graph.
 */
export function prepareRound(input: MatchInput): PreparedRound {
  const members = [...input.members].sort((x, y) => compareText(x.id, y.id));
  const index = new Map<string, number>();
  members.forEach((member, u) => {
    if (index.has(member.id)) throw new MatcherInputError(`Member id "${member.id}" appears twice; each member needs one id.`);
    index.set(member.id, u);
  });
  const options = input.options ?? {};
  const profiles = buildProfiles(members, { ...DEFAULT_WEIGHTS, ...options.weights });
  const excluded = new Map<number, number[]>();
  for (const [x, y] of [...input.pastPairs, ...input.blocks]) {
    const u = index.get(x);
    const v = index.get(y);
    // Pairs naming someone who has not opted in this round cannot be proposed anyway.
    if (u === undefined || v === undefined) continue;
    for (const [a, b] of [
      [u, v],
      [v, u],
    ] as const) {
      const list = excluded.get(a);
      if (list) list.push(b);
      else excluded.set(a, [b]);
    }
  }
  const graph = buildCandidateGraph(profiles, {
    perMember: positiveInteger(options.candidatesPerMember ?? DEFAULTS.candidatesPerMember, 'candidatesPerMember'),
    scanPerList: positiveInteger(options.scanPerList ?? DEFAULTS.scanPerList, 'scanPerList'),
    seed: input.seed ?? 0,
    excluded,
  });
  return { profiles, graph };
}

/**
 * One matching round: candidate pairs, then a maximum-weight matching over
 * them, exact per connected component up to `exactUpTo` members and
 * approximate above. Never proposes a past pair or a blocked pair, always a
 * shared language and topic, peers with peers and mentors with mentees.
 */
export function match(input: MatchInput): MatchResult {
  const { profiles, graph } = prepareRound(input);
  const algorithm = input.options?.algorithm ?? 'auto';
  const exactUpTo = input.options?.exactUpTo ?? DEFAULTS.exactUpTo;
  let approximated = false;
  const mate = matchByComponent(graph, (component) => {
    if (algorithm === 'exact' || (algorithm === 'auto' && component.vertexCount <= exactUpTo)) {
      return maxWeightMatchingExact(component);
    }
    approximated = true;
    return maxWeightMatchingApprox(component);
  });
  return describeRound(profiles, graph, mate, approximated ? 'approximate' : 'exact');
}

function describeRound(
  profiles: Profiles,
  graph: WeightedGraph,
  mate: Mates,
  algorithm: 'exact' | 'approximate',
): MatchResult {
  const members = profiles.members;
  // The weight of each member's pair; the candidate graph has one edge per pair.
  const pairWeight = new Float64Array(members.length);
  for (let k = 0; k < graph.from.length; k++) {
    const u = graph.from[k]!;
    if (mate[u] === graph.to[k]) pairWeight[u] = pairWeight[graph.to[k]!] = graph.weight[k]!;
  }
  const pairs: Pair[] = [];
  const unmatched: string[] = [];
  let total = 0;
  for (let u = 0; u < members.length; u++) {
    const v = mate[u]!;
    if (v < 0) unmatched.push(members[u]!.id);
    else if (u < v) {
      const milli = pairWeight[u]!;
      total += milli;
      pairs.push({ a: members[u]!.id, b: members[v]!.id, score: milli / 1000, reasons: reasonsFor(profiles, u, v) });
    }
  }
  return {
    pairs,
    unmatched,
    stats: {
      members: members.length,
      candidateEdges: graph.from.length,
      pairs: pairs.length,
      unmatched: unmatched.length,
      totalScore: total / 1000,
      algorithm,
    },
  };
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new MatcherInputError(`options.${name} must be a whole number of at least 1, not ${value}.`);
  }
  return value;
}
