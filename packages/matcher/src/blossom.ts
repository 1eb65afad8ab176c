import type { Mates, WeightedGraph } from './graph.js';

/**
 * Exact maximum-weight matching on a general graph: Edmonds' blossom algorithm
 * in its primal-dual O(n³) form (Gabow 1974, Galil's 1986 survey; the layout of
 * the state follows the well-known reference implementation by J. van Rantwijk).
 * Weights must be non-negative integers; they are doubled internally so every
 * dual variable stays an integer and no floating-point slack can go wrong.
 * Fine for a few thousand vertices; use it to check the approximation.
 */
export function maxWeightMatchingExact(graph: WeightedGraph): Mates {
  const n = graph.vertexCount;
  const edgeIds: number[] = [];
  for (let k = 0; k < graph.from.length; k++) {
    const w = graph.weight[k]!;
    if (!Number.isInteger(w) || w < 0) throw new RangeError(`edge ${k} has weight ${w}; weights must be non-negative integers`);
    if (graph.from[k] !== graph.to[k] && w > 0) edgeIds.push(k);
  }
  const m = edgeIds.length;
  const result = new Int32Array(n).fill(-1);
  if (m === 0) return result;

  const endpoint = new Int32Array(2 * m);
  const weight2 = new Float64Array(m);
  let maxWeight = 0;
  const neighbourEnds: number[][] = Array.from({ length: n }, () => []);
  edgeIds.forEach((id, k) => {
    const i = graph.from[id]!;
    const j = graph.to[id]!;
    endpoint[2 * k] = i;
    endpoint[2 * k + 1] = j;
    weight2[k] = 2 * graph.weight[id]!;
    maxWeight = Math.max(maxWeight, weight2[k]!);
    neighbourEnds[i]!.push(2 * k + 1);
    neighbourEnds[j]!.push(2 * k);
  });

  // Vertices are 0..n-1; non-trivial blossoms take ids n..2n-1.
  // mate[v] is the endpoint index of v's partner (p with endpoint[p] = partner), or -1.
  const mate = new Int32Array(n).fill(-1);
  // label: 0 free, 1 S (outer), 2 T (inner); bit 4 marks a blossom during scanBlossom.
  const label = new Int32Array(2 * n);
  const labelEnd = new Int32Array(2 * n).fill(-1);
  const inBlossom = new Int32Array(n);
  for (let v = 0; v < n; v++) inBlossom[v] = v;
  const blossomParent = new Int32Array(2 * n).fill(-1);
  const blossomChildren: (number[] | null)[] = new Array(2 * n).fill(null);
  const blossomBase = new Int32Array(2 * n).fill(-1);
  for (let v = 0; v < n; v++) blossomBase[v] = v;
  const blossomEnds: (number[] | null)[] = new Array(2 * n).fill(null);
  const bestEdge = new Int32Array(2 * n).fill(-1);
  const blossomBestEdges: (number[] | null)[] = new Array(2 * n).fill(null);
  const unusedBlossoms: number[] = [];
  for (let b = 2 * n - 1; b >= n; b--) unusedBlossoms.push(b);
  const dual = new Float64Array(2 * n);
  for (let v = 0; v < n; v++) dual[v] = maxWeight;
  const allowEdge = new Uint8Array(m);
  let queue: number[] = [];

  const slack = (k: number) => dual[endpoint[2 * k]!]! + dual[endpoint[2 * k + 1]!]! - 2 * weight2[k]!;

  const leaves = (b: number, out: number[] = []): number[] => {
    if (b < n) out.push(b);
    else for (const t of blossomChildren[b]!) leaves(t, out);
    return out;
  };

  const assignLabel = (w: number, t: number, p: number): void => {
    const b = inBlossom[w]!;
    label[w] = label[b] = t;
    labelEnd[w] = labelEnd[b] = p;
    bestEdge[w] = bestEdge[b] = -1;
    if (t === 1) {
      for (const leaf of leaves(b)) queue.push(leaf);
    } else {
      const base = blossomBase[b]!;
      assignLabel(endpoint[mate[base]!]!, 1, mate[base]! ^ 1);
    }
  };

  // Trace back from v and w to find a common ancestor (a new blossom's base) or -1 (an augmenting path).
  const scanBlossom = (vStart: number, wStart: number): number => {
    const path: number[] = [];
    let base = -1;
    let v = vStart;
    let w = wStart;
    while (v !== -1 || w !== -1) {
      let b = inBlossom[v]!;
      if (label[b]! & 4) {
        base = blossomBase[b]!;
        break;
      }
      path.push(b);
      label[b] = 5;
      if (labelEnd[b] === -1) {
        v = -1;
      } else {
        v = endpoint[labelEnd[b]!]!;
        b = inBlossom[v]!;
        v = endpoint[labelEnd[b]!]!;
      }
      if (w !== -1) [v, w] = [w, v];
    }
    for (const b of path) label[b] = 1;
    return base;
  };

  const addBlossom = (base: number, k: number): void => {
    let v = endpoint[2 * k]!;
    let w = endpoint[2 * k + 1]!;
    const bb = inBlossom[base]!;
    let bv = inBlossom[v]!;
    let bw = inBlossom[w]!;
    const b = unusedBlossoms.pop()!;
    blossomBase[b] = base;
    blossomParent[b] = -1;
    blossomParent[bb] = b;
    const path: number[] = [];
    const ends: number[] = [];
    while (bv !== bb) {
      blossomParent[bv] = b;
      path.push(bv);
      ends.push(labelEnd[bv]!);
      v = endpoint[labelEnd[bv]!]!;
      bv = inBlossom[v]!;
    }
    path.push(bb);
    path.reverse();
    ends.reverse();
    ends.push(2 * k);
    while (bw !== bb) {
      blossomParent[bw] = b;
      path.push(bw);
      ends.push(labelEnd[bw]! ^ 1);
      w = endpoint[labelEnd[bw]!]!;
      bw = inBlossom[w]!;
    }
    blossomChildren[b] = path;
    blossomEnds[b] = ends;
    label[b] = 1;
    labelEnd[b] = labelEnd[bb]!;
    dual[b] = 0;
    for (const leaf of leaves(b)) {
      if (label[inBlossom[leaf]!] === 2) queue.push(leaf);
      inBlossom[leaf] = b;
    }
    // Keep, per neighbouring S-blossom, the least-slack edge out of the new blossom.
    const bestTo = new Map<number, number>();
    for (const child of path) {
      const lists = blossomBestEdges[child]
        ? [blossomBestEdges[child]!]
        : leaves(child).map((leaf) => neighbourEnds[leaf]!.map((p) => p >> 1));
      for (const list of lists) {
        for (const e of list) {
          let j = endpoint[2 * e + 1]!;
          if (inBlossom[j] === b) j = endpoint[2 * e]!;
          const bj = inBlossom[j]!;
          if (bj !== b && label[bj] === 1) {
            const current = bestTo.get(bj);
            if (current === undefined || slack(e) < slack(current)) bestTo.set(bj, e);
          }
        }
      }
      blossomBestEdges[child] = null;
      bestEdge[child] = -1;
    }
    const best = [...bestTo.values()];
    blossomBestEdges[b] = best;
    bestEdge[b] = -1;
    for (const e of best) if (bestEdge[b] === -1 || slack(e) < slack(bestEdge[b]!)) bestEdge[b] = e;
  };

  const expandBlossom = (b: number, endStage: boolean): void => {
    const children = blossomChildren[b]!;
    for (const s of children) {
      blossomParent[s] = -1;
      if (s < n) inBlossom[s] = s;
      else if (endStage && dual[s] === 0) expandBlossom(s, endStage);
      else for (const leaf of leaves(s)) inBlossom[leaf] = s;
    }
    if (!endStage && label[b] === 2) {
      // Relabel the children on the even-length path from the entry child to the base.
      const ends = blossomEnds[b]!;
      const entryChild = inBlossom[endpoint[labelEnd[b]! ^ 1]!]!;
      let j = children.indexOf(entryChild);
      let step: number;
      let trick: number;
      if (j & 1) {
        j -= children.length;
        step = 1;
        trick = 0;
      } else {
        step = -1;
        trick = 1;
      }
      const at = <T>(list: T[], i: number): T => list[i < 0 ? i + list.length : i]!;
      let p = labelEnd[b]!;
      while (j !== 0) {
        label[endpoint[p ^ 1]!] = 0;
        label[endpoint[at(ends, j - trick) ^ trick ^ 1]!] = 0;
        assignLabel(endpoint[p ^ 1]!, 2, p);
        allowEdge[at(ends, j - trick) >> 1] = 1;
        j += step;
        p = at(ends, j - trick) ^ trick;
        allowEdge[p >> 1] = 1;
        j += step;
      }
      const bv = at(children, j);
      label[endpoint[p ^ 1]!] = label[bv] = 2;
      labelEnd[endpoint[p ^ 1]!] = labelEnd[bv] = p;
      bestEdge[bv] = -1;
      j += step;
      while (at(children, j) !== entryChild) {
        const child = at(children, j);
        if (label[child] === 1) {
          j += step;
          continue;
        }
        const reached = leaves(child).find((leaf) => label[leaf] !== 0);
        if (reached !== undefined) {
          label[reached] = 0;
          label[endpoint[mate[blossomBase[child]!]!]!] = 0;
          assignLabel(reached, 2, labelEnd[reached]!);
        }
        j += step;
      }
    }
    label[b] = labelEnd[b] = -1;
    blossomChildren[b] = blossomEnds[b] = null;
    blossomBase[b] = -1;
    blossomBestEdges[b] = null;
    bestEdge[b] = -1;
    unusedBlossoms.push(b);
  };

  // Swap matched and unmatched edges on the path through blossom b from vertex v to its base.
  const augmentBlossom = (b: number, v: number): void => {
    let t = v;
    while (blossomParent[t] !== b) t = blossomParent[t]!;
    if (t >= n) augmentBlossom(t, v);
    const children = blossomChildren[b]!;
    const ends = blossomEnds[b]!;
    const at = <T>(list: T[], i: number): T => list[i < 0 ? i + list.length : i]!;
    const i = children.indexOf(t);
    let j = i;
    let step: number;
    let trick: number;
    if (i & 1) {
      j -= children.length;
      step = 1;
      trick = 0;
    } else {
      step = -1;
      trick = 1;
    }
    while (j !== 0) {
      j += step;
      let child = at(children, j);
      const p = at(ends, j - trick) ^ trick;
      if (child >= n) augmentBlossom(child, endpoint[p]!);
      j += step;
      child = at(children, j);
      if (child >= n) augmentBlossom(child, endpoint[p ^ 1]!);
      mate[endpoint[p]!] = p ^ 1;
      mate[endpoint[p ^ 1]!] = p;
    }
    blossomChildren[b] = children.slice(i).concat(children.slice(0, i));
    blossomEnds[b] = ends.slice(i).concat(ends.slice(0, i));
    blossomBase[b] = blossomBase[blossomChildren[b]![0]!]!;
  };

  const augmentMatching = (k: number): void => {
    const starts: [number, number][] = [
      [endpoint[2 * k]!, 2 * k + 1],
      [endpoint[2 * k + 1]!, 2 * k],
    ];
    for (const [start, startEnd] of starts) {
      let s = start;
      let p = startEnd;
      for (;;) {
        const bs = inBlossom[s]!;
        if (bs >= n) augmentBlossom(bs, s);
        mate[s] = p;
        if (labelEnd[bs] === -1) break;
        const t = endpoint[labelEnd[bs]!]!;
        const bt = inBlossom[t]!;
        s = endpoint[labelEnd[bt]!]!;
        const j = endpoint[labelEnd[bt]! ^ 1]!;
        if (bt >= n) augmentBlossom(bt, j);
        mate[j] = labelEnd[bt]!;
        p = labelEnd[bt]! ^ 1;
      }
    }
  };

  for (let stage = 0; stage < n; stage++) {
    label.fill(0);
    bestEdge.fill(-1);
    blossomBestEdges.fill(null, n);
    allowEdge.fill(0);
    queue = [];
    for (let v = 0; v < n; v++) if (mate[v] === -1 && label[inBlossom[v]!] === 0) assignLabel(v, 1, -1);

    let augmented = false;
    for (;;) {
      while (queue.length > 0 && !augmented) {
        const v = queue.pop()!;
        for (const p of neighbourEnds[v]!) {
          const k = p >> 1;
          const w = endpoint[p]!;
          if (inBlossom[v] === inBlossom[w]) continue;
          let kSlack = 0;
          if (!allowEdge[k]) {
            kSlack = slack(k);
            if (kSlack <= 0) allowEdge[k] = 1;
          }
          if (allowEdge[k]) {
            const lw = label[inBlossom[w]!];
            if (lw === 0) {
              assignLabel(w, 2, p ^ 1);
            } else if (lw === 1) {
              const base = scanBlossom(v, w);
              if (base >= 0) addBlossom(base, k);
              else {
                augmentMatching(k);
                augmented = true;
                break;
              }
            } else if (label[w] === 0) {
              label[w] = 2;
              labelEnd[w] = p ^ 1;
            }
          } else if (label[inBlossom[w]!] === 1) {
            const b = inBlossom[v]!;
            if (bestEdge[b] === -1 || kSlack < slack(bestEdge[b]!)) bestEdge[b] = k;
          } else if (label[w] === 0) {
            if (bestEdge[w] === -1 || kSlack < slack(bestEdge[w]!)) bestEdge[w] = k;
          }
        }
      }
      if (augmented) break;

      // No tight edge left to grow on: change the duals by the largest safe step.
      let deltaType = 1;
      let delta = Infinity;
      for (let v = 0; v < n; v++) delta = Math.min(delta, dual[v]!);
      let deltaEdge = -1;
      let deltaBlossom = -1;
      for (let v = 0; v < n; v++) {
        if (label[inBlossom[v]!] === 0 && bestEdge[v] !== -1) {
          const d = slack(bestEdge[v]!);
          if (d < delta) {
            delta = d;
            deltaType = 2;
            deltaEdge = bestEdge[v]!;
          }
        }
      }
      for (let b = 0; b < 2 * n; b++) {
        if (blossomParent[b] === -1 && label[b] === 1 && bestEdge[b] !== -1) {
          const d = slack(bestEdge[b]!) / 2;
          if (d < delta) {
            delta = d;
            deltaType = 3;
            deltaEdge = bestEdge[b]!;
          }
        }
      }
      for (let b = n; b < 2 * n; b++) {
        if (blossomBase[b]! >= 0 && blossomParent[b] === -1 && label[b] === 2 && dual[b]! < delta) {
          delta = dual[b]!;
          deltaType = 4;
          deltaBlossom = b;
        }
      }
      for (let v = 0; v < n; v++) {
        const l = label[inBlossom[v]!];
        if (l === 1) dual[v] = dual[v]! - delta;
        else if (l === 2) dual[v] = dual[v]! + delta;
      }
      for (let b = n; b < 2 * n; b++) {
        if (blossomBase[b]! >= 0 && blossomParent[b] === -1) {
          if (label[b] === 1) dual[b] = dual[b]! + delta;
          else if (label[b] === 2) dual[b] = dual[b]! - delta;
        }
      }
      if (deltaType === 1) break;
      if (deltaType === 2) {
        allowEdge[deltaEdge] = 1;
        let i = endpoint[2 * deltaEdge]!;
        if (label[inBlossom[i]!] === 0) i = endpoint[2 * deltaEdge + 1]!;
        queue.push(i);
      } else if (deltaType === 3) {
        allowEdge[deltaEdge] = 1;
        queue.push(endpoint[2 * deltaEdge]!);
      } else {
        expandBlossom(deltaBlossom, false);
      }
    }
    if (!augmented) break;
    for (let b = n; b < 2 * n; b++) {
      if (blossomParent[b] === -1 && blossomBase[b]! >= 0 && label[b] === 1 && dual[b] === 0) expandBlossom(b, true);
    }
  }

  for (let v = 0; v < n; v++) if (mate[v]! >= 0) result[v] = endpoint[mate[v]!]!;
  return result;
}
