import { describe, expect, it } from 'vitest';
import { askExpertEn } from '../packages/widgets/src/ask-expert/strings.en.js';
import { askExpertEs } from '../packages/widgets/src/ask-expert/strings.es.js';
import { en } from '../packages/widgets/src/i18n/en.js';
import { es } from '../packages/widgets/src/i18n/es.js';
import { introduceMeEn } from '../packages/widgets/src/introduce-me/strings.en.js';
import { introduceMeEs } from '../packages/widgets/src/introduce-me/strings.es.js';
import { moderationEn } from '../packages/widgets/src/moderation/strings.en.js';
import { moderationEs } from '../packages/widgets/src/moderation/strings.es.js';

/**
 * Every table the widgets word their text with, in every locale: a key, a
 * `{placeholder}` or a plural form missing from one locale is text a visitor
 * would read in the wrong language, or with a hole in it. Lives with the e2e
 * project because the node project leaves packages/widgets to the browser runner.
 */
type Table = Readonly<Record<string, string>>;

interface Family {
  name: string;
  english: Table;
  translations: Record<string, Table>;
  /** Keys whose text is rightly the same in every language: only placeholders, symbols or codes. */
  sameEverywhere: readonly string[];
}

const families: Family[] = [
  { name: 'shared (i18n/en.ts)', english: en, translations: { es }, sameEverywhere: ['reactionCount'] },
  { name: 'ask-expert', english: askExpertEn, translations: { es: askExpertEs }, sameEverywhere: [] },
  { name: 'introduce-me', english: introduceMeEn, translations: { es: introduceMeEs }, sameEverywhere: ['topicStage'] },
  {
    name: 'moderation',
    english: moderationEn,
    translations: { es: moderationEs },
    sameEverywhere: ['tabCount', 'nothing', 'queue_crisis'],
  },
];

const PLURAL = /^(.+)_(zero|one|two|few|many|other)$/;
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

/** The plural categories a locale selects for whole counts, including round thousands and millions. */
function categoriesFor(locale: string): Set<string> {
  const rules = new Intl.PluralRules(locale);
  const counts = [...Array.from({ length: 1000 }, (_, n) => n), 1e4, 1e5, 1e6, 2e6, 1e7, 1e9];
  return new Set(counts.map((count) => rules.select(count)));
}

/**
 * Plural families of the English table: `newPosts` for `newPosts_one` and
 * `newPosts_other`. Both forms are asked for, since a lone `_other` is a
 * choice named "other" (`reportReason_other`), not a plural.
 */
const pluralBases = (english: Table): string[] =>
  Object.keys(english).flatMap((key) => {
    const base = key.endsWith('_other') ? key.slice(0, -'_other'.length) : undefined;
    return base !== undefined && `${base}_one` in english ? [base] : [];
  });

/** The English key a translated key answers to: itself, or its family's `_other` for a form English lacks. */
function englishFor(key: string, english: Table): string | undefined {
  if (key in english) return key;
  const base = PLURAL.exec(key)?.[1];
  return base !== undefined && pluralBases(english).includes(base) ? `${base}_other` : undefined;
}

describe.each(families)('the $name strings', ({ english, translations, sameEverywhere }) => {
  describe.each(Object.entries(translations))('in %s', (locale, table) => {
    it('have every English key', () => {
      expect(Object.keys(english).filter((key) => !(key in table))).toEqual([]);
    });

    it('have no key English lacks, other than a plural form of an English family the locale selects', () => {
      const categories = categoriesFor(locale);
      const stray = Object.keys(table).filter((key) => {
        if (key in english) return false;
        const match = PLURAL.exec(key);
        return !match || !categories.has(match[2]!) || englishFor(key, english) === undefined;
      });
      expect(stray).toEqual([]);
    });

    it('have every plural form the locale selects for whole counts', () => {
      const categories = [...categoriesFor(locale)];
      const missing = pluralBases(english).flatMap((base) =>
        categories.filter((category) => !(`${base}_${category}` in table)).map((category) => `${base}_${category}`),
      );
      expect(missing).toEqual([]);
    });

    it('are translated: none empty, none left as the English text', () => {
      const untranslated = Object.entries(table).filter(([key, text]) => {
        if (text.trim() === '') return true;
        const source = englishFor(key, english);
        return source !== undefined && english[source] === text && !sameEverywhere.includes(key);
      });
      expect(untranslated.map(([key]) => key)).toEqual([]);
    });

    it('keep the English placeholders, each spelt as a well-formed {name}', () => {
      const differing = Object.entries(table).flatMap(([key, text]) => {
        const source = englishFor(key, english);
        if (source === undefined) return [];
        const malformed = text.replace(/\{\w+\}/g, '').match(/[{}]/);
        const same = placeholders(text).join() === placeholders(english[source]!).join();
        return malformed || !same ? [`${key}: ${text}`] : [];
      });
      expect(differing).toEqual([]);
    });

    if (locale === 'es') {
      it('open every question and exclamation with ¿ and ¡', () => {
        const unopened = Object.entries(table).filter(
          ([, text]) => (text.includes('?') && !text.includes('¿')) || (text.includes('!') && !text.includes('¡')),
        );
        expect(unopened.map(([key]) => key)).toEqual([]);
      });
    }
  });

  it('list as the same everywhere only keys the English table has', () => {
    expect(sameEverywhere.filter((key) => !(key in english))).toEqual([]);
  });
});
