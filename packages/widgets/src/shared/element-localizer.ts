import { Localizer, lookUp, type KeyOf, type MessageKey, type MessageParams } from '../i18n/index.js';

/**
 * An element's strings through the widgets' Localizer: the same locale
 * lookup, plural rules and `Intl` formats, with the element's own table
 * first (so it loads only with the element's chunk) and the shared one
 * behind it. A subclass, so the shared render helpers (the crisis panel,
 * the report form) take it as it is and speak in the element's words.
 */
export class ElementLocalizer<M extends Record<string, string>> extends Localizer {
  #en: M;
  #tables: Record<string, Partial<M>>;

  constructor(host: Element, en: M, tables: Record<string, Partial<M>>) {
    super(host);
    this.#en = en;
    this.#tables = tables;
  }

  override t(key: KeyOf<M> | MessageKey, params: MessageParams = {}): string {
    const text = lookUp(this.#en, this.#tables, this.locale, key as string, params);
    return text ?? super.t(key as MessageKey, params);
  }

  /** Whether the element's own table has `key` (for codes the shared table words differently, or the server adds later). */
  has(key: string): key is keyof M & string {
    return key in this.#en;
  }
}
