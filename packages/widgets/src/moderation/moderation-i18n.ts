import { Localizer, loadTable, lookUp, type KeyOf, type MessageParams } from '../i18n/index.js';
import { moderationEn, type ModerationMessages } from './strings.en.js';

type Key = keyof ModerationMessages;
export type ModerationKey = KeyOf<ModerationMessages>;

const tables: Record<string, Partial<ModerationMessages>> = { en: moderationEn };
const loaders = { es: () => import('./strings.es.js').then((module) => module.moderationEs) };

/**
 * The console's strings through the widgets' Localizer: the same locale
 * lookup (closest `lang`, crossing shadow roots), plural rules and `Intl`
 * formats, with the console's own table so the visitor widgets' one stays small.
 */
export class ModerationLocalizer {
  readonly base: Localizer;
  #host: Element;

  constructor(host: Element) {
    this.base = new Localizer(host);
    this.#host = host;
  }

  t(key: ModerationKey, params: MessageParams = {}): string {
    const locale = this.base.locale;
    loadTable(tables, loaders, locale, this.#host);
    return lookUp(moderationEn, tables, locale, key, params)!;
  }

  /** Settles once the console's strings and the shared ones of its language are loaded (or could not be). */
  ready(): Promise<void> {
    return Promise.all([this.base.ready(), loadTable(tables, loaders, this.base.locale, this.#host)]).then(() => undefined);
  }

  /** Whether the table has `key` (for codes and reasons the server may add later). */
  has(key: string): key is Key {
    return key in moderationEn;
  }

  dateTime(iso: string): string {
    return this.base.dateTime(iso);
  }
}
