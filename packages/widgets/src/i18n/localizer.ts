import { en, type Messages } from './en.js';

/** The keys of a table of strings; a key with plural forms is used without its suffix: `newPosts`, not `newPosts_one`. */
export type KeyOf<M> = keyof M | (keyof M extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never);
export type MessageKey = KeyOf<Messages>;
export type MessageParams = Record<string, string | number>;

/** Tables of other languages, fetched the first time an element's `lang` asks for one. */
export type TableLoaders<M> = Record<string, () => Promise<Partial<M>>>;

const tables: Record<string, Partial<Messages>> = { en };
const loaders: TableLoaders<Messages> = { es: () => import('./es.js').then((module) => module.es) };

/** Each table being fetched: the hosts to render again once it is there, and the fetch itself. */
const waiting = new Map<() => Promise<unknown>, { hosts: Set<Element>; done: Promise<void> }>();

/** The language part of a locale: `es` for `es-MX`. */
const languageOf = (locale: string): string => locale.split('-')[0]!.toLowerCase();

/**
 * Makes sure the table of `locale` is (being) loaded when there is one to
 * load; `host` renders again when it arrives (until then it speaks English).
 * Settles when the table is there, or could not be fetched.
 */
export function loadTable<M>(tables: Record<string, Partial<M>>, loaders: TableLoaders<M>, locale: string, host: Element): Promise<void> {
  const language = languageOf(locale);
  const load = loaders[language];
  if (!load || tables[language]) return Promise.resolve();
  let entry = waiting.get(load);
  if (!entry) {
    const hosts = new Set<Element>();
    const done = load().then(
      (table) => {
        tables[language] = table;
        for (const waiter of hosts) (waiter as Element & { requestUpdate?: () => void }).requestUpdate?.();
        waiting.delete(load);
      },
      // Offline or refused: stay in English; a later render tries again.
      () => void waiting.delete(load),
    );
    waiting.set(load, (entry = { hosts, done }));
  }
  entry.hosts.add(host);
  return entry.done;
}

/** Whether the server's own messages (written in English, for developers) can be shown as they are. */
export const readsServerWords = (locale: string): boolean => languageOf(locale) === 'en';

/** The longest an element holds its first render back for its language's strings, before it speaks English. */
const FIRST_RENDER_WAIT_MS = 3000;

/**
 * For an element's first `scheduleUpdate`: settles once the strings of its
 * language are there (at most FIRST_RENDER_WAIT_MS), so a page in Spanish
 * never shows the widget in English for a moment first.
 */
export function untilStringsFor(localizer: { ready(): Promise<unknown> }): Promise<void> {
  return Promise.race([localizer.ready(), new Promise((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS))]).then(() => undefined);
}

/**
 * The text for `key` in the locale's table (the English one where it has
 * none), the plural form chosen by Intl.PluralRules from `count` and
 * `{name}` filled in; undefined when the English table has no such key.
 * Every element's localizer looks its own table up with it.
 */
export function lookUp<M extends Record<string, string>>(
  english: M,
  tables: Record<string, Partial<M>>,
  locale: string,
  key: string,
  params: MessageParams,
): string | undefined {
  const count = params['count'];
  const plural = typeof count === 'number' ? `${key}_${new Intl.PluralRules(locale).select(count)}` : '';
  const table = tables[languageOf(locale)] ?? english;
  // A language may need plural forms English has not (Spanish `_many`).
  const found = [plural, key, `${key}_other`].find((candidate) => candidate in table || candidate in english);
  if (!found || !(found in english || `${key}_other` in english)) return undefined;
  const text = table[found] ?? english[found]!;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    return typeof value === 'number' ? formatNumber(locale, value) : (value ?? '');
  });
}

const formatNumber = (locale: string, value: number): string => new Intl.NumberFormat(locale).format(value);

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

/**
 * Strings, numbers and dates for one element, in the language of its closest
 * `lang` attribute (crossing shadow roots), else the document's, else English.
 */
export class Localizer {
  #host: Element;

  constructor(host: Element) {
    this.#host = host;
  }

  get locale(): string {
    for (let node: Element | undefined = this.#host; node; node = (node.getRootNode() as ShadowRoot).host) {
      const lang = node.closest('[lang]')?.getAttribute('lang');
      if (lang) return lang;
    }
    return 'en';
  }

  t(key: MessageKey, params: MessageParams = {}): string {
    const locale = this.locale;
    loadTable(tables, loaders, locale, this.#host);
    return lookUp(en, tables, locale, key, params)!;
  }

  /** Settles once the shared strings of the element's language are loaded (or could not be). */
  ready(): Promise<void> {
    return loadTable(tables, loaders, this.locale, this.#host);
  }

  number(value: number): string {
    return formatNumber(this.locale, value);
  }

  /** "5 minutes ago" within a week, the date after that. */
  relativeTime(iso: string, now = Date.now()): string {
    let delta = (Date.parse(iso) - now) / 1000;
    for (const [unit, size] of UNITS) {
      if (Math.abs(delta) < size) {
        return new Intl.RelativeTimeFormat(this.locale, { numeric: 'auto' }).format(Math.round(delta), unit);
      }
      delta /= size;
    }
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium' }).format(new Date(iso));
  }

  /** "in 40 seconds", "in 2 minutes": how long until something may be tried again. */
  after(ms: number): string {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    const [value, unit] = seconds < 90 ? [seconds, 'second' as const] : [Math.ceil(seconds / 60), 'minute' as const];
    return new Intl.RelativeTimeFormat(this.locale).format(value, unit);
  }

  dateTime(iso: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
  }
}
