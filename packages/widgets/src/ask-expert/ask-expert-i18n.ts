import type { KeyOf } from '../i18n/index.js';
import { ElementLocalizer } from '../shared/element-localizer.js';
import { askExpertEn, type AskExpertMessages } from './strings.en.js';

export type AskExpertKey = KeyOf<AskExpertMessages>;

const tables: Record<string, Partial<AskExpertMessages>> = { en: askExpertEn };
const loaders = { es: () => import('./strings.es.js').then((module) => module.askExpertEs) };

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * The element's strings (its own table before the shared one, see
 * ElementLocalizer), speaking of questions rather than posts, and how long
 * experts take and questions wait.
 */
export class AskExpertLocalizer extends ElementLocalizer<AskExpertMessages> {
  constructor(host: Element) {
    super(host, askExpertEn, tables, loaders);
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
