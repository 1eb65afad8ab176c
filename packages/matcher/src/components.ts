import type { Mates, WeightedGraph } from './graph.js';

/**
 * Solves each connected component on its own and stitches the mates back
 * together. Components are independent (peers never meet mentors), and the
 * exact matcher's cost grows with the cube of the component, not the round.
 */
export function matchByComponent(graph: WeightedGraph, solve: (component: WeightedGraph) => Mates): Mates {
  const n = graph.vertexCount;
  const parent = new Int32Array(n);
  for (let v = 0; v < n; v++) parent[v] = v;
  const root = (v: number): number => {
    while (parent[v] !== v) {
      // Path halving: point v at its grandparent as we climb.
      const up = parent[parent[v]!]!;
      parent[v] = up;
      v = up;
    }
    return v;
  };
  const m = graph.from.length;
  for (let k = 0; k < m; k++) {
    const a = root(graph.from[k]!);
    const b = root(graph.to[k]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }

  // Number components by their smallest vertex and vertices within them in order.
  const component = new Int32Array(n);
  const local = new Int32Array(n);
  const sizes: number[] = [];
  // A root is the smallest vertex of its component, so it is numbered before any other member.
  for (let v = 0; v < n; v++) {
    const r = root(v);
    const c = r === v ? sizes.push(0) - 1 : component[r]!;
    component[v] = c;
    local[v] = sizes[c]!++;
  }
  const edgeCounts = new Int32Array(sizes.length);
  for (let k = 0; k < m; k++) edgeCounts[component[graph.from[k]!]!]!++;
  const parts = sizes.map((size, c) => ({
    vertices: new Int32Array(size),
    graph: {
      vertexCount: size,
      from: new Int32Array(edgeCounts[c]!),
      to: new Int32Array(edgeCounts[c]!),
      weight: new Float64Array(edgeCounts[c]!),
    },
    edges: 0,
  }));
  for (let v = 0; v < n; v++) parts[component[v]!]!.vertices[local[v]!] = v;
  for (let k = 0; k < m; k++) {
    const part = parts[component[graph.from[k]!]!]!;
    part.graph.from[part.edges] = local[graph.from[k]!]!;
    part.graph.to[part.edges] = local[graph.to[k]!]!;
    part.graph.weight[part.edges++] = graph.weight[k]!;
  }

  const mate = new Int32Array(n).fill(-1);
  for (const part of parts) {
    if (part.edges === 0) continue;
    const partMates = solve(part.graph);
    for (let i = 0; i < part.vertices.length; i++) {
      if (partMates[i]! >= 0) mate[part.vertices[i]!] = part.vertices[partMates[i]!]!;
    }
  }
  return mate;
}
