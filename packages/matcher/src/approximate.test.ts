import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxWeightMatchingApprox } from './approximate.js';
import { maxWeightMatchingExact } from './blossom.js';
import { graphFromEdges, matchingWeight } from './graph.js';
import { prepareRound } from './match.js';
import { syntheticRound } from './synthetic.js';

/** A valid matching over the graph's positive edges that leaves no edge between two free vertices. */
function assertMaximalMatching(n: number, edges: readonly (readonly [number, number, number])[], mate: Int32Array): void {
  for (let v = 0; v < n; v++) {
    const u = mate[v]!;
    if (u === -1) continue;
    expect(mate[u]).toBe(v);
    expect(edges.some(([a, b, w]) => a !== b && w > 0 && ((a === v && b === u) || (a === u && b === v)))).toBe(true);
  }
  for (const [a, b, w] of edges) {
    if (a !== b && w > 0) expect(mate[a] !== -1 || mate[b] !== -1, `${a}–${b} joins two free vertices`).toBe(true);
  }
}

const randomGraph = (weight: fc.Arbitrary<number>) =>
  fc
    .integer({ min: 2, max: 40 })
    .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), weight), { maxLength: 4 * n })));

describe('maxWeightMatchingApprox', () => {
  it('returns a valid matching over existing edges, at least half the optimum, with no two free neighbours', () => {
    fc.assert(
      fc.property(randomGraph(fc.integer({ min: 1, max: 50 })), ([n, edges]) => {
        const graph = graphFromEdges(n, edges);
        const mate = maxWeightMatchingApprox(graph);
        assertMaximalMatching(n, edges, mate);
        expect(matchingWeight(graph, mate) * 2).toBeGreaterThanOrEqual(matchingWeight(graph, maxWeightMatchingExact(graph)));
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('handles weights that are not whole numbers, and ignores zero and negative edges', () => {
    fc.assert(
      fc.property(randomGraph(fc.double({ min: -1, max: 9, noNaN: true })), ([n, edges]) => {
        const mate = maxWeightMatchingApprox(graphFromEdges(n, edges));
        assertMaximalMatching(n, edges, mate);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('finds an augmenting path of any length: a chain of 61 edges that greedy leaves one pair short', () => {
    // Vertices 0…61 in a row, all edges weight 10; listing the odd edges (1–2, 3–4, …) first makes
    // greedy take them and strand 0 and 61, which only the whole chain shifting over can pair.
    const odd = Array.from({ length: 30 }, (_, i) => [2 * i + 1, 2 * i + 2, 10] as [number, number, number]);
    const even = Array.from({ length: 31 }, (_, i) => [2 * i, 2 * i + 1, 10] as [number, number, number]);
    const graph = graphFromEdges(62, [...odd, ...even]);
    expect(matchingWeight(graph, maxWeightMatchingApprox(graph, { longPathRounds: 0 }))).toBe(300);
    const mate = maxWeightMatchingApprox(graph);
    expect([...mate].every((v) => v >= 0)).toBe(true);
    expect(matchingWeight(graph, mate)).toBe(310);
  });

  it('finds a move through an odd cycle: a member moves to a free neighbour and the partner left behind takes another', () => {
    // Greedy takes 0–6 (49); 0–4 (30) with 6–5 (23) is better, but 4, 6 and 0 form a triangle.
    const graph = graphFromEdges(7, [
      [4, 0, 28],
      [0, 6, 49],
      [6, 5, 23],
      [4, 0, 30],
      [6, 4, 49],
    ]);
    expect(matchingWeight(graph, maxWeightMatchingApprox(graph))).toBe(matchingWeight(graph, maxWeightMatchingExact(graph)));
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
    [1000, 7],
  ])('reaches at least 0.99 of the exact optimum on the candidates of a synthetic round of %i members (seed %i)', (count, seed) => {
    const { graph } = prepareRound(syntheticRound(count, seed));
    const approx = matchingWeight(graph, maxWeightMatchingApprox(graph));
    const exact = matchingWeight(graph, maxWeightMatchingExact(graph));
    expect(approx / exact).toBeGreaterThanOrEqual(0.99);
  });
});
