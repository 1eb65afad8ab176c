/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { Localizer } from './localizer.js';

/** A span in the document, inside a section with `sectionLang` when given. */
function placed(lang: string | null, sectionLang?: string): Element {
  const section = document.createElement('section');
  const target = document.createElement('span');
  if (sectionLang) section.lang = sectionLang;
  if (lang) target.lang = lang;
  section.append(target);
  document.body.append(section);
  return target;
}

describe('Localizer', () => {
  afterEach(() => {
    for (const el of document.body.querySelectorAll('section')) el.remove();
  });

  it('reads the closest lang attribute, then the document', () => {
    expect(new Localizer(placed(null, 'de-CH')).locale).to.equal('de-CH');
    expect(new Localizer(placed(null)).locale).to.equal(document.documentElement.lang);
  });

  it('crosses shadow roots to find the language', () => {
    const host = placed(null, 'fr');
    const inner = document.createElement('b');
    host.attachShadow({ mode: 'open' }).append(inner);
    expect(new Localizer(inner).locale).to.equal('fr');
  });

  it('picks plural forms and formats numbers for the locale', () => {
    const en = new Localizer(placed('en'));
    expect(en.t('newPosts', { count: 1 })).to.equal('1 new post');
    expect(en.t('newPosts', { count: 1234 })).to.equal('1,234 new posts');
    // No German table yet: English words, German numbers.
    const de = new Localizer(placed('de'));
    expect(de.t('newPosts', { count: 1234 })).to.equal('1.234 new posts');
  });

  it('says how long to wait in words, in seconds, then minutes', () => {
    const en = new Localizer(placed('en'));
    expect(en.after(40_000)).to.equal('in 40 seconds');
    expect(en.after(300)).to.equal('in 1 second');
    expect(en.after(150_000)).to.equal('in 3 minutes');
    expect(new Localizer(placed('es')).after(40_000)).to.equal('dentro de 40 segundos');
  });

  it('says how long ago in words, and gives a date after a week', () => {
    const en = new Localizer(placed('en'));
    const now = Date.parse('2025-03-10T12:00:00Z');
    expect(en.relativeTime('2025-03-10T11:55:00Z', now)).to.equal('5 minutes ago');
    expect(en.relativeTime('2025-03-09T12:00:00Z', now)).to.equal('yesterday');
    expect(en.relativeTime('2025-01-02T12:00:00Z', now)).to.equal('Jan 2, 2025');
  });
});
