/**
 * Site word lists (banned and suspect words). Matching is on whole words and
 * phrases, ignoring case and accents, and sees through the simple disguises
 * people use to slip a word past a filter: "s.p.a.m", "s p a m", "spaaam", "sp4m".
 */

/** Lower case, accents stripped (NFKD), so "Estúpido" and "estupido" compare equal. */
export const normaliseWords = (text: string): string =>
  text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

// Characters that stand in for a letter.
const LOOKALIKES: Record<string, string> = {
  a: 'a4@',
  b: 'b8',
  e: 'e3',
  g: 'g9',
  i: 'i1!|',
  l: 'l1|',
  o: 'o0',
  s: 's5$',
  t: 't7+',
  z: 'z2',
};
const escapeClass = (chars: string) => chars.replace(/[\\\]^-]/g, '\\$&');

const compiled = new Map<string, RegExp | null>();

function wordPattern(word: string): RegExp | null {
  let re = compiled.get(word);
  if (re === undefined) {
    const tokens = normaliseWords(word).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    // Each run of a letter may be stretched ("spaaam") and disguised ("sp4m"), never shortened.
    const token = (t: string) =>
      (t.match(/(.)\1*/gu) ?? [])
        .map((run) => {
          const c = run[0] ?? '';
          return `[${escapeClass(LOOKALIKES[c] ?? c)}]{${run.length},}`;
        })
        .join('');
    re = tokens.length
      ? new RegExp(`(?<![\\p{L}\\p{N}])${tokens.map(token).join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'gu')
      : null;
    if (compiled.size > 2000) compiled.clear();
    compiled.set(word, re);
  }
  return re;
}

/** The forms of a text a disguised word can hide in: as written, with in-word separators removed, and spelled-out letters joined. */
function variants(text: string): string[] {
  const plain = normaliseWords(text);
  const unseparated = plain.replace(/(?<=[\p{L}\p{N}@$!|+])[._*~'"-]+(?=[\p{L}\p{N}@$!|+])/gu, '');
  const joined = unseparated.replace(/(?<![\p{L}\p{N}])(?:[\p{L}\p{N}@$][\s._*~-]+){2,}[\p{L}\p{N}@$](?![\p{L}\p{N}])/gu, (m) =>
    m.replace(/[\s._*~-]+/g, ''),
  );
  return [plain, unseparated, joined];
}

/** The listed words and phrases found in `text`, in list order, each once. */
export function matchWords(text: string, words: readonly string[]): string[] {
  const forms = variants(text);
  return [...new Set(words)].filter((word) => {
    const re = wordPattern(word);
    // A match made only of digit stand-ins ("500" for "soo") is a number, not a disguised word.
    return re !== null && forms.some((form) => [...form.matchAll(re)].some((m) => /\p{L}/u.test(m[0])));
  });
}
