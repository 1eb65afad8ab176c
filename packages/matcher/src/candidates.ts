import type { WeightedGraph } from './graph.js';
import { pairScorer, type Profiles, TARGET_SIDE } from './profiles.js';
import { hashString } from './random.js';

export interface CandidateOptions {
  /** Best candidates kept per member; an edge stays when either end keeps it. */
  perMember: number;
  /** Members read from one long (topic, language) list, centred where the member would sit. */
  scanPerList: number;
  seed: number;
  /** Member index pairs that must never be proposed (past pairs and blocks), either order. */
  excluded: Map<number, number[]>;
}

interface PostingList {
  members: Int32Array;
  /** Sort key: stage first (so neighbours share a stage), then a seeded hash to sample fairly. */
  keys: Float64Array;
}

const HASH_SPAN = 2 ** 32;

/**
 * Sparse candidate graph: an inverted index from (side, language, topic) to
 * members, then for every member its top-K scored partners among the members
 * it meets in the lists for its own topics and languages on the side it is
 * matched with. A shared language and a shared topic are therefore built in.
 * Long lists (common conditions) are read in a window of `scanPerList`
 * members, which bounds the work at about members × topics × languages × window.
 */
export function buildCandidateGraph(p: Profiles, options: CandidateOptions): WeightedGraph {
  const n = p.members.length;
  const topicCount = p.topicNames.length;
  const languageCount = p.languageNames.length;
  const hash = new Float64Array(n);
  for (let u = 0; u < n; u++) hash[u] = hashString(p.members[u]!.id, options.seed);
  const keyOf = (stage: number, u: number) => (stage + 1) * HASH_SPAN + hash[u]!;
  const listId = (side: number, language: number, topic: number) => (side * languageCount + language) * topicCount + topic;

  const building = new Map<number, number[]>();
  for (let u = 0; u < n; u++) {
    for (let i = p.topicStart[u]!; i < p.topicStart[u + 1]!; i++) {
      for (let l = p.languageStart[u]!; l < p.languageStart[u + 1]!; l++) {
        const id = listId(p.side[u]!, p.language[l]!, p.topic[i]!);
        let list = building.get(id);
        if (!list) building.set(id, (list = []));
        list.push(u, keyOf(p.stage[i]!, u));
      }
    }
  }
  const lists = new Map<number, PostingList>();
  for (const [id, flat] of building) {
    const order = Array.from({ length: flat.length / 2 }, (_, k) => k);
    order.sort((x, y) => flat[2 * x + 1]! - flat[2 * y + 1]! || flat[2 * x]! - flat[2 * y]!);
    lists.set(id, {
      members: Int32Array.from(order, (k) => flat[2 * k]!),
      keys: Float64Array.from(order, (k) => flat[2 * k + 1]!),
    });
  }
  building.clear();

  const k = options.perMember;
  const window = options.scanPerList;
  const score = pairScorer(p);
  const seen = new Int32Array(n).fill(-1);
  // Row u holds u's kept candidates, best first: keptScore[u * k + j] for keptMember[u * k + j].
  const keptCount = new Int32Array(n);
  const keptMember = new Int32Array(n * k);
  const keptScore = new Float64Array(n * k);
  let u = 0;
  let kept = 0;

  // Keeps the top-K in descending score, ties to the lower index (the lower id).
  const offer = (v: number): void => {
    if (seen[v] === u) return;
    seen[v] = u;
    const s = score(u, v);
    if (s <= 0) return;
    const row = u * k;
    const last = row + k - 1;
    if (kept === k && (s < keptScore[last]! || (s === keptScore[last]! && v > keptMember[last]!))) return;
    let at = row + (kept < k ? kept++ : k - 1);
    while (at > row && (keptScore[at - 1]! < s || (keptScore[at - 1] === s && keptMember[at - 1]! > v))) {
      keptScore[at] = keptScore[at - 1]!;
      keptMember[at] = keptMember[at - 1]!;
      at--;
    }
    keptScore[at] = s;
    keptMember[at] = v;
  };

  for (u = 0; u < n; u++) {
    seen[u] = u;
    for (const v of options.excluded.get(u) ?? []) seen[v] = u;
    kept = 0;
    const target = TARGET_SIDE[p.side[u]!]!;
    for (let i = p.topicStart[u]!; i < p.topicStart[u + 1]!; i++) {
      for (let l = p.languageStart[u]!; l < p.languageStart[u + 1]!; l++) {
        const list = lists.get(listId(target, p.language[l]!, p.topic[i]!));
        if (!list) continue;
        const members = list.members;
        const size = members.length;
        if (size <= window) {
          for (let j = 0; j < size; j++) offer(members[j]!);
          continue;
        }
        let at = lowerBound(list.keys, keyOf(p.stage[i]!, u)) - (window >> 1);
        if (at < 0) at += size;
        for (let j = 0; j < window; j++) {
          offer(members[at]!);
          if (++at === size) at = 0;
        }
      }
    }
    keptCount[u] = kept;
  }

  // Each edge once: an edge both ends kept is written by its lower end only.
  const keeps = (a: number, b: number) => {
    for (let j = a * k; j < a * k + keptCount[a]!; j++) if (keptMember[j] === b) return true;
    return false;
  };
  let edgeCount = 0;
  const from = new Int32Array(n * k);
  const to = new Int32Array(n * k);
  const weight = new Float64Array(n * k);
  for (let a = 0; a < n; a++) {
    for (let j = a * k; j < a * k + keptCount[a]!; j++) {
      const b = keptMember[j]!;
      if (b < a && keeps(b, a)) continue;
      from[edgeCount] = Math.min(a, b);
      to[edgeCount] = Math.max(a, b);
      weight[edgeCount++] = keptScore[j]!;
    }
  }
  return { vertexCount: n, from: from.slice(0, edgeCount), to: to.slice(0, edgeCount), weight: weight.slice(0, edgeCount) };
}

function lowerBound(keys: Float64Array, key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
