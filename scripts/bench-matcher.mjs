#!/usr/bin/env node
/**
 * Figures for the matching engine on seeded synthetic rounds (Zipf-skewed
 * topics, mostly English, ~10 % mentors). Run with `node --import tsx`.
 * For each size: wall time of match() with the approximate matcher (the path
 * large rounds take), of which the candidate graph (prepareRound, timed in a
 * separate run), pairs, total weight, candidate edges and memory. Up to
 * 2k members it also solves the FULL eligible graph (every pair sharing a
 * language and a topic, on the right sides, minus past pairs and blocks)
 * exactly with the blossom algorithm and prints the ratio. Figures only:
 * timings are never asserted. Targets: 100k ≤ 5 s, ratio ≥ 0.97.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DEFAULTS, match, matchingWeight, maxWeightMatchingExact, prepareRound } from '../packages/matcher/src/index.ts';
import { syntheticRound } from '../packages/matcher/src/synthetic.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const MB = 1024 * 1024;
const sizes = [1_000, 2_000, 10_000, 100_000];
const rows = {};
const notes = [];

for (const size of sizes) {
  const input = syntheticRound(size, size);
  gc();
  const before = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const result = match({ ...input, options: { algorithm: 'approximate' } });
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const after = process.memoryUsage();
  const prepareStart = performance.now();
  prepareRound(input);
  const prepareMs = performance.now() - prepareStart;
  const row = {
    'wall ms': Math.round(ms),
    'cpu ms': Math.round((cpu.user + cpu.system) / 1000),
    'of which candidates': Math.round(prepareMs),
    pairs: result.stats.pairs,
    matched: `${(((2 * result.stats.pairs) / size) * 100).toFixed(1)} %`,
    'total weight': result.stats.totalScore.toFixed(1),
    'candidate edges': result.stats.candidateEdges,
    'heap Δ MB': ((after.heapUsed - before.heapUsed) / MB).toFixed(1),
    'rss Δ MB': ((after.rss - before.rss) / MB).toFixed(1),
  };
  if (size <= 2_000) {
    const full = prepareRound({ ...input, options: { candidatesPerMember: size, scanPerList: size } });
    const exactStart = performance.now();
    const optimum = matchingWeight(full.graph, maxWeightMatchingExact(full.graph)) / 1000;
    const exactMs = performance.now() - exactStart;
    const auto = match(input);
    row['exact optimum'] = optimum.toFixed(1);
    row['ratio'] = (result.stats.totalScore / optimum).toFixed(4);
    row['auto ratio'] = (auto.stats.totalScore / optimum).toFixed(4);
    const how =
      auto.stats.algorithm === 'exact'
        ? 'exact on every component'
        : `exact on components up to ${DEFAULTS.exactUpTo} members, approximate above`;
    notes.push(
      `${size}: full eligible graph ${full.graph.from.length} edges, exact blossom ${Math.round(exactMs)} ms; ` +
        `match() defaults (${how}, top-${DEFAULTS.candidatesPerMember} candidate graph) ${auto.stats.totalScore.toFixed(1)}`,
    );
  }
  rows[size.toLocaleString('en')] = row;
}

console.log('Matcher on synthetic rounds (seeded; approximate matcher: greedy, local moves, long augmenting paths)');
console.table(rows);
console.log('ratio = approximate total / exact optimum over the full eligible graph (exact blossom over every eligible pair);');
console.log('auto ratio = the same for match() with its defaults; cpu ms includes the garbage collector threads;');
console.log("'of which candidates' = prepareRound alone (sorting, profiles, candidate graph), timed in a second run");
for (const note of notes) console.log(`  ${note}`);
const load = `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`;
console.log(`Node ${process.version}, one thread, ${load}. Targets: 100,000 members ≤ 5000 ms; ratio ≥ 0.97.`);
