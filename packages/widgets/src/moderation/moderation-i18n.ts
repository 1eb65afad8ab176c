import { Localizer, lookUp, type KeyOf, type MessageParams } from '../i18n/index.js';
import { moderationEn, type ModerationMessages } from './strings.en.js';

type Key = keyof ModerationMessages;
export type ModerationKey = KeyOf<ModerationMessages>;

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
    return lookUp(moderationEn, tables, this.base.locale, key, params)!;
  }

  /** Whether the table has `key` (for codes and reasons the server may add later). */
  has(key: string): key is Key {
    return key in moderationEn;
  }

  dateTime(iso: string): string {
    return this.base.dateTime(iso);
  }
}
