import type { WeightedGraph } from './graph.js';

/**
 * A matching being improved in place, over a compressed adjacency whose lists
 * are sorted heaviest first (ties in edge order), shared by the greedy start,
 * the local search and the long-path search of the approximate matcher.
 */
export interface MatchingState {
  n: number;
  adjStart: Int32Array;
  adjTo: Int32Array;
  adjWeight: Float64Array;
  /** Partner of each vertex, or -1. */
  mate: Int32Array;
  /** Weight of the edge to the partner. */
  mateWeight: Float64Array;
  /** Vertices whose neighbourhood changed since they were last searched. */
  dirty: Uint8Array;
  /** freeFrom[v]: every neighbour listed before this position in v's list was matched when last looked at. */
  freeFrom: Int32Array;
}

export function matchingState(graph: WeightedGraph): MatchingState {
  const n = graph.vertexCount;
  const order = edgesByWeight(graph);
  const { adjStart, adjTo, adjWeight } = sortedAdjacency(graph, order);
  const state: MatchingState = {
    n,
    adjStart,
    adjTo,
    adjWeight,
    mate: new Int32Array(n).fill(-1),
    mateWeight: new Float64Array(n),
    dirty: new Uint8Array(n).fill(1),
    freeFrom: adjStart.slice(0, n),
  };
  greedy(graph, order, state);
  return state;
}

/** Position in v's list of its heaviest free neighbour, or -1; `except` is treated as matched. */
export function heaviestFree(state: MatchingState, v: number, except: number): number {
  const { adjStart, adjTo, mate, freeFrom } = state;
  const end = adjStart[v + 1]!;
  let q = freeFrom[v]!;
  while (q < end && mate[adjTo[q]!]! >= 0) q++;
  freeFrom[v] = q;
  while (q < end && (mate[adjTo[q]!]! >= 0 || adjTo[q] === except)) q++;
  return q < end ? q : -1;
}

/**
 * Applies a move given as its new edges (from[i], to[i], weight[i]): the old
 * partners of their ends lose them, and whoever the move changes, or leaves
 * free, is searched again with their neighbours.
 */
export function applyMove(state: MatchingState, from: Int32Array, to: Int32Array, weight: Float64Array, length: number): void {
  const { mate, mateWeight } = state;
  const released: number[] = [];
  for (let i = 0; i < 2 * length; i++) {
    const v = i & 1 ? to[i >> 1]! : from[i >> 1]!;
    const old = mate[v]!;
    if (old >= 0) {
      mate[old] = -1;
      released.push(old);
    }
    mate[v] = -1;
  }
  for (let i = 0; i < length; i++) {
    const u = from[i]!;
    const v = to[i]!;
    mate[u] = v;
    mate[v] = u;
    mateWeight[u] = mateWeight[v] = weight[i]!;
    touch(state, u);
    touch(state, v);
  }
  for (const v of released) {
    if (mate[v] !== -1) continue;
    touch(state, v);
    // v is free again: neighbours that skipped it as matched must look again.
    for (let q = state.adjStart[v]!; q < state.adjStart[v + 1]!; q++) {
      const w = state.adjTo[q]!;
      state.freeFrom[w] = state.adjStart[w]!;
    }
  }
}

/** Marks for search every matched vertex whose partner has a free neighbour, and nothing else. */
export function markPartnersOfFree(state: MatchingState): void {
  const { n, mate, dirty } = state;
  dirty.fill(0);
  for (let v = 0; v < n; v++) if (mate[v] !== -1 && heaviestFree(state, mate[v]!, -1) >= 0) dirty[v] = 1;
}

/** Pairs every free vertex that still has a free neighbour with the heaviest one, in vertex order. */
export function pairFreeNeighbours(state: MatchingState): void {
  const { mate, mateWeight, adjTo, adjWeight } = state;
  for (let v = 0; v < state.n; v++) {
    if (mate[v] !== -1) continue;
    const q = heaviestFree(state, v, -1);
    if (q < 0) continue;
    mate[v] = adjTo[q]!;
    mate[adjTo[q]!] = v;
    mateWeight[v] = mateWeight[adjTo[q]!] = adjWeight[q]!;
  }
}

function touch(state: MatchingState, v: number): void {
  state.dirty[v] = 1;
  for (let q = state.adjStart[v]!; q < state.adjStart[v + 1]!; q++) state.dirty[state.adjTo[q]!] = 1;
}

/** Greedy matching: edges heaviest first (ties in index order), each taken when both ends are free. */
function greedy(graph: WeightedGraph, order: Int32Array, state: MatchingState): void {
  const { mate, mateWeight } = state;
  for (const k of order) {
    const u = graph.from[k]!;
    const v = graph.to[k]!;
    if (u !== v && mate[u] === -1 && mate[v] === -1) {
      mate[u] = v;
      mate[v] = u;
      mateWeight[u] = mateWeight[v] = graph.weight[k]!;
    }
  }
}

/**
 * Indices of the positive edges by descending weight, ties in index order.
 * Integer weights (the engine's thousandths) go through a counting sort,
 * linear in the edges; anything else through a comparison sort.
 */
export function edgesByWeight(graph: WeightedGraph): Int32Array {
  const m = graph.from.length;
  const weight = graph.weight;
  let maxWeight = 0;
  let integral = true;
  for (let k = 0; k < m; k++) {
    const w = weight[k]!;
    if (w > maxWeight) maxWeight = w;
    if (!Number.isInteger(w)) integral = false;
  }
  if (integral && maxWeight <= 2 * m + 65_536) {
    const start = new Int32Array(maxWeight + 2);
    for (let k = 0; k < m; k++) if (weight[k]! > 0) start[maxWeight - weight[k]! + 1]!++;
    for (let w = 0; w <= maxWeight; w++) start[w + 1] = start[w + 1]! + start[w]!;
    const order = new Int32Array(start[maxWeight + 1]!);
    for (let k = 0; k < m; k++) if (weight[k]! > 0) order[start[maxWeight - weight[k]!]!++] = k;
    return order;
  }
  const positive = Int32Array.from({ length: m }, (_, k) => k).filter((k) => weight[k]! > 0);
  return positive.sort((x, y) => weight[y]! - weight[x]! || x - y);
}

/** Compressed adjacency over the given edges (self-loops left out), each list in their order. */
function sortedAdjacency(graph: WeightedGraph, order: Int32Array) {
  const n = graph.vertexCount;
  const adjStart = new Int32Array(n + 1);
  for (const k of order) {
    if (graph.from[k] === graph.to[k]) continue;
    adjStart[graph.from[k]! + 1]!++;
    adjStart[graph.to[k]! + 1]!++;
  }
  for (let v = 0; v < n; v++) adjStart[v + 1] = adjStart[v + 1]! + adjStart[v]!;
  const fill = adjStart.slice(0, n);
  const adjTo = new Int32Array(adjStart[n]!);
  const adjWeight = new Float64Array(adjStart[n]!);
  for (const k of order) {
    const u = graph.from[k]!;
    const v = graph.to[k]!;
    if (u === v) continue;
    adjTo[fill[u]!] = v;
    adjWeight[fill[u]!++] = graph.weight[k]!;
    adjTo[fill[v]!] = u;
    adjWeight[fill[v]!++] = graph.weight[k]!;
  }
  return { adjStart, adjTo, adjWeight };
}
