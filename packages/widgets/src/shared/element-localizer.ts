import { Localizer, loadTable, lookUp, type KeyOf, type MessageKey, type MessageParams, type TableLoaders } from '../i18n/index.js';

/**
 * An element's strings through the widgets' Localizer: the same locale
 * lookup, plural rules and `Intl` formats, with the element's own table
 * first (so it loads only with the element's chunk) and the shared one
 * behind it. A subclass, so the shared render helpers (the crisis panel,
 * the report form) take it as it is and speak in the element's words.
 */
export class ElementLocalizer<M extends Record<string, string>> extends Localizer {
  #host: Element;
  #en: M;
  #tables: Record<string, Partial<M>>;
  #loaders: TableLoaders<M>;

  /** `loaders` fetch the element's tables of other languages (its own chunks) when `lang` asks for one. */
  constructor(host: Element, en: M, tables: Record<string, Partial<M>>, loaders: TableLoaders<M>) {
    super(host);
    this.#host = host;
    this.#en = en;
    this.#tables = tables;
    this.#loaders = loaders;
  }

  override t(key: KeyOf<M> | MessageKey, params: MessageParams = {}): string {
    const locale = this.locale;
    loadTable(this.#tables, this.#loaders, locale, this.#host);
    const text = lookUp(this.#en, this.#tables, locale, key as string, params);
    return text ?? super.t(key as MessageKey, params);
  }

  /** Settles once the element's own strings and the shared ones of its language are loaded (or could not be). */
  override ready(): Promise<void> {
    return Promise.all([super.ready(), loadTable(this.#tables, this.#loaders, this.locale, this.#host)]).then(() => undefined);
  }

  /** Whether the element's own table has `key` (for codes the shared table words differently, or the server adds later). */
  has(key: string): key is keyof M & string {
    return key in this.#en;
  }
}
