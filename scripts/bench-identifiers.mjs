#!/usr/bin/env node
/**
 * Precision and recall of the shared safety rules on the labelled corpora in
 * packages/protocol/src/safety/corpus. Run with `node --import tsx`.
 * `--check` exits 1 when identifier recall < 0.95 or the false-positive rate
 * on ordinary posts > 0.02, or crisis recall < 0.95 or its FP rate > 0.05.
 * `--verbose` lists every miss and false alarm. Timings are information only.
 */
import { performance } from 'node:perf_hooks';
import { IDENTIFIER_CORPUS } from '../packages/protocol/src/safety/corpus/identifier-corpus.ts';
import { CRISIS_CORPUS } from '../packages/protocol/src/safety/corpus/crisis-corpus.ts';
import { detectCrisis, findIdentifiers } from '../packages/protocol/src/safety/index.ts';

const check = process.argv.includes('--check');
const verbose = process.argv.includes('--verbose');
const KINDS = ['phone', 'email', 'ssn', 'record-number', 'date-of-birth', 'street-address', 'identifying-url'];
const ratio = (a, b) => (b === 0 ? 1 : a / b);
const fmt = (x) => x.toFixed(3);

function timePerPost(posts, run) {
  for (const post of posts) run(post.text);
  const rounds = 20;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) for (const post of posts) run(post.text);
  return ((performance.now() - start) * 1000) / (rounds * posts.length);
}

// Identifiers: per kind, a post is detected when findIdentifiers reports that kind in it.
const perKind = Object.fromEntries(KINDS.map((k) => [k, { tp: 0, fn: 0, fp: 0 }]));
const problems = [];
let negatives = 0;
let flaggedNegatives = 0;
for (const post of IDENTIFIER_CORPUS) {
  const found = findIdentifiers(post.text);
  const foundKinds = new Set(found.map((f) => f.kind));
  for (const kind of KINDS) {
    const expected = post.kinds.includes(kind);
    const got = foundKinds.has(kind);
    if (expected && got) perKind[kind].tp++;
    else if (expected) {
      perKind[kind].fn++;
      problems.push(`missed ${kind}: ${post.text}`);
    } else if (got) {
      perKind[kind].fp++;
      problems.push(`false ${kind} "${found.find((f) => f.kind === kind)?.text}": ${post.text}`);
    }
  }
  if (post.kinds.length === 0) {
    negatives++;
    if (found.length) flaggedNegatives++;
  }
}
const totals = Object.values(perKind).reduce((a, k) => ({ tp: a.tp + k.tp, fn: a.fn + k.fn, fp: a.fp + k.fp }), {
  tp: 0,
  fn: 0,
  fp: 0,
});
const idRecall = ratio(totals.tp, totals.tp + totals.fn);
const idPrecision = ratio(totals.tp, totals.tp + totals.fp);
const idFpRate = ratio(flaggedNegatives, negatives);
const idMicros = timePerPost(IDENTIFIER_CORPUS, (text) => findIdentifiers(text));

console.log(`Identifiers: ${IDENTIFIER_CORPUS.length} posts, ${IDENTIFIER_CORPUS.length - negatives} with identifiers, ${negatives} ordinary`);
console.table(
  Object.fromEntries(
    KINDS.map((k) => {
      const { tp, fn, fp } = perKind[k];
      return [k, { tp, fn, fp, precision: fmt(ratio(tp, tp + fp)), recall: fmt(ratio(tp, tp + fn)) }];
    }).concat([['overall', { ...totals, precision: fmt(idPrecision), recall: fmt(idRecall) }]]),
  ),
);
console.log(
  `  precision ${fmt(idPrecision)}  recall ${fmt(idRecall)}  false positives on ordinary posts ${flaggedNegatives}/${negatives} = ${(idFpRate * 100).toFixed(1)} %  (${idMicros.toFixed(1)} µs/post)`,
);

// Crisis: a post is detected when detectCrisis returns a match.
const crisis = { tp: 0, fn: 0, fp: 0, tn: 0 };
const byLanguage = { en: 0, es: 0 };
for (const post of CRISIS_CORPUS) {
  const match = detectCrisis(post.text);
  if (post.crisis && match) {
    crisis.tp++;
    byLanguage[match.language]++;
  } else if (post.crisis) {
    crisis.fn++;
    problems.push(`missed crisis: ${post.text}`);
  } else if (match) {
    crisis.fp++;
    problems.push(`false crisis "${match.text}": ${post.text}`);
  } else crisis.tn++;
}
const crisisRecall = ratio(crisis.tp, crisis.tp + crisis.fn);
const crisisPrecision = ratio(crisis.tp, crisis.tp + crisis.fp);
const crisisFpRate = ratio(crisis.fp, crisis.fp + crisis.tn);
const crisisMicros = timePerPost(CRISIS_CORPUS, (text) => detectCrisis(text));
console.log(
  `\nCrisis: ${CRISIS_CORPUS.length} posts, ${crisis.tp + crisis.fn} crisis (found ${byLanguage.en} en, ${byLanguage.es} es), ${crisis.fp + crisis.tn} ordinary`,
);
console.log(
  `  tp ${crisis.tp}  fn ${crisis.fn}  fp ${crisis.fp}  precision ${fmt(crisisPrecision)}  recall ${fmt(crisisRecall)}  false positives ${(crisisFpRate * 100).toFixed(1)} %  (${crisisMicros.toFixed(1)} µs/post)`,
);

if (verbose || (check && problems.length)) console.log(`\n${problems.join('\n')}`);

if (check) {
  const failures = [];
  if (idRecall < 0.95) failures.push(`identifier recall ${fmt(idRecall)} < 0.95`);
  if (idFpRate > 0.02) failures.push(`identifier false-positive rate ${fmt(idFpRate)} > 0.02`);
  if (crisisRecall < 0.95) failures.push(`crisis recall ${fmt(crisisRecall)} < 0.95`);
  if (crisisFpRate > 0.05) failures.push(`crisis false-positive rate ${fmt(crisisFpRate)} > 0.05`);
  if (failures.length) {
    console.error(`\nbench:identifiers failed: ${failures.join('; ')}`);
    process.exit(1);
  }
}
