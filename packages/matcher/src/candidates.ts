import type { WeightedGraph } from './graph.js';
import { pairScorer, type Profiles, SIDE_PEER, TARGET_SIDE } from './profiles.js';
import { hashString, mixHashes } from './random.js';

export interface CandidateOptions {
  /** Best candidates kept per member; an edge stays when either end keeps it. */
  perMember: number;
  /** Members read from one long (topic, language) list, centred where the member would sit. */
  scanPerList: number;
  seed: number;
  /** Member index pairs that must never be proposed (past pairs and blocks), either order. */
  excluded: Map<number, number[]>;
}

// A kept candidate's rank is one exact number: score × 2^20 + (2^20 − 1 − seeded tie-break),
// higher first. 20 bits of tie-break leave 33 bits for the score, far beyond any real score.
const TIE_SPAN = 2 ** 20;

/**
 * Sparse candidate graph: an inverted index from (side, language, topic) to
 * members, then for every member its top-K scored partners among the members
 * it meets in the lists for its own topics and languages on the side it is
 * matched with. A shared language and a shared topic are therefore built in.
 * Long lists (common conditions) are read in a window of `scanPerList`
 * members, which bounds the work at about members × topics × languages × window.
 * Equal scores are ordered by a seeded hash of the pair, not by id, so a
 * crowd of look-alike members does not all keep the same few lowest ids.
 */
export function buildCandidateGraph(p: Profiles, options: CandidateOptions): WeightedGraph {
  const n = p.members.length;
  const hash = new Uint32Array(n);
  for (let u = 0; u < n; u++) hash[u] = hashString(p.members[u]!.id, options.seed);
  const rank = seededRanks(hash);
  const lists = postingLists(p, rank, hash);
  const { listOf, start, key, member, stage, others, role, memberHash } = lists;

  const k = options.perMember;
  const window = options.scanPerList;
  const score = pairScorer(p);
  const stageFactor = 1 + p.weights.sameStage;
  const sameRole = p.weights.sameRole;
  // Row u holds u's kept candidates, best first; equal ranks go to the lower index.
  const keptCount = new Int32Array(n);
  const keptMember = new Int32Array(n * k);
  const keptRank = new Float64Array(n * k);
  const scoreOnly = new Float64Array(4);

  for (let u = 0; u < n; u++) {
    const excluded = options.excluded.get(u);
    const row = u * k;
    const last = row + k - 1;
    const hu = hash[u]!;
    const peerRole = p.side[u] === SIDE_PEER ? p.role[u]! : -1;
    const topicsEnd = p.topicStart[u + 1]!;
    const multilingual = p.languageStart[u + 1]! - p.languageStart[u]! > 1;
    let kept = 0;
    const target = TARGET_SIDE[p.side[u]!]!;
    for (let i = p.topicStart[u]!; i < topicsEnd; i++) {
      const topic = p.topic[i]!;
      const ownStage = p.stage[i]!;
      const topicWeight = p.topicWeight[topic]!;
      const ownOthers = topicMask(p, u, topic);
      // A pair sharing only this topic scores one of four values (same stage?, same role?),
      // summed as pairScorer sums them.
      scoreOnly[0] = Math.round(topicWeight * 1000);
      scoreOnly[1] = Math.round((topicWeight + sameRole) * 1000);
      scoreOnly[2] = Math.round(topicWeight * stageFactor * 1000);
      scoreOnly[3] = Math.round((topicWeight * stageFactor + sameRole) * 1000);
      for (let l = p.languageStart[u]!; l < p.languageStart[u + 1]!; l++) {
        const list = listOf.get(listKey(p, target, p.language[l]!, topic));
        if (list === undefined) continue;
        const first = start[list]!;
        const size = start[list + 1]! - first;
        const reads = Math.min(size, window);
        // Short lists are read whole; long ones in a window centred where u sorts.
        let at = 0;
        if (size > window) {
          at = lowerBound(key, first, first + size, (ownStage + 1) * n + rank[u]!) - first - (window >> 1);
          if (at < 0) at += size;
        }
        for (let j = 0; j < reads; j++) {
          const e = first + at;
          if (++at === size) at = 0;
          const v = member[e]!;
          if (v === u) continue;
          let s: number;
          const onlyThisTopic = (ownOthers & others[e]!) === 0;
          if (onlyThisTopic) {
            const sameStage = ownStage >= 0 && ownStage === stage[e] ? 2 : 0;
            s = scoreOnly[sameStage + (peerRole >= 0 && peerRole === role[e] ? 1 : 0)]!;
          } else s = score(u, v);
          // Below the last kept candidate whatever the tie-break: no need to hash the pair.
          if (kept === k && (s + 1) * TIE_SPAN <= keptRank[last]!) continue;
          const r = s * TIE_SPAN + (TIE_SPAN - 1 - (mixHashes(hu, memberHash[e]!) >>> 12));
          if (kept === k && (r < keptRank[last]! || (r === keptRank[last] && v > keptMember[last]!))) continue;
          // Met before through another topic or language (only possible when they share several
          // topics, or u reads lists in several languages), or never to be proposed.
          let met = false;
          if (!onlyThisTopic || multilingual) for (let c = row; c < row + kept && !met; c++) met = keptMember[c] === v;
          if (met || (excluded && excluded.includes(v))) continue;
          if (kept < k) kept++;
          let slot = row + kept - 1;
          while (slot > row && (keptRank[slot - 1]! < r || (keptRank[slot - 1] === r && keptMember[slot - 1]! > v))) {
            keptRank[slot] = keptRank[slot - 1]!;
            keptMember[slot] = keptMember[slot - 1]!;
            slot--;
          }
          keptRank[slot] = r;
          keptMember[slot] = v;
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
      weight[edgeCount++] = Math.floor(keptRank[j]! / TIE_SPAN);
    }
  }
  return { vertexCount: n, from: from.slice(0, edgeCount), to: to.slice(0, edgeCount), weight: weight.slice(0, edgeCount) };
}

/**
 * The inverted index: one posting list per (side, language, topic), stored
 * flat, list i at positions start[i]..start[i+1], sorted by `key` = (stage +
 * 1) × n + seeded rank, so members at one stage sit together and in a fair,
 * seeded order within it. Each entry carries what scoring a pair that shares
 * only this topic needs (stage, role, hash, and a 32-bit mask of the member's
 * other topics), so the hot loop reads the list in order instead of jumping
 * to each member's profile.
 */
interface PostingLists {
  listOf: Map<number, number>;
  start: Int32Array;
  key: Float64Array;
  member: Int32Array;
  stage: Int32Array;
  others: Int32Array;
  /** The member's role if a peer, else -1: the same-role bonus is for peers. */
  role: Int8Array;
  memberHash: Uint32Array;
}

function postingLists(p: Profiles, rank: Int32Array, hash: Uint32Array): PostingLists {
  const n = p.members.length;
  const listOf = new Map<number, number>();
  const listTopic: number[] = [];
  const entryList = new Int32Array(countEntries(p));
  let e = 0;
  for (let u = 0; u < n; u++) {
    for (let i = p.topicStart[u]!; i < p.topicStart[u + 1]!; i++) {
      for (let l = p.languageStart[u]!; l < p.languageStart[u + 1]!; l++) {
        const id = listKey(p, p.side[u]!, p.language[l]!, p.topic[i]!);
        let list = listOf.get(id);
        if (list === undefined) {
          list = listTopic.length;
          listOf.set(id, list);
          listTopic.push(p.topic[i]!);
        }
        entryList[e++] = list;
      }
    }
  }
  const listCount = listTopic.length;
  const start = new Int32Array(listCount + 1);
  for (let j = 0; j < e; j++) start[entryList[j]! + 1]!++;
  for (let list = 0; list < listCount; list++) start[list + 1] = start[list + 1]! + start[list]!;
  const fill = start.slice(0, listCount);
  const key = new Float64Array(e);
  e = 0;
  for (let u = 0; u < n; u++) {
    for (let i = p.topicStart[u]!; i < p.topicStart[u + 1]!; i++) {
      for (let l = p.languageStart[u]!; l < p.languageStart[u + 1]!; l++) {
        key[fill[entryList[e++]!]!++] = (p.stage[i]! + 1) * n + rank[u]!;
      }
    }
  }
  const byRank = new Int32Array(n);
  for (let u = 0; u < n; u++) byRank[rank[u]!] = u;
  const member = new Int32Array(e);
  const stage = new Int32Array(e);
  const others = new Int32Array(e);
  const role = new Int8Array(e);
  const memberHash = new Uint32Array(e);
  for (let list = 0; list < listCount; list++) {
    key.subarray(start[list]!, start[list + 1]!).sort();
    for (let j = start[list]!; j < start[list + 1]!; j++) {
      const v = byRank[key[j]! % n]!;
      member[j] = v;
      stage[j] = Math.floor(key[j]! / n) - 1;
      others[j] = topicMask(p, v, listTopic[list]!);
      role[j] = p.side[v] === SIDE_PEER ? p.role[v]! : -1;
      memberHash[j] = hash[v]!;
    }
  }
  return { listOf, start, key, member, stage, others, role, memberHash };
}

/** One bit (topic mod 32) per topic of u other than `except`: two members whose masks miss share no other topic. */
function topicMask(p: Profiles, u: number, except: number): number {
  let mask = 0;
  for (let i = p.topicStart[u]!; i < p.topicStart[u + 1]!; i++) if (p.topic[i] !== except) mask |= 1 << (p.topic[i]! & 31);
  return mask;
}

function countEntries(p: Profiles): number {
  let total = 0;
  for (let u = 0; u < p.members.length; u++) {
    total += (p.topicStart[u + 1]! - p.topicStart[u]!) * (p.languageStart[u + 1]! - p.languageStart[u]!);
  }
  return total;
}

function listKey(p: Profiles, side: number, language: number, topic: number): number {
  return (side * p.languageNames.length + language) * p.topicNames.length + topic;
}

/** Each member's place in the seeded order: by hash, ties by index. */
function seededRanks(hash: Uint32Array): Int32Array {
  const n = hash.length;
  const rank = new Int32Array(n);
  // hash × n + index stays an exact integer below 2^53 for up to two million members.
  if (n < 2 ** 21) {
    const keys = new Float64Array(n);
    for (let u = 0; u < n; u++) keys[u] = hash[u]! * n + u;
    keys.sort();
    for (let r = 0; r < n; r++) rank[keys[r]! % n] = r;
  } else {
    const order = Array.from({ length: n }, (_, u) => u).sort((x, y) => hash[x]! - hash[y]! || x - y);
    order.forEach((u, r) => (rank[u] = r));
  }
  return rank;
}

function lowerBound(keys: Float64Array, lo: number, hi: number, key: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
