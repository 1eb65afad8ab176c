import { describe, expect, it } from 'vitest';
import { matchWords, normaliseWords } from './words.js';

describe('matchWords', () => {
  it('matches whole words and phrases, ignoring case and accents', () => {
    expect(matchWords('Eres un ESTÚPIDO', ['estupido'])).toEqual(['estupido']);
    expect(matchWords('eres un estupido', ['estúpido'])).toEqual(['estúpido']);
    expect(matchWords('Buy Cheap Meds here', ['cheap meds', 'viagra'])).toEqual(['cheap meds']);
    expect(matchWords('cheap\n  meds', ['cheap meds'])).toEqual(['cheap meds']);
  });

  it('does not match inside other words', () => {
    expect(matchWords('a classic class assessment', ['ass'])).toEqual([]);
    expect(matchWords('scrapbooking', ['crap'])).toEqual([]);
  });

  it.each([
    ['s.p.a.m', 'spam'],
    ['s p a m', 'spam'],
    ['s-p-a-m', 'spam'],
    ['spaaaam', 'spam'],
    ['sp4m', 'spam'],
    ['$pam', 'spam'],
    ['1d10t', 'idiot'],
    ['c.h.e.a.p m.e.d.s', 'cheap meds'],
  ])('sees through %j', (text, word) => {
    expect(matchWords(`buy ${text} now`, [word])).toEqual([word]);
  });

  it('never shortens a doubled letter, so "but" is not "butt"', () => {
    expect(matchWords('but then', ['butt'])).toEqual([]);
    expect(matchWords('buttt', ['butt'])).toEqual(['butt']);
  });

  it('returns listed words once, in list order, and ignores empty entries', () => {
    expect(matchWords('spam SPAM idiot', ['idiot', 'spam', 'spam', '', '  '])).toEqual(['idiot', 'spam']);
  });

  it('leaves ordinary numbers alone', () => {
    expect(matchWords('500 mg twice a day, room 412', ['soo', 'mg4'])).toEqual([]);
  });

  it('normalises with NFKD and drops diacritics', () => {
    expect(normaliseWords('Ｃａｆé Ñandú')).toBe('cafe nandu');
  });
});
