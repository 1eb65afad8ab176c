#!/usr/bin/env node
/**
 * Prints raw, gzip and brotli bytes of the widget bundle: the loader alone,
 * what a page must load before the thread can show posts (the critical path:
 * loader, element chunk and its static imports), and all JavaScript a page
 * with the thread loads; the same two for a page with ask-an-expert and for
 * a page with introduce-me.
 * `--check` fails when a budget is exceeded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('../packages/widgets/dist/', import.meta.url).pathname;
// The ask-expert page loads the shared code in kindred-thread.js (about 35 KB, thread code included)
// plus its own chunk (about 10 KB); the introduce-me page the same shared code plus its own chunk
// (about 12.2 KB: the opt-in form, the proposal, the conversation and their strings). Both also load
// chunks/kindred-visitor-*.js (about 2.5 KB: the sign-in, store lifecycle and styles they share, kept
// off the thread page). Each budget left about 1.6 KB over what was measured when it was set; moving
// that shared code into its own chunk took about 1.2 KB of it on each of those two pages.
const budgets = { loader: 1500, page: 35000, askPage: 48000, introPage: 50000 };

const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const entryOf = (name) => {
  const key = Object.keys(manifest).find((candidate) => manifest[candidate].name === name);
  if (!key) throw new Error(`${name} is missing from the build manifest: run pnpm build`);
  return key;
};
const entryKey = entryOf('kindred-thread');
const askKey = entryOf('kindred-ask-expert');
const introKey = entryOf('kindred-introduce-me');

function closure(key, followDynamic, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  const chunk = manifest[key];
  for (const next of chunk.imports ?? []) closure(next, followDynamic, seen);
  if (followDynamic) for (const next of chunk.dynamicImports ?? []) closure(next, followDynamic, seen);
  return seen;
}

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

const filesOf = (keys) => [...keys].map((key) => manifest[key].file);
const rows = {
  'loader (kindred.js)': measure(['kindred.js']),
  'thread critical path': measure(['kindred.js', ...filesOf(closure(entryKey, false))]),
  'all JS for a thread page': measure(['kindred.js', ...filesOf(closure(entryKey, true))]),
  'ask-expert critical path': measure(['kindred.js', ...filesOf(closure(askKey, false))]),
  'all JS for an ask-expert page': measure(['kindred.js', ...filesOf(closure(askKey, true))]),
  'introduce-me critical path': measure(['kindred.js', ...filesOf(closure(introKey, false))]),
  'all JS for an introduce-me page': measure(['kindred.js', ...filesOf(closure(introKey, true))]),
};

console.log('bundle'.padEnd(32), 'files'.padStart(5), 'raw'.padStart(9), 'gzip'.padStart(9), 'brotli'.padStart(9));
for (const [name, t] of Object.entries(rows)) {
  console.log(name.padEnd(32), String(t.files).padStart(5), String(t.raw).padStart(9), String(t.gzip).padStart(9), String(t.brotli).padStart(9));
}
console.log(
  `budgets (brotli bytes): loader ≤ ${budgets.loader}, all JS for a thread page ≤ ${budgets.page}, ` +
    `all JS for an ask-expert page ≤ ${budgets.askPage}, all JS for an introduce-me page ≤ ${budgets.introPage}`,
);

if (process.argv.includes('--check')) {
  const failures = [];
  if (rows['loader (kindred.js)'].brotli > budgets.loader) failures.push('loader');
  if (rows['all JS for a thread page'].brotli > budgets.page) failures.push('thread page');
  if (rows['all JS for an ask-expert page'].brotli > budgets.askPage) failures.push('ask-expert page');
  if (rows['all JS for an introduce-me page'].brotli > budgets.introPage) failures.push('introduce-me page');
  if (failures.length) {
    console.error(`size budget exceeded: ${failures.join(', ')}`);
    process.exit(1);
  }
  console.log('size budgets met');
}
