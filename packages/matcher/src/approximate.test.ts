import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxWeightMatchingApprox } from './approximate.js';
import { maxWeightMatchingExact } from './blossom.js';
import { graphFromEdges, matchingWeight } from './graph.js';
import { prepareRound } from './match.js';
import { syntheticRound } from './synthetic.js';

describe('maxWeightMatchingApprox', () => {
  it('returns a valid matching over existing edges, at least half the optimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 50 })), { maxLength: 30 }),
          ),
        ),
        ([n, edges]) => {
          const graph = graphFromEdges(n, edges);
          const mate = maxWeightMatchingApprox(graph);
          for (let v = 0; v < n; v++) {
            const u = mate[v]!;
            if (u === -1) continue;
            expect(mate[u]).toBe(v);
            expect(edges.some(([a, b]) => a !== b && ((a === v && b === u) || (a === u && b === v)))).toBe(true);
          }
          expect(matchingWeight(graph, mate) * 2).toBeGreaterThanOrEqual(matchingWeight(graph, maxWeightMatchingExact(graph)));
        },
      ),
      { numRuns: 400, seed: 11 },
    );
  });

  it('improves on greedy where greedy is stuck (a heavy middle edge between two pairs)', () => {
    // Greedy takes 1–2 (10) and stops; swapping for 0–1 and 2–3 (9 + 9) is better.
    const graph = graphFromEdges(4, [
      [0, 1, 9],
      [1, 2, 10],
      [2, 3, 9],
    ]);
    expect(matchingWeight(graph, maxWeightMatchingApprox(graph))).toBe(18);
  });

  // Deterministic (seeded rounds, no randomness in the matcher), so the bound cannot flake.
  it.each([
    [300, 300],
    [400, 1],
    [500, 500],
  ])('reaches at least 0.97 of the exact optimum on a synthetic round of %i members (seed %i)', (count, seed) => {
    const { graph } = prepareRound(syntheticRound(count, seed));
    const approx = matchingWeight(graph, maxWeightMatchingApprox(graph));
    const exact = matchingWeight(graph, maxWeightMatchingExact(graph));
    expect(approx / exact).toBeGreaterThanOrEqual(0.97);
  });
});
