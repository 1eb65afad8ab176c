import { applyMove, heaviestFree, type MatchingState } from './matching-state.js';

export interface LocalSearchLimits {
  maxPasses: number;
  /** Matched edges one move may displace. */
  depth: number;
  /** Matched neighbours followed from each displaced member (the start follows all of its own). */
  breadth: number;
  /** Adjacency entries one search may read before it settles for the best move found. */
  budget: number;
  /** Whether a move that leaves the start's old partner free may also pair it with a free neighbour. */
  partnerTakesFree: boolean;
}

/**
 * Short weighted moves around each dirty matched vertex s: s leaves its
 * partner t, and a depth-first search follows alternating paths from s — a
 * new edge, the matched edge it displaces, a new edge from the displaced
 * member, … — for the move that raises the total most. A path may end at a
 * free vertex, leave its last displaced member free, or close back on t (an
 * alternating cycle); with `partnerTakesFree`, a t left free may also take
 * its heaviest free neighbour. Paths from free vertices are left to
 * `longPaths`, which finds them without this search's depth limit. The search follows
 * Lin–Kernighan's gain rule: lists are heaviest first, so once a new edge
 * cannot lift the gain above the best move found, neither can the rest of
 * the list. Returns whether any move was made.
 */
export function localSearch(state: MatchingState, limits: LocalSearchLimits): boolean {
  const { n, adjStart, adjTo, adjWeight, mate, mateWeight, dirty } = state;
  const { depth, breadth, budget } = limits;
  const onPath = new Uint8Array(n);
  // The path being searched: new edges (pathFrom[i], pathTo[i]) of weight pathWeight[i].
  const pathFrom = new Int32Array(depth + 1);
  const pathTo = new Int32Array(depth + 1);
  const pathWeight = new Float64Array(depth + 1);
  const bestFrom = new Int32Array(depth + 2);
  const bestTo = new Int32Array(depth + 2);
  const bestWeight = new Float64Array(depth + 2);
  let bestLength = 0;
  let bestGain = 0;
  let reads = 0;
  // The start's old partner, whom the move leaves open, and t's two heaviest free neighbours
  // (adjacency positions, -1 none): a move that leaves t free may also give t one of them.
  let t = -1;
  let tFree1 = -1;
  let tFree2 = -1;

  /**
   * Keeps the path as the best move if it gains more. `taken` is the free member the path ends
   * on (t may take another), or t itself when the path closes on t.
   */
  const consider = (length: number, gain: number, taken: number): void => {
    const tTakes = taken === t ? -1 : tFree1 >= 0 && adjTo[tFree1] === taken ? tFree2 : tFree1;
    const total = gain + (tTakes >= 0 ? adjWeight[tTakes]! : 0);
    if (total <= bestGain) return;
    bestGain = total;
    bestLength = length;
    bestFrom.set(pathFrom.subarray(0, length));
    bestTo.set(pathTo.subarray(0, length));
    bestWeight.set(pathWeight.subarray(0, length));
    if (tTakes >= 0) {
      bestFrom[bestLength] = t;
      bestTo[bestLength] = adjTo[tTakes]!;
      bestWeight[bestLength++] = adjWeight[tTakes]!;
    }
  };

  /** Extends the path at its open end a, which has `level` new edges behind it and gain g so far. */
  const extend = (a: number, g: number, level: number): void => {
    pathFrom[level] = a;
    const free = heaviestFree(state, a, -1);
    if (free >= 0) {
      pathTo[level] = adjTo[free]!;
      pathWeight[level] = adjWeight[free]!;
      consider(level + 1, g + adjWeight[free]!, adjTo[free]!);
    }
    let followed = 0;
    for (let q = adjStart[a]!, end = adjStart[a + 1]!; q < end; q++) {
      if (++reads > budget) return;
      const added = g + adjWeight[q]!;
      if (added <= bestGain) return;
      const x = adjTo[q]!;
      const y = mate[x]!;
      if (y < 0 || onPath[x]) continue;
      pathTo[level] = x;
      pathWeight[level] = adjWeight[q]!;
      if (x === t) {
        // Back to t: an alternating cycle.
        consider(level + 1, added, t);
        continue;
      }
      const displaced = added - mateWeight[x]!;
      consider(level + 1, displaced, -1);
      if (level < depth) {
        onPath[x] = onPath[y] = 1;
        extend(y, displaced, level + 1);
        onPath[x] = onPath[y] = 0;
        if (reads > budget) return;
      }
      if (level > 0 && ++followed === breadth) return;
    }
  };

  let changed = false;
  for (let pass = 0; pass < limits.maxPasses; pass++) {
    let improved = false;
    for (let s = 0; s < n; s++) {
      if (!dirty[s]) continue;
      dirty[s] = 0;
      t = mate[s]!;
      if (t < 0) continue;
      tFree1 = limits.partnerTakesFree ? heaviestFree(state, t, -1) : -1;
      tFree2 = tFree1 >= 0 ? heaviestFree(state, t, adjTo[tFree1]!) : -1;
      bestGain = 0;
      bestLength = 0;
      reads = 0;
      onPath[s] = 1;
      extend(s, -mateWeight[s]!, 0);
      onPath[s] = 0;
      if (bestLength === 0) continue;
      applyMove(state, bestFrom, bestTo, bestWeight, bestLength);
      improved = changed = true;
    }
    if (!improved) break;
  }
  return changed;
}
