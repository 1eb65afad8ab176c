import { en, type Messages } from './en.js';

type Key = keyof Messages;
/** A key with plural forms is used without its suffix: `newPosts`, not `newPosts_one`. */
type PluralKey = Key extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;
export type MessageKey = Key | PluralKey;
export type MessageParams = Record<string, string | number>;

const tables: Record<string, Partial<Messages>> = { en };

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
    const table = tables[locale.split('-')[0]!] ?? en;
    const count = params['count'];
    const plural = typeof count === 'number' ? `${key}_${new Intl.PluralRules(locale).select(count)}` : '';
    const found = [plural, key, `${key}_other`].find((candidate) => candidate in en) as Key;
    const text = table[found] ?? en[found];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name];
      return typeof value === 'number' ? this.number(value) : (value ?? '');
    });
  }

  number(value: number): string {
    return new Intl.NumberFormat(this.locale).format(value);
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
