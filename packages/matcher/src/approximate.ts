import type { Mates, WeightedGraph } from './graph.js';

/**
 * Fast maximum-weight matching for large sparse graphs: greedy by weight (a
 * ½-approximation, ties to the earlier edge), then local search with short
 * augmentations centred on each vertex — take an edge u–x and re-pair the
 * partners it frees, or swap two pairs (u–v, x–y) for (u–x, v–y) — in the
 * spirit of Pettie and Sanders' ⅔-approximation. Every accepted move raises
 * the total, so the search ends; vertices next to a change are revisited.
 * O(m log m) for the greedy, O(Δ²) per visit; no randomness.
 */
export function maxWeightMatchingApprox(graph: WeightedGraph, maxPasses = 25): Mates {
  const n = graph.vertexCount;
  const m = graph.from.length;
  const order = edgesByWeight(graph);
  const { adjStart, adjTo, adjWeight } = adjacency(graph, order);
  const mate = new Int32Array(n).fill(-1);
  const mateWeight = new Float64Array(n);

  for (const k of order) {
    const u = graph.from[k]!;
    const v = graph.to[k]!;
    if (u !== v && mate[u] === -1 && mate[v] === -1 && graph.weight[k]! > 0) {
      mate[u] = v;
      mate[v] = u;
      mateWeight[u] = mateWeight[v] = graph.weight[k]!;
    }
  }
  if (m === 0) return mate;

  const unmatch = (x: number) => {
    const y = mate[x]!;
    if (y >= 0) mate[y] = -1;
    mate[x] = -1;
  };
  const pair = (x: number, y: number, w: number) => {
    mate[x] = y;
    mate[y] = x;
    mateWeight[x] = mateWeight[y] = w;
  };
  /** Position in y's adjacency of its heaviest free neighbour other than e1 and e2, or -1. */
  const bestFree = (y: number, e1: number, e2: number): number => {
    for (let q = adjStart[y]!; q < adjStart[y + 1]!; q++) {
      const z = adjTo[q]!;
      if (mate[z] === -1 && z !== e1 && z !== e2) return q;
    }
    return -1;
  };
  const weightAt = (q: number) => (q < 0 ? 0 : adjWeight[q]!);
  const heaviest = (y: number) => (adjStart[y]! < adjStart[y + 1]! ? adjWeight[adjStart[y]!]! : 0);
  const edgeWeight = (v: number, y: number): number => {
    for (let q = adjStart[v]!; q < adjStart[v + 1]!; q++) if (adjTo[q] === y) return adjWeight[q]!;
    return -1;
  };
  // Per visit: the weights from u's partner v to its neighbours, and v's three best free neighbours.
  const visit = new Int32Array(n).fill(-1);
  const weightFromV = new Float64Array(n);
  const freeOfV = new Int32Array(3);
  /** v's heaviest free neighbour other than x, as an adjacency position, or -1. */
  const freeNeighbourOfV = (x: number): number => {
    for (let f = 0; f < 3; f++) {
      const q = freeOfV[f]!;
      if (q >= 0 && adjTo[q] !== x) return q;
    }
    return -1;
  };

  let dirty = new Uint8Array(n).fill(1);
  const touched: number[] = [];
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (let u = 0; u < n; u++) {
      if (!dirty[u]) continue;
      // The best move at u takes the edge u–x; moveV and moveY are adjacency positions of the
      // new partners of u's and x's old partners (-1 none), or moveY = -2 to pair them together.
      let bestGain = 0;
      let moveX = -1;
      let moveV = -1;
      let moveY = -1;
      const v = mate[u]!;
      const c = v >= 0 ? mateWeight[u]! : 0;
      if (v >= 0) {
        freeOfV.fill(-1);
        let found = 0;
        for (let q = adjStart[v]!; q < adjStart[v + 1]!; q++) {
          const z = adjTo[q]!;
          if (visit[z] !== u) {
            visit[z] = u;
            weightFromV[z] = adjWeight[q]!;
          }
          if (found < 3 && mate[z] === -1) freeOfV[found++] = q;
        }
      }
      for (let p = adjStart[u]!; p < adjStart[u + 1]!; p++) {
        const x = adjTo[p]!;
        if (x === v) continue;
        const a = adjWeight[p]!;
        const y = mate[x]!;
        if (y === -1) {
          const qv = v >= 0 ? freeNeighbourOfV(x) : -1;
          const gain = a - c + weightAt(qv);
          if (gain > bestGain) {
            bestGain = gain;
            moveX = x;
            moveV = qv;
            moveY = -1;
          }
          continue;
        }
        const b = mateWeight[x]!;
        if (v === -1) {
          if (a - b + heaviest(y) <= bestGain) continue;
          const qy = bestFree(y, u, -1);
          const gain = a - b + weightAt(qy);
          if (gain > bestGain) {
            bestGain = gain;
            moveX = x;
            moveV = -1;
            moveY = qy;
          }
          continue;
        }
        if (visit[y] === u && a - c - b + weightFromV[y]! > bestGain) {
          [bestGain, moveX, moveV, moveY] = [a - c - b + weightFromV[y]!, x, -1, -2];
        }
        // u, v, x and y are all matched, so none of them can be a free neighbour.
        const qv = freeNeighbourOfV(-1);
        if (a - c - b + weightAt(qv) + heaviest(y) <= bestGain) continue;
        const qy = bestFree(y, qv < 0 ? -1 : adjTo[qv]!, -1);
        const gain = a - c - b + weightAt(qv) + weightAt(qy);
        if (gain > bestGain) {
          bestGain = gain;
          moveX = x;
          moveV = qv;
          moveY = qy;
        }
      }
      if (moveX < 0) continue;
      const x = moveX;
      const y = mate[x]!;
      const a = edgeWeight(u, x);
      unmatch(u);
      unmatch(x);
      pair(u, x, a);
      touched.push(u, x);
      if (v >= 0) touched.push(v);
      if (y >= 0) touched.push(y);
      if (moveY === -2) pair(v, y, edgeWeight(v, y));
      else {
        if (moveV >= 0) {
          pair(v, adjTo[moveV]!, adjWeight[moveV]!);
          touched.push(adjTo[moveV]!);
        }
        if (moveY >= 0) {
          pair(y, adjTo[moveY]!, adjWeight[moveY]!);
          touched.push(adjTo[moveY]!);
        }
      }
      improved = true;
    }
    if (!improved) break;
    dirty = new Uint8Array(n);
    for (const t of touched) {
      dirty[t] = 1;
      for (let q = adjStart[t]!; q < adjStart[t + 1]!; q++) dirty[adjTo[q]!] = 1;
    }
    touched.length = 0;
  }
  return mate;
}

/** Edge indices by descending weight, ties in index order. */
function edgesByWeight(graph: WeightedGraph): Int32Array {
  const m = graph.from.length;
  let maxWeight = 0;
  for (let k = 0; k < m; k++) maxWeight = Math.max(maxWeight, graph.weight[k]!);
  if ((maxWeight + 1) * m < 2 ** 52 && graph.weight.every(Number.isInteger)) {
    // One numeric key per edge sorts a million edges far faster than a comparator.
    const keys = new Float64Array(m);
    for (let k = 0; k < m; k++) keys[k] = (maxWeight - graph.weight[k]!) * m + k;
    keys.sort();
    return Int32Array.from(keys, (key) => key % m);
  }
  return Int32Array.from({ length: m }, (_, k) => k).sort((x, y) => graph.weight[y]! - graph.weight[x]! || x - y);
}

/** Compressed adjacency, each vertex's neighbours in the given (descending weight) edge order. */
function adjacency(graph: WeightedGraph, order: Int32Array) {
  const n = graph.vertexCount;
  const m = graph.from.length;
  const adjStart = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
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
