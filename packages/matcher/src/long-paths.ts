import { applyMove, type MatchingState } from './matching-state.js';

/**
 * Long augmenting paths, which a bounded local search cannot see: when one
 * more pair needs a chain of sixty members to move over by one. Grows an
 * alternating forest from every free vertex at once, as one stage of
 * Edmonds' algorithm does (without shrinking blossoms): each member joins at
 * most one tree, reached best gain first. Where two trees touch, their roots
 * are joined by an augmenting path, and both trees stop growing so that one
 * tree cannot flood a crowd of equal scores and leave the others nothing; a
 * member displaced at a positive gain may also simply be left free. The
 * disjoint paths that gain most are then applied — an augmenting path when it
 * loses no weight (one more pair), any other only when it gains. Returns
 * whether anything changed.
 */
export function longPaths(state: MatchingState): boolean {
  const { n, adjStart, adjTo, adjWeight, mate, mateWeight } = state;
  // tree[v]: the root of the tree holding v, or -1. Outer members are free roots or displaced members.
  const tree = new Int32Array(n).fill(-1);
  const outer = new Uint8Array(n);
  const gain = new Float64Array(n);
  // For a displaced outer member y: its old partner `via`, and the outer member `parent` whose new
  // edge to via (of weight parentWeight) displaced it.
  const parent = new Int32Array(n).fill(-1);
  const via = new Int32Array(n);
  const parentWeight = new Float64Array(n);
  const heap = new GainHeap(n);
  for (let v = 0; v < n; v++) {
    if (mate[v] === -1 && adjStart[v + 1]! > adjStart[v]!) {
      tree[v] = v;
      outer[v] = 1;
      heap.push(v, 0);
    }
  }
  if (heap.size === 0) return false;

  // Every move takes its tree's root, so each tree keeps only its best: join a–b (b = -1: leave a free).
  const candA = new Int32Array(n).fill(-1);
  const candB = new Int32Array(n).fill(-1);
  const candWeight = new Float64Array(n);
  const candGain = new Float64Array(n).fill(-Infinity);
  const finished = new Uint8Array(n);
  const offer = (a: number, b: number, w: number, g: number): void => {
    const r = tree[a]!;
    // Among equal gains an augmenting path first: one more pair.
    if (g > candGain[r]! || (g === candGain[r] && b >= 0 && candB[r]! < 0)) {
      candA[r] = a;
      candB[r] = b;
      candWeight[r] = w;
      candGain[r] = g;
    }
  };
  while (heap.size > 0) {
    const a = heap.pop();
    // A tree that has met another stops growing, leaving room for the trees still searching.
    if (finished[tree[a]!]) continue;
    const g = gain[a]!;
    for (let q = adjStart[a]!, end = adjStart[a + 1]!; q < end; q++) {
      const added = g + adjWeight[q]!;
      // Heaviest first, and no tree ends far above gain 0: nothing later in the list can pay off.
      if (added < 0) break;
      const x = adjTo[q]!;
      if (tree[x]! >= 0) {
        if (outer[x] && tree[x] !== tree[a] && added + gain[x]! >= 0) {
          offer(a, x, adjWeight[q]!, added + gain[x]!);
          finished[tree[a]!] = finished[tree[x]!] = 1;
        }
        continue;
      }
      const y = mate[x]!;
      if (y < 0 || tree[y]! >= 0 || added <= 0) continue;
      tree[x] = tree[y] = tree[a]!;
      outer[y] = 1;
      gain[y] = added - mateWeight[x]!;
      parent[y] = a;
      via[y] = x;
      parentWeight[y] = adjWeight[q]!;
      heap.push(y, gain[y]!);
      if (gain[y]! > 0) offer(y, -1, 0, gain[y]!);
    }
  }
  const roots: number[] = [];
  for (let r = 0; r < n; r++) if (candA[r]! >= 0) roots.push(r);
  if (roots.length === 0) return false;

  // Best first; ties to the augmenting path, then to the lower root.
  const order = roots.sort(
    (i, j) => candGain[j]! - candGain[i]! || Number(candB[j]! >= 0) - Number(candB[i]! >= 0) || i - j,
  );

  const used = new Uint8Array(n);
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const members: number[] = [];
  /** The new edges on the tree path from outer member v up to its root, and the members on it. */
  const walk = (start: number): void => {
    let v = start;
    members.push(v);
    while (parent[v]! >= 0) {
      const x = via[v]!;
      from.push(parent[v]!);
      to.push(x);
      weight.push(parentWeight[v]!);
      members.push(x, parent[v]!);
      v = parent[v]!;
    }
  };
  let changed = false;
  for (const i of order) {
    from.length = to.length = weight.length = members.length = 0;
    const a = candA[i]!;
    const b = candB[i]!;
    if (b >= 0) {
      from.push(a);
      to.push(b);
      weight.push(candWeight[i]!);
      walk(a);
      walk(b);
    } else {
      walk(a);
    }
    if (members.some((v) => used[v])) continue;
    for (const v of members) used[v] = 1;
    applyMove(state, Int32Array.from(from), Int32Array.from(to), Float64Array.from(weight), from.length);
    changed = true;
  }
  return changed;
}

/** A binary max-heap of vertices by gain, ties to the lower vertex, so the search is deterministic. */
class GainHeap {
  private readonly vertex: Int32Array;
  private readonly key: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.vertex = new Int32Array(capacity);
    this.key = new Float64Array(capacity);
  }

  private above(i: number, j: number): boolean {
    return this.key[i]! > this.key[j]! || (this.key[i] === this.key[j] && this.vertex[i]! < this.vertex[j]!);
  }

  private swap(i: number, j: number): void {
    const v = this.vertex[i]!;
    const k = this.key[i]!;
    this.vertex[i] = this.vertex[j]!;
    this.key[i] = this.key[j]!;
    this.vertex[j] = v;
    this.key[j] = k;
  }

  push(v: number, key: number): void {
    let i = this.size++;
    this.vertex[i] = v;
    this.key[i] = key;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.above(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }

  pop(): number {
    const top = this.vertex[0]!;
    this.size--;
    if (this.size > 0) {
      this.vertex[0] = this.vertex[this.size]!;
      this.key[0] = this.key[this.size]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.size && this.above(l, best)) best = l;
        if (r < this.size && this.above(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}
