import { Localizer, type MessageKey, type MessageParams } from '../i18n/index.js';
import { askExpertEn, type AskExpertMessages } from './strings.en.js';

type Key = keyof AskExpertMessages;
type PluralKey = Key extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;
export type AskExpertKey = Key | PluralKey;

const tables: Record<string, Partial<AskExpertMessages>> = { en: askExpertEn };

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * The element's strings through the widgets' Localizer: the same locale
 * lookup, plural rules and `Intl` formats, with this element's own table
 * first (so it loads only with this chunk) and the shared one behind it. A
 * subclass, so the shared render helpers (the crisis panel, the report form)
 * take it as it is and speak of questions rather than posts.
 */
export class AskExpertLocalizer extends Localizer {
  override t(key: AskExpertKey | MessageKey, params: MessageParams = {}): string {
    const locale = this.locale;
    const count = params['count'];
    const plural = typeof count === 'number' ? `${key}_${new Intl.PluralRules(locale).select(count)}` : '';
    const found = [plural, key, `${key}_other`].find((candidate) => candidate in askExpertEn) as Key | undefined;
    if (!found) return super.t(key as MessageKey, params);
    const text = (tables[locale.split('-')[0]!] ?? askExpertEn)[found] ?? askExpertEn[found];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name];
      return typeof value === 'number' ? this.number(value) : (value ?? '');
    });
  }

  /** Whether this element's table has `key` (for error codes the server may add later). */
  has(key: string): key is Key {
    return key in askExpertEn;
  }

  /** "5 hours" under two days, else "2 days" (at least one of the unit): how long experts usually take. */
  duration(ms: number): string {
    return ms < 48 * HOUR ? this.#unit(Math.max(1, Math.round(ms / HOUR)), 'hour') : this.#unit(Math.round(ms / DAY), 'day');
  }

  /** How long a question has waited: minutes under an hour, then as `duration`. */
  age(ms: number): string {
    return ms < HOUR ? this.#unit(Math.max(1, Math.floor(ms / 60_000)), 'minute') : this.duration(ms);
  }

  #unit(value: number, unit: 'minute' | 'hour' | 'day'): string {
    return new Intl.NumberFormat(this.locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
  }
}
