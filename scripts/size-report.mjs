#!/usr/bin/env node
/**
 * Prints raw, gzip and brotli bytes of the widget bundle: the loader alone;
 * for a page with the thread, what it loads before the thread can show posts
 * (the loader, the element's chunk and its static imports: all a reader
 * loads) and all JavaScript it can load (with the chunks imported once a
 * visitor writes or reports); the same two for a page with ask-an-expert, a
 * page with introduce-me and the moderators' console; and the Spanish string
 * tables each page adds when its `lang` is es (not in the other rows).
 * `--check` fails when a budget is exceeded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('../packages/widgets/dist/', import.meta.url).pathname;
// The thread's budget is what a reader loads: the code for writing and reporting comes when it is
// wanted (its size is on the 'all JS' row). It was a budget for all JS when the thread page was one
// file of about 35 KB; moving the draft checks and the report form out of it, and the thread's own
// code out of the shared chunk, left about 4.3 KB of it. The ask-expert page loads the shared chunk
// (about 22.3 KB), its own chunk (about 10.2 KB), chunks/kindred-visitor-*.js (about 2.5 KB: the
// sign-in, store lifecycle and styles it shares with introduce-me) and the draft checks and report
// form (about 6.2 KB); the introduce-me page the same with its own chunk of about 12.3 KB. Their
// budgets were set when those pages also loaded the thread's code, and now leave about 6.3 KB each.
const budgets = { loader: 1500, page: 35000, askPage: 48000, introPage: 50000 };

const filesOf = (keys) => [...keys].map((key) => manifest[key].file);
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const entryOf = (name) => {
  const key = Object.keys(manifest).find((candidate) => manifest[candidate].name === name);
  if (!key) throw new Error(`${name} is missing from the build manifest: run pnpm build`);
  return key;
};
const entryKey = entryOf('kindred-thread');
const askKey = entryOf('kindred-ask-expert');
const introKey = entryOf('kindred-introduce-me');
const moderationKey = entryOf('kindred-moderation');

/** The string tables of other languages (`kindred-*-es`): a page loads them only when its `lang` asks. */
const isLocaleTable = (key) => /-es$/.test(manifest[key].name ?? '');

function closure(key, followDynamic, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  const chunk = manifest[key];
  for (const next of chunk.imports ?? []) closure(next, followDynamic, seen);
  if (followDynamic) for (const next of chunk.dynamicImports ?? []) if (!isLocaleTable(next)) closure(next, followDynamic, seen);
  return seen;
}

/** The Spanish tables a page with this element loads when its `lang` is es. */
const spanishOf = (key) => {
  const reachable = new Set();
  for (const part of closure(key, true)) for (const next of manifest[part].dynamicImports ?? []) if (isLocaleTable(next)) reachable.add(next);
  return filesOf(reachable);
};

const measure = (files) => {
  const totals = { files: files.length, raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    const bytes = readFileSync(join(dist, file));
    totals.raw += bytes.length;
    totals.gzip += gzipSync(bytes, { level: 9 }).length;
    totals.brotli += brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
  }
  return totals;
};

const rows = {
  'loader (kindred.js)': measure(['kindred.js']),
  'thread critical path': measure(['kindred.js', ...filesOf(closure(entryKey, false))]),
  'all JS for a thread page': measure(['kindred.js', ...filesOf(closure(entryKey, true))]),
  'ask-expert critical path': measure(['kindred.js', ...filesOf(closure(askKey, false))]),
  'all JS for an ask-expert page': measure(['kindred.js', ...filesOf(closure(askKey, true))]),
  'introduce-me critical path': measure(['kindred.js', ...filesOf(closure(introKey, false))]),
  'all JS for an introduce-me page': measure(['kindred.js', ...filesOf(closure(introKey, true))]),
  'console critical path': measure(['kindred.js', ...filesOf(closure(moderationKey, false))]),
  'all JS for a console page': measure(['kindred.js', ...filesOf(closure(moderationKey, true))]),
  'Spanish strings, thread page': measure(spanishOf(entryKey)),
  'Spanish strings, ask-expert page': measure(spanishOf(askKey)),
  'Spanish strings, introduce-me page': measure(spanishOf(introKey)),
  'Spanish strings, console page': measure(spanishOf(moderationKey)),
};

console.log('bundle'.padEnd(36), 'files'.padStart(5), 'raw'.padStart(9), 'gzip'.padStart(9), 'brotli'.padStart(9));
for (const [name, t] of Object.entries(rows)) {
  console.log(name.padEnd(36), String(t.files).padStart(5), String(t.raw).padStart(9), String(t.gzip).padStart(9), String(t.brotli).padStart(9));
}
console.log(
  `budgets (brotli bytes): loader ≤ ${budgets.loader}, thread critical path ≤ ${budgets.page}, ` +
    `all JS for an ask-expert page ≤ ${budgets.askPage}, all JS for an introduce-me page ≤ ${budgets.introPage}`,
);

if (process.argv.includes('--check')) {
  const failures = [];
  if (rows['loader (kindred.js)'].brotli > budgets.loader) failures.push('loader');
  if (rows['thread critical path'].brotli > budgets.page) failures.push('thread page');
  if (rows['all JS for an ask-expert page'].brotli > budgets.askPage) failures.push('ask-expert page');
  if (rows['all JS for an introduce-me page'].brotli > budgets.introPage) failures.push('introduce-me page');
  if (failures.length) {
    console.error(`size budget exceeded: ${failures.join(', ')}`);
    process.exit(1);
  }
  console.log('size budgets met');
}
