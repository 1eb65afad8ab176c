/**
 * An undirected graph with integer edge weights, stored as parallel arrays so
 * 100k members and a million candidate edges stay compact.
 */
export interface WeightedGraph {
  vertexCount: number;
  from: Int32Array;
  to: Int32Array;
  /** Non-negative integers (scores in thousandths), so the exact matcher stays in integer arithmetic. */
  weight: Float64Array;
}

/** `mate[v]` is the vertex matched to v, or -1. */
export type Mates = Int32Array;

export function graphFromEdges(vertexCount: number, edges: readonly (readonly [number, number, number])[]): WeightedGraph {
  const from = new Int32Array(edges.length);
  const to = new Int32Array(edges.length);
  const weight = new Float64Array(edges.length);
  edges.forEach(([u, v, w], k) => {
    from[k] = u;
    to[k] = v;
    weight[k] = w;
  });
  return { vertexCount, from, to, weight };
}

/** Sum of the weights of matched edges; a pair joined by parallel edges counts its heaviest once. */
export function matchingWeight(graph: WeightedGraph, mate: Mates): number {
  const best = new Map<number, number>();
  for (let k = 0; k < graph.from.length; k++) {
    const u = graph.from[k]!;
    const v = graph.to[k]!;
    if (u !== v && mate[u] === v && mate[v] === u) {
      const lo = Math.min(u, v);
      best.set(lo, Math.max(best.get(lo) ?? 0, graph.weight[k]!));
    }
  }
  let total = 0;
  for (const w of best.values()) total += w;
  return total;
}
