import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxWeightMatchingExact } from './blossom.js';
import { graphFromEdges, matchingWeight } from './graph.js';

/** Best matching weight by trying every subset of edges: only for tiny graphs. */
function bruteForce(n: number, edges: [number, number, number][]): number {
  let best = 0;
  const used = new Uint8Array(n);
  const search = (k: number, total: number): void => {
    if (k === edges.length) {
      best = Math.max(best, total);
      return;
    }
    search(k + 1, total);
    const [u, v, w] = edges[k]!;
    if (u !== v && !used[u] && !used[v]) {
      used[u] = used[v] = 1;
      search(k + 1, total + w);
      used[u] = used[v] = 0;
    }
  };
  search(0, 0);
  return best;
}

const smallGraph = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.tuple(
    fc.constant(n),
    fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(30)), {
      maxLength: 18,
      selector: ([u, v]) => `${Math.min(u, v)}-${Math.max(u, v)}`,
    }),
  ),
);

function assertValidMatching(n: number, mate: Int32Array): void {
  for (let v = 0; v < n; v++) {
    const u = mate[v]!;
    if (u !== -1) expect(mate[u]).toBe(v);
  }
}

describe('maxWeightMatchingExact', () => {
  it('matches the brute-force optimum on small random graphs', () => {
    fc.assert(
      fc.property(smallGraph, ([n, edges]) => {
        const graph = graphFromEdges(n, edges);
        const mate = maxWeightMatchingExact(graph);
        assertValidMatching(n, mate);
        for (let v = 0; v < n; v++) {
          if (mate[v] !== -1) {
            const joined = edges.some(([a, b]) => (a === v && b === mate[v]) || (b === v && a === mate[v]));
            expect(joined).toBe(true);
          }
        }
        expect(matchingWeight(graph, mate)).toBe(bruteForce(n, edges));
      }),
      { numRuns: 600, seed: 6 },
    );
  });

  it('matches brute force on dense graphs with tied weights, where blossoms form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.array(fc.nat(4), { minLength: 36, maxLength: 36 }), (n, ws) => {
        const edges: [number, number, number][] = [];
        let k = 0;
        for (let u = 0; u < n; u++) for (let v = u + 1; v < n; v++) edges.push([u, v, ws[k++ % ws.length]!]);
        const graph = graphFromEdges(n, edges);
        const mate = maxWeightMatchingExact(graph);
        assertValidMatching(n, mate);
        expect(matchingWeight(graph, mate)).toBe(bruteForce(n, edges));
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('prefers one heavy edge over two light ones and handles an odd cycle', () => {
    const path = graphFromEdges(4, [
      [0, 1, 3],
      [1, 2, 10],
      [2, 3, 3],
    ]);
    expect([...maxWeightMatchingExact(path)]).toEqual([-1, 2, 1, -1]);
    const triangle = graphFromEdges(3, [
      [0, 1, 5],
      [1, 2, 5],
      [0, 2, 6],
    ]);
    expect(matchingWeight(triangle, maxWeightMatchingExact(triangle))).toBe(6);
  });

  it('refuses fractional or negative weights', () => {
    expect(() => maxWeightMatchingExact(graphFromEdges(2, [[0, 1, 1.5]]))).toThrow(RangeError);
    expect(() => maxWeightMatchingExact(graphFromEdges(2, [[0, 1, -1]]))).toThrow(RangeError);
  });
});
