import { Localizer, type MessageParams } from '../i18n/index.js';
import { moderationEn, type ModerationMessages } from './strings.en.js';

type Key = keyof ModerationMessages;
type PluralKey = Key extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;
export type ModerationKey = Key | PluralKey;

const tables: Record<string, Partial<ModerationMessages>> = { en: moderationEn };

/**
 * The console's strings through the widgets' Localizer: the same locale
 * lookup (closest `lang`, crossing shadow roots), plural rules and `Intl`
 * formats, with the console's own table so the visitor widgets' one stays small.
 */
export class ModerationLocalizer {
  readonly base: Localizer;

  constructor(host: Element) {
    this.base = new Localizer(host);
  }

  t(key: ModerationKey, params: MessageParams = {}): string {
    const locale = this.base.locale;
    const table = tables[locale.split('-')[0]!] ?? moderationEn;
    const count = params['count'];
    const plural = typeof count === 'number' ? `${key}_${new Intl.PluralRules(locale).select(count)}` : '';
    const found = [plural, key, `${key}_other`].find((candidate) => candidate in moderationEn) as Key;
    const text = table[found] ?? moderationEn[found];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name];
      return typeof value === 'number' ? this.base.number(value) : (value ?? '');
    });
  }

  /** Whether the table has `key` (for codes and reasons the server may add later). */
  has(key: string): key is Key {
    return key in moderationEn;
  }

  dateTime(iso: string): string {
    return this.base.dateTime(iso);
  }
}
