/**
 * HIPAA Safe Harbor identifiers as they show up in community posts. Pure and
 * dependency-free: the server runs it on every write and the browser composer
 * runs it while the author types, so both give the same answer.
 *
 * Offsets are UTF-16 indices into the text as given (what `String#slice` uses).
 */
import { findFullDates } from './dates.js';

export type IdentifierKind =
  | 'phone'
  | 'email'
  | 'ssn'
  | 'record-number'
  | 'date-of-birth'
  | 'street-address'
  | 'identifying-url';

export interface Finding {
  kind: IdentifierKind;
  start: number;
  end: number;
  text: string;
}

export interface IdentifierOptions {
  /** Site-configured regex sources for medical record / health-plan numbers, e.g. "MRN[:#]?\\s*\\d{6,10}". */
  recordNumberPatterns?: string[];
}

/** What `maskIdentifiers` puts in place of each kind. */
export const IDENTIFIER_LABELS: Record<IdentifierKind, string> = {
  phone: '[phone number hidden]',
  email: '[email hidden]',
  ssn: '[SSN hidden]',
  'record-number': '[record number hidden]',
  'date-of-birth': '[date of birth hidden]',
  'street-address': '[address hidden]',
  'identifying-url': '[link hidden]',
};

/** When two findings overlap at the same place, the more specific kind wins. */
const PRIORITY: IdentifierKind[] = [
  'identifying-url',
  'email',
  'record-number',
  'ssn',
  'phone',
  'date-of-birth',
  'street-address',
];

// Not preceded or followed by something that makes the digits part of a larger token (a date, a ratio, a code).
const NUM_START = '(?<![\\w/+]|\\d[.,-])';
const NUM_END = '(?![\\w/]|[.,-]\\d)';

const PHONE = new RegExp(
  NUM_START +
    '(?:(?:\\+?1[\\s.-]?)?(?:\\(\\s*[2-9]\\d\\d\\s*\\)\\s*|[2-9]\\d\\d[\\s.-])\\d{3}[\\s.-]?\\d{4}' + // separated NANP
    '|(?:\\+?1)?[2-9]\\d\\d[2-9]\\d{6}' + // bare ten digits, valid area and exchange
    '|[2-9]\\d\\d-\\d{4}' + // local seven digits with a dash
    '|\\+[2-9]\\d{0,2}(?:[\\s.-]?\\(?\\d{1,4}\\)?){2,6})' + // international
    '(?:,?\\s*(?:ext\\.?|extension|x|#)\\s*\\d{1,6})?' +
    NUM_END,
  'gi',
);

const EMAIL = /[\w.%+-]+@[a-z\d-]+(?:\.[a-z\d-]+)*\.[a-z]{2,}|\b[\w.+-]+\s?(?:\(at\)|\[at\]|\sat\s)\s?[a-z\d-]+\s?(?:\(dot\)|\[dot\]|\sdot\s)\s?(?:com|org|net|edu|gov|es|mx)\b/gi;

const SSN = new RegExp(NUM_START + '(\\d{3})([- ]?)(\\d{2})\\2(\\d{4})' + NUM_END, 'g');

const RECORD_CUE =
  '\\b(?:mrn|medical record(?: number| no\\.?| #)?|(?:record|chart|patient|member|subscriber|policy|group|account|acct\\.?|insurance|health plan|medicare|medicaid|id|beneficiary)' +
  '(?: id)?(?: number| no\\.?| #| id)|n[uú]mero de (?:expediente|historia(?: cl[ií]nica)?|afiliad[oa]|p[oó]liza|seguro|paciente|cuenta)|expediente|historia cl[ií]nica)';
const RECORD = new RegExp(
  RECORD_CUE +
    // Joining words between the cue and the id: "member ID on my card is W123…".
    '(?:[\\s:#=.()-]+|\\b(?:is|was|es|era|are|number|no|num|on|my|the|his|her|card|for|of|de|mi|su|reads|says)\\b){0,10}' +
    '((?:[a-z]{1,4}[ -]?)?\\d[\\da-z]*(?:-[\\da-z]+|\\s\\d[\\da-z]*){0,4})(?![\\w-])',
  'gi',
);

const BIRTH_CUE =
  /\b(?:born|d\.?o\.?b\b\.?|date of birth|birth ?date|birthday|b-?day|gave birth|nac[ií](?:ó|o|do|da|miento)?|fecha de nacimiento|cumplea[nñ]os|d[ií]o? a luz)(?![a-z])/gi;
// A date joined to a birth cue by one of these is about something else ("born in 1957; surgery on 3/14/2024").
const OTHER_EVENT = /[.!?;]\s|\n|surger|operat|procedure|appointment|admitted|discharg|schedul|visit|scan|replace|cirug|operaci|cita|ingres/i;

const SUFFIX =
  'street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|trail|trl|square|sq|loop|pike|crescent|cres|alley|row';
const ADDRESS = new RegExp(
  '(?<![\\w/.-])\\d{1,6}[a-z]?(?:-\\d{1,4})?\\s+((?:(?:\\d+(?:st|nd|rd|th)|[a-z][\\w\'.-]*)\\s+){1,3}?)' +
    `(${SUFFIX})\\b\\.?` +
    '(?:,?\\s*(?:apt|apartment|unit|suite|ste|#)\\.?\\s*#?[\\da-z-]{1,6}\\b)?' +
    '|\\bp\\.?\\s?o\\.?\\s*box\\s+\\d+' +
    '|\\b(?:calle|c/|avenida|avda?\\.|paseo|carrera|camino)\\s+(?:de(?:l| la| los| las)?\\s+)?[A-ZÁÉÍÓÚÑ][\\wáéíóúñ]*(?:\\s+[A-ZÁÉÍÓÚÑ][\\wáéíóúñ]*){0,3},?\\s*(?:n[º°o]\\.?\\s*|#\\s*)?\\d{1,5}\\b',
  'gi',
);
// Words that mean the number counts something rather than numbering a house ("3 laps around the court").
const NOT_STREET_NAME =
  /^(?:the|a|an|to|of|on|in|at|my|our|his|her|their|your|and|or|for|from|down|up|across|along|around|by|with|this|that|each|every|per|more|times|x|mg|ml|mcg|units?|iu|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?|miles?|blocks?|steps?|laps?|lbs?|pounds?|kg|percent|degrees?|floors?|flights?|rounds?|sessions?|visits?|doses?|pills?|tablets?)$/i;

const URL_PATTERN = /(?:\bhttps?:\/\/|\bwww\.)[^\s<>"'()]+/gi;
const IDENTIFYING_PARAM =
  /(?:^|[?&;#])(?:patient|pt|pat|mrn|ssn|dob|birth(?:date|day)?|e-?mail|mail|phone|tel|mobile|cell|(?:first|last|full|f|l)?_?name|member|record|chart|address|addr|zip|pid|paciente|nombre|correo|tel[eé]fono|expediente|nacimiento)(?:[_-]?(?:id|no|num|number))?=[^&#]/i;
const ID_PATH_PARENT = /^(?:patients?|pt|mrn|records?|charts?|members?|users?|profiles?|accounts?)$/i;

/** Longest text a site pattern is run against at once; keeps even a slow pattern's cost bounded. */
const SITE_WINDOW = 400;
const SITE_PATTERN_MAX = 200;
const compiledSitePatterns = new Map<string, RegExp | null>();

/**
 * Why a site pattern cannot be used, or null when it can. Refuses patterns
 * that fail to compile, are long, match the empty string, repeat a group that
 * itself repeats or alternates (`(a+)+`, `(a|aa)*`) or stack many open-ended
 * repeats (`\\d*\\d*\\d*\\d*`): the shapes that backtrack for ever. Settings
 * screens can show the reason.
 */
export function checkRecordPattern(source: string): string | null {
  if (source.length > SITE_PATTERN_MAX) return 'longer than 200 characters';
  try {
    if (new RegExp(source, 'i').test('')) return 'matches empty text';
  } catch {
    return 'not a valid regular expression';
  }
  // Each open group notes whether it holds a repeat or an alternation; such a group must not repeat itself.
  const groups: boolean[] = [];
  let closedRisky = false;
  let openEnded = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    const rest = source.slice(i);
    const repeats = c === '*' || c === '+' || /^\{\d*,\d*\}/.test(rest);
    if (repeats) {
      if (closedRisky) return 'repeats a group that repeats (may never finish)';
      if (c !== '{' || /^\{\d*,\}/.test(rest)) openEnded++;
    }
    if (c === '\\') i++;
    else if (c === '[') while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
    else if (c === '(') {
      groups.push(false);
      i += (/^\((\?(?:[:=!]|<[=!]|<[^>]*>))/.exec(rest)?.[1] ?? '').length;
    } else if (c === ')') {
      closedRisky = groups.pop() ?? false;
      continue;
    } else if (repeats || c === '?' || c === '|') groups.fill(true);
    closedRisky = false;
  }
  return openEnded > 4 ? 'too many open-ended repeats' : null;
}

function sitePattern(source: string): RegExp | null {
  let re = compiledSitePatterns.get(source);
  if (re === undefined) {
    re = checkRecordPattern(source) ? null : new RegExp(source, 'gi');
    if (compiledSitePatterns.size > 100) compiledSitePatterns.clear();
    compiledSitePatterns.set(source, re);
  }
  return re;
}

function isValidSsn(m: RegExpExecArray): boolean {
  const area = m[1] ?? '';
  return area !== '000' && area !== '666' && area[0] !== '9' && m[3] !== '00' && m[4] !== '0000';
}

function isIdentifyingUrl(url: string): boolean {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: judge the text as written.
  }
  const q = decoded.search(/[?#]/);
  const path = q < 0 ? decoded : decoded.slice(0, q);
  if (q >= 0 && (IDENTIFYING_PARAM.test(decoded.slice(q)) || /=[^&#]*@|=\+?[\d().\s-]{10,}(?:&|$)/.test(decoded.slice(q)))) {
    return true;
  }
  const segments = path.replace(/^[a-z]+:\/\//i, '').split('/').slice(1);
  return segments.some((segment, i) => {
    const digits = segment.replace(/\D/g, '').length;
    return (
      segment.includes('@') ||
      (/^\+?[\d().-]+$/.test(segment) && digits >= 10 && digits <= 11 && /\D/.test(segment)) ||
      /\d{9}/.test(segment) ||
      (/^\d{6,}$/.test(segment) && ID_PATH_PARENT.test(segments[i - 1] ?? ''))
    );
  });
}

function* candidates(text: string, options?: IdentifierOptions): Generator<Finding> {
  const at = (kind: IdentifierKind, start: number, matched: string): Finding => ({
    kind,
    start,
    end: start + matched.length,
    text: matched,
  });

  for (const m of text.matchAll(URL_PATTERN)) {
    const url = m[0].replace(/[.,;:!?\]]+$/, '');
    if (isIdentifyingUrl(url)) yield at('identifying-url', m.index, url);
  }
  for (const m of text.matchAll(EMAIL)) yield at('email', m.index, m[0]);
  for (const m of text.matchAll(RECORD)) {
    const id = (m[1] ?? '').replace(/[\s-]+$/, '');
    const chars = id.replace(/[\s-]/g, '');
    if (chars.replace(/\D/g, '').length >= 4 && chars.length >= 5) {
      yield at('record-number', m.index + m[0].length - (m[1] ?? '').length, id);
    }
  }
  for (const source of options?.recordNumberPatterns ?? []) {
    const re = sitePattern(source);
    if (!re) continue;
    // Run over overlapping windows so a slow pattern costs at most a bounded amount per window.
    for (let offset = 0; offset < text.length; offset += SITE_WINDOW / 2) {
      for (const m of text.slice(offset, offset + SITE_WINDOW).matchAll(re)) {
        if (m[0]) yield at('record-number', offset + m.index, m[0]);
      }
      if (offset + SITE_WINDOW >= text.length) break;
    }
  }
  for (const m of text.matchAll(SSN) as IterableIterator<RegExpExecArray>) {
    if (isValidSsn(m)) yield at('ssn', m.index, m[0]);
  }
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/ext.*|extension.*|x.*|#.*/i, '').replace(/\D/g, '').length;
    if (m[0][0] !== '+' || (digits >= 8 && digits <= 15)) yield at('phone', m.index, m[0].trimEnd());
  }
  const cues = [...text.matchAll(BIRTH_CUE)];
  for (const date of findFullDates(text)) {
    const near = cues.some((cue) => {
      const cueEnd = cue.index + cue[0].length;
      const between =
        cueEnd <= date.start ? text.slice(cueEnd, date.start) : text.slice(date.end, cue.index);
      const gap = between.length;
      return cueEnd <= date.start ? gap <= 40 && !OTHER_EVENT.test(between) : cue.index >= date.end && gap <= 25 && !OTHER_EVENT.test(between);
    });
    if (near) yield at('date-of-birth', date.start, date.text);
  }
  for (const m of text.matchAll(ADDRESS)) {
    const names = (m[1] ?? '').trim().split(/\s+/);
    // "Dr." or "St." before a capitalised word is a title ("Dr. Patel", "St. Luke's"), not a street.
    const title = /^(?:dr|st)$/i.test(m[2] ?? '') && /^\.?\s+[A-Z][a-z]/.test(text.slice(m.index + m[0].length));
    if (m[1] === undefined || (!title && !names.some((w) => NOT_STREET_NAME.test(w)))) {
      yield at('street-address', m.index, m[0].trimEnd());
    }
  }
}

/** The identifiers in `text`, sorted by start and never overlapping. */
export function findIdentifiers(text: string, options?: IdentifierOptions): Finding[] {
  const all = [...candidates(text, options)].sort(
    (a, b) => a.start - b.start || b.end - a.end || PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind),
  );
  const kept: Finding[] = [];
  for (const f of all) {
    const last = kept[kept.length - 1];
    if (!last || f.start >= last.end) kept.push(f);
    else if (PRIORITY.indexOf(f.kind) < PRIORITY.indexOf(last.kind) && f.end >= last.end) kept[kept.length - 1] = f;
  }
  return kept;
}

/** `text` with each finding replaced by its bracketed label; overlapping or out-of-range findings are skipped. */
export function maskIdentifiers(text: string, findings: readonly Finding[]): string {
  let out = '';
  let cursor = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (f.start < cursor || f.end > text.length || f.end <= f.start) continue;
    out += text.slice(cursor, f.start) + IDENTIFIER_LABELS[f.kind];
    cursor = f.end;
  }
  return out + text.slice(cursor);
}
