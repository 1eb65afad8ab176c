import type { Mates, WeightedGraph } from './graph.js';
import { localSearch } from './local-search.js';
import { longPaths } from './long-paths.js';
import { markPartnersOfFree, matchingState, pairFreeNeighbours } from './matching-state.js';

export interface ApproximateOptions {
  /** Sweeps of the local search over the vertices whose neighbourhood changed. Default 25. */
  maxPasses?: number;
  /** Matched edges a local move may displace after the start's own (up to that many plus one new edges). Default 4. */
  depth?: number;
  /** Matched neighbours a local move follows from each displaced member. Default 3. */
  breadth?: number;
  /** Adjacency entries one local search may read before it settles for the best move found. Default 400. */
  budget?: number;
  /** Rounds of the long-path search, each followed by local search around what it changed. Default 6. */
  longPathRounds?: number;
}

/**
 * Fast maximum-weight matching for large sparse graphs. Every step keeps the
 * matching valid and never lowers its total:
 * 1. greedy by weight (a ½-approximation; ties to the earlier edge);
 * 2. `localSearch`: short weighted moves around every matched vertex —
 *    alternating paths and cycles of up to `depth` displaced pairs;
 * 3. rounds of `longPaths`: augmenting paths of any length, grown from all
 *    free vertices at once, each round followed by local search where it
 *    changed something;
 * 4. local search once more where a member's partner has a free neighbour,
 *    now letting that partner take it (short moves through odd cycles, which
 *    the trees of step 3 do not see);
 * 5. any two free neighbours still left are paired, so no edge joins two
 *    free vertices.
 * Near-linear in practice; deterministic (no randomness, ties by index).
 * The second argument may be a number, read as `maxPasses`; 0 returns the greedy matching.
 */
export function maxWeightMatchingApprox(graph: WeightedGraph, options: ApproximateOptions | number = {}): Mates {
  const settings: ApproximateOptions = typeof options === 'number' ? { maxPasses: options } : options;
  const limits = {
    maxPasses: settings.maxPasses ?? 25,
    depth: settings.depth ?? 4,
    breadth: settings.breadth ?? 3,
    budget: settings.budget ?? 400,
    partnerTakesFree: false,
  };
  const state = matchingState(graph);
  if (state.adjTo.length === 0 || limits.maxPasses < 1) return state.mate;
  localSearch(state, limits);
  for (let round = 0; round < (settings.longPathRounds ?? 6); round++) {
    if (!longPaths(state)) break;
    localSearch(state, limits);
  }
  // Taken before the long paths, these moves use up free members the long paths place better.
  markPartnersOfFree(state);
  localSearch(state, { ...limits, partnerTakesFree: true });
  pairFreeNeighbours(state);
  return state.mate;
}
