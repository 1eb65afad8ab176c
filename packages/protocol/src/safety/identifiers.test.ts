import { describe, expect, it } from 'vitest';
import { IDENTIFIER_CORPUS } from './corpus/identifier-corpus.js';
import {
  checkRecordPattern,
  findIdentifiers,
  maskIdentifiers,
  type IdentifierKind,
  type IdentifierOptions,
} from './identifiers.js';

const kinds = (text: string, options?: IdentifierOptions) => findIdentifiers(text, options).map((f) => f.kind);
const texts = (text: string, kind: IdentifierKind) =>
  findIdentifiers(text)
    .filter((f) => f.kind === kind)
    .map((f) => f.text);

describe('phone numbers', () => {
  it.each([
    ['call me at 555-214-9087 tonight', '555-214-9087'],
    ['my cell (312) 555-0148 works', '(312) 555-0148'],
    ['ring 617.555.0192 please', '617.555.0192'],
    ['daughter: +1 415 555 0136', '+1 415 555 0136'],
    ['fax 1-800-555-0199.', '1-800-555-0199'],
    ['direct line 404-555-0110 x221', '404-555-0110 x221'],
    ['desk 773-555-0125 ext. 4, ask for me', '773-555-0125 ext. 4'],
    ['text 2065550177 anytime', '2065550177'],
    ['Ruth at 555-0142 drives', '555-0142'],
    ['mobile +34 612 345 678 in Madrid', '+34 612 345 678'],
    ['London +44 20 7946 0958', '+44 20 7946 0958'],
  ])('finds %j', (text, expected) => {
    expect(texts(text, 'phone')).toEqual([expected]);
  });

  it.each([
    'ask for extension 4412 at the desk',
    'blood pressure 140/90 and 128/82',
    'took 10,000 IU and 500 mg',
    'between 2019-2024 I had 3 surgeries',
    'surgery 3/14/2024 at 7:15',
    'I walked 8,500 steps',
    'Gleason 3+4=7, 2 of 12 cores',
    'code Z96.651 and CPT 27447',
    'bare ten digits with a bad area code 1234567890',
    '+1 is how much better I feel',
  ])('leaves %j alone', (text) => {
    expect(kinds(text)).not.toContain('phone');
  });
});

describe('emails', () => {
  it('finds plain and spelled-out addresses mid-sentence', () => {
    expect(texts('write to maria.g72@gmail.com, thanks', 'email')).toEqual(['maria.g72@gmail.com']);
    expect(texts('it is sandra dot k at gmail dot com ok', 'email')).toEqual(['k at gmail dot com']);
    expect(texts('becky(at)mail(dot)com', 'email')).toEqual(['becky(at)mail(dot)com']);
  });

  it('leaves "at" in ordinary sentences alone', () => {
    expect(kinds('I was at home at 5 and at the clinic at 9.')).toEqual([]);
  });
});

describe('social security numbers', () => {
  it.each(['123-45-6789', '078 05 1121', '532841297'])('finds %j', (ssn) => {
    expect(texts(`my social is ${ssn} and`, 'ssn')).toEqual([ssn]);
  });

  it.each(['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000', '1234-56-789', '12-345-6789'])(
    'refuses the impossible %j',
    (ssn) => {
      expect(kinds(`SSN ${ssn}`)).not.toContain('ssn');
    },
  );
});

describe('record and member numbers', () => {
  it.each([
    ['My MRN is 00482913.', '00482913'],
    ['member ID: XJH 884 201 339 —', 'XJH 884 201 339'],
    ['Policy number ABC-123-45678 was denied', 'ABC-123-45678'],
    ['Medicare number is 1EG4-TE5-MK73', '1EG4-TE5-MK73'],
    ['the health plan ID on my card is HPX4471209', 'HPX4471209'],
    ['número de expediente 4471239', '4471239'],
  ])('finds the id after a cue in %j', (text, id) => {
    expect(texts(text, 'record-number')).toEqual([id]);
  });

  it('needs an id with digits after the cue', () => {
    expect(kinds('My member ID card arrived 3 weeks late')).toEqual([]);
    expect(kinds('the patient ID bracelet was too tight')).toEqual([]);
  });

  it('adds the site patterns, matched without regard to case', () => {
    const options = { recordNumberPatterns: ['RVH-\\d{7}'] };
    expect(findIdentifiers('my number is rvh-1234567 ok', options)).toEqual([
      { kind: 'record-number', start: 13, end: 24, text: 'rvh-1234567' },
    ]);
  });

  it('ignores a malformed site pattern instead of throwing', () => {
    const options = { recordNumberPatterns: ['MRN[', '(unclosed', 'RVH-\\d{7}'] };
    expect(kinds('RVH-1234567', options)).toEqual(['record-number']);
  });

  it('refuses patterns that backtrack catastrophically, and still answers', () => {
    const evil = ['(a+)+$', '(a|aa)*b', '([a-z]+\\s?)*id', '\\d*\\d*\\d*\\d*\\d*!'];
    for (const source of evil) expect(checkRecordPattern(source)).not.toBeNull();
    const text = `${'a'.repeat(3000)}! ${'1'.repeat(2000)}`;
    expect(findIdentifiers(text, { recordNumberPatterns: evil })).toEqual([]);
  });

  it('finds site-pattern matches across the whole of a long post', () => {
    const text = `${'word '.repeat(900)}RVH-1234567 ${'more '.repeat(50)}`;
    const [finding] = findIdentifiers(text, { recordNumberPatterns: ['RVH-\\d{7}'] });
    expect(finding && text.slice(finding.start, finding.end)).toBe('RVH-1234567');
  });

  it('accepts the usual shapes of site pattern', () => {
    for (const source of ['MRN[:#]?\\s*\\d{6,10}', '(?:MRN|record)\\s*\\d{6}', '(\\d{3}-)?\\d{7}', '(?<id>RX)-\\d{5,}']) {
      expect(checkRecordPattern(source)).toBeNull();
    }
    expect(checkRecordPattern('x*')).toMatch(/empty/);
  });
});

describe('dates of birth', () => {
  it.each([
    ['I was born on March 14, 1957 in Ohio', 'March 14, 1957'],
    ['DOB 04/22/1961', '04/22/1961'],
    ['date of birth: 1950-10-02', '1950-10-02'],
    ['my wife was born on the 21st of November, 1958', '21st of November, 1958'],
    ['nací el 4 de mayo de 1980', '4 de mayo de 1980'],
    ['fecha de nacimiento 15/09/1975', '15/09/1975'],
    ['02.11.1969 is my birthday', '02.11.1969'],
  ])('finds the full date near a birth cue in %j', (text, date) => {
    expect(texts(text, 'date-of-birth')).toEqual([date]);
  });

  it.each([
    'my surgery was on 3/14/2024',
    'I was born in 1957 and had surgery on 3/14/2024',
    'born in March 1957',
    'my birthday was great. The scan on 6/12/2024 was clear',
    'I celebrated my birthday in the hospital, my surgery was on 3/3/2024.',
    'BP was 140/90/72 at birth? no',
  ])('leaves %j alone', (text) => {
    expect(kinds(text)).not.toContain('date-of-birth');
  });
});

describe('street addresses', () => {
  it.each([
    ['I live at 1423 Maple Street, come by', '1423 Maple Street'],
    ['drop it at 88 Birchwood Ave Apt 3C.', '88 Birchwood Ave Apt 3C'],
    ['we are at 205 N Oak Rd every Tuesday', '205 N Oak Rd'],
    ['I am at 612 W 5th St, by the bus', '612 W 5th St'],
    ['Vivo en Calle Mayor 12, cerca', 'Calle Mayor 12'],
    ['send it to P.O. Box 4471 please', 'P.O. Box 4471'],
  ])('finds %j', (text, address) => {
    expect(texts(text, 'street-address')).toEqual([address]);
  });

  it.each([
    'I walked 3 blocks down the street',
    'Dr. Patel saw me after 2 visits Dr. Lee came too',
    'St. Luke’s did my first surgery',
    '3 laps around the court',
    'room 412, bed 4B, suite 300',
    'took 5 mg Dr. Kim prescribed',
  ])('leaves %j alone', (text) => {
    expect(kinds(text)).not.toContain('street-address');
  });
});

describe('identifying links', () => {
  it.each([
    'https://portal.example.org/results?patient=JaneDoe',
    'www.example.com/submit?ssn=123456789',
    'https://labs.example.com/patient/48821937/report.pdf',
    'https://records.example.org/u/tom@yahoo.com/summary',
    'https://docs.example.com/sheet?ref=x&phone=6175550192',
    'https://portal.clinica.mx/expediente?paciente=Rosa%20Mendez',
  ])('flags %j as one finding', (url) => {
    expect(findIdentifiers(`see ${url}.`)).toEqual([{ kind: 'identifying-url', start: 4, end: 4 + url.length, text: url }]);
  });

  it.each([
    'https://pubmed.ncbi.nlm.nih.gov/31234567/',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s',
    'https://community.example.org/topics/knee-replacement?page=2',
    'https://%E0%A4%A.example.com/bad-escape',
  ])('leaves %j alone', (url) => {
    expect(kinds(`read ${url}`)).toEqual([]);
  });
});

describe('findings', () => {
  it('are sorted, do not overlap, and their offsets slice out their text', () => {
    const text = 'Jean, DOB 2/14/1949, MRN 3398120, call 860-555-0171 or jean@x.org, 12 Oak Lane';
    const found = findIdentifiers(text);
    expect(found.map((f) => f.kind)).toEqual(['date-of-birth', 'record-number', 'phone', 'email', 'street-address']);
    for (const [i, f] of found.entries()) {
      expect(text.slice(f.start, f.end)).toBe(f.text);
      if (i > 0) expect(f.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
    }
  });

  it('prefer the link over the email inside it, and the record number over an SSN-shaped id', () => {
    expect(kinds('https://x.org/u/tom@yahoo.com/summary')).toEqual(['identifying-url']);
    expect(kinds('member ID 123456789')).toEqual(['record-number']);
  });

  it('count offsets in UTF-16 units, as String#slice does', () => {
    const text = '😀 Niño: 555-214-9087';
    const [f] = findIdentifiers(text);
    expect(f && text.slice(f.start, f.end)).toBe('555-214-9087');
  });
});

describe('maskIdentifiers', () => {
  it('replaces each finding with its label and keeps the rest', () => {
    const text = 'Call 555-214-9087 or mail a@b.com. DOB 1/2/1950.';
    expect(maskIdentifiers(text, findIdentifiers(text))).toBe(
      'Call [phone number hidden] or mail [email hidden]. DOB [date of birth hidden].',
    );
  });

  it('skips overlapping and out-of-range findings and does not trust their order', () => {
    const text = 'abc 123-45-6789 xyz';
    const ssn = { kind: 'ssn' as const, start: 4, end: 15, text: '123-45-6789' };
    expect(
      maskIdentifiers(text, [
        { kind: 'phone', start: 8, end: 12, text: '' },
        ssn,
        { kind: 'email', start: 30, end: 40, text: '' },
      ]),
    ).toBe('abc [SSN hidden] xyz');
    expect(maskIdentifiers(text, [])).toBe(text);
  });
});

describe('the labelled corpus', () => {
  it('has at least 300 posts: 120 with identifiers of every kind and 180 ordinary', () => {
    const positives = IDENTIFIER_CORPUS.filter((p) => p.kinds.length);
    expect(IDENTIFIER_CORPUS.length).toBeGreaterThanOrEqual(300);
    expect(positives.length).toBeGreaterThanOrEqual(120);
    expect(IDENTIFIER_CORPUS.length - positives.length).toBeGreaterThanOrEqual(180);
    const perKind = new Map<string, number>();
    for (const p of positives) for (const k of p.kinds) perKind.set(k, (perKind.get(k) ?? 0) + 1);
    expect(perKind.size).toBe(7);
    for (const n of perKind.values()) expect(n).toBeGreaterThanOrEqual(10);
  });
});
