import { describe, expect, it } from 'vitest';
import { buildCandidateGraph } from './candidates.js';
import { buildProfiles, DEFAULT_WEIGHTS, pairScorer, SIDE_MENTEE, SIDE_MENTOR, SIDE_PEER } from './profiles.js';
import { syntheticRound } from './synthetic.js';

describe('buildCandidateGraph', () => {
  // Many members with several topics and languages, so that pairs sharing one topic (scored from
  // the list entry) and pairs sharing several (scored from both profiles) both occur often.
  const input = syntheticRound(3000, 5, { topics: 80 });
  const members = [...input.members].sort((x, y) => (x.id < y.id ? -1 : 1));
  const profiles = buildProfiles(members, DEFAULT_WEIGHTS);
  const excluded = new Map<number, number[]>([
    [0, [1, 2]],
    [1, [0]],
    [2, [0]],
  ]);
  const graph = buildCandidateGraph(profiles, { perMember: 12, scanPerList: 32, seed: 5, excluded });
  const shareLanguage = (u: number, v: number) => {
    const theirs = profiles.language.subarray(profiles.languageStart[v], profiles.languageStart[v + 1]);
    return profiles.language.subarray(profiles.languageStart[u], profiles.languageStart[u + 1]).some((l) => theirs.includes(l));
  };

  it('scores every edge as pairScorer does, lists each pair once, and keeps the rules', () => {
    const score = pairScorer(profiles);
    const seen = new Set<number>();
    const sidesAllowed = [`${SIDE_PEER},${SIDE_PEER}`, `${SIDE_MENTOR},${SIDE_MENTEE}`];
    // Collected rather than asserted edge by edge: tens of thousands of expect() calls are slow.
    const wrong: string[] = [];
    for (let k = 0; k < graph.from.length; k++) {
      const u = graph.from[k]!;
      const v = graph.to[k]!;
      const pair = `${members[u]!.id}–${members[v]!.id}`;
      if (u >= v) wrong.push(`${pair} not in order`);
      if (graph.weight[k] !== score(u, v) || !(graph.weight[k]! > 0)) wrong.push(`${pair} weighs ${graph.weight[k]}, not ${score(u, v)}`);
      if (seen.has(u * members.length + v)) wrong.push(`${pair} twice`);
      seen.add(u * members.length + v);
      if (!sidesAllowed.includes([profiles.side[u], profiles.side[v]].sort().join())) wrong.push(`${pair} on the wrong sides`);
      if (!shareLanguage(u, v)) wrong.push(`${pair} without a shared language`);
    }
    for (const [u, vs] of excluded) for (const v of vs) if (seen.has(Math.min(u, v) * members.length + Math.max(u, v))) wrong.push(`${u}–${v} excluded`);
    expect(wrong).toEqual([]);
    expect(graph.from.length).toBeGreaterThan(5 * members.length);
  });

  it('leaves a member without candidates only when nobody shares a topic and a language on the right side', () => {
    const degree = new Int32Array(members.length);
    for (let k = 0; k < graph.from.length; k++) {
      degree[graph.from[k]!]!++;
      degree[graph.to[k]!]!++;
    }
    const score = pairScorer(profiles);
    const target = [SIDE_PEER, SIDE_MENTEE, SIDE_MENTOR];
    const missed: string[] = [];
    let lonely = 0;
    for (let u = 0; u < members.length; u++) {
      if (degree[u]! > 0) continue;
      lonely++;
      for (let v = 0; v < members.length; v++) {
        const eligible = v !== u && profiles.side[v] === target[profiles.side[u]!] && shareLanguage(u, v) && score(u, v) > 0;
        if (eligible) missed.push(`${members[u]!.id} could meet ${members[v]!.id}`);
      }
    }
    expect(missed).toEqual([]);
    expect(lonely).toBeGreaterThan(0);
  });
});
