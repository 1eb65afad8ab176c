/**
 * Words of a half-typed question worth searching for: lower-case, accents
 * folded, common English and Spanish words dropped. The store's full-text
 * index stems them; `sharedTerms` re-checks a match by word starts, so one
 * common word ("knee") on its own does not make a question "similar".
 */
const STOP_WORDS = new Set(
  (
    'about after again also and any are because been before being but can cant could did does doing dont down for from get had has have having her here him his how into its just like more most much not now off once only other our out over own same she should some such than that the their them then there these they this those too under until very was way were what when where which while who why will with would you your yours ' +
    'una uno unos unas los las del por para con sin sobre como cual cuando donde que quien porque pero mas muy esta este esto estos estas ese esa eso son fue ser hay tiene tengo puedo puede mis sus nos les ella ellos'
  ).split(' '),
);

const MAX_TERMS = 12;
const STEM = 5;

function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 3 && !STOP_WORDS.has(word));
}

export function searchTerms(text: string): string[] {
  return [...new Set(words(text))].slice(0, MAX_TERMS);
}

/** How many of `terms` appear in `text`, comparing the first five letters of words, roughly as the index's stemmer does. */
export function sharedTerms(terms: readonly string[], text: string): number {
  const stems = new Set(words(text).map((word) => word.slice(0, STEM)));
  return terms.filter((term) => stems.has(term.slice(0, STEM))).length;
}
