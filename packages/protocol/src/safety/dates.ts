/**
 * Full calendar dates (day, month and year) in the forms people type in
 * English and Spanish posts. Shared by the date-of-birth rule and the
 * clinician-disclosure rule, which both care only about *full* dates.
 */
const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|' +
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre|diciembre';
const DAY = '\\d{1,2}(?:st|nd|rd|th)?';

/** Global, case-insensitive; group 1–3 hold the parts of a numeric date for validation. */
export const fullDatePattern = (): RegExp =>
  new RegExp(
    `(?<![\\w/.-])(?:(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})(?![\\w/]|[.-]\\d)` +
      `|\\d{4}-[01]?\\d-[0-3]?\\d(?![\\w/-])` +
      `|(?:${MONTHS})\\.?\\s+${DAY},?\\s+\\d{4}\\b` +
      `|${DAY}\\s+(?:of\\s+|de\\s+)?(?:${MONTHS})\\.?,?\\s+(?:de(?:l)?\\s+)?\\d{4}\\b)`,
    'gi',
  );

/** False for numeric dates no reading (month/day or day/month) makes valid, e.g. 140/90/12. */
export const isPlausibleDate = (m: RegExpExecArray): boolean => {
  if (!m[1]) return true;
  const a = +m[1];
  const b = +(m[2] ?? 0);
  return a > 0 && b > 0 && ((a <= 12 && b <= 31) || (b <= 12 && a <= 31));
};

export interface Span {
  start: number;
  end: number;
  text: string;
}

export function findFullDates(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(fullDatePattern()) as IterableIterator<RegExpExecArray>) {
    if (isPlausibleDate(m)) spans.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return spans;
}
