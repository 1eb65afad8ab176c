import { describe, expect, it } from 'vitest';
import { DEFAULT_MODERATION, type EffectiveModeration } from './moderation-settings.js';
import {
  BANNED_WORD_MESSAGE,
  SAFETY_PHASES,
  SafetyRefusal,
  crisisScan,
  disclosureScan,
  identifierScan,
  queueFor,
  runSafetyPhases,
  trustLevel,
  wordLists,
  type SafetyInput,
} from './safety-phases.js';
import { WRITE_ORDER } from './write-pipeline.js';

const settings = (changes: Partial<EffectiveModeration> = {}): EffectiveModeration => ({ ...DEFAULT_MODERATION, recordNumberPatterns: [], ...changes });
const input = (text: string, changes: Partial<Omit<SafetyInput, 'text'>> = {}): SafetyInput => ({
  text,
  write: 'create',
  author: { kind: 'member', trusted: false, approvedPosts: 5 },
  settings: settings(),
  ...changes,
});

describe('identifier scan', () => {
  it('holds a post with an identifier under the default policy, naming what it found', () => {
    expect(identifierScan(input('Call me on 555-201-3344 or mail maria@example.org'))).toEqual({
      type: 'hold',
      reason: 'identifier',
      findings: ['phone number', 'email address'],
    });
  });

  it('masks identifiers instead when the site says so', () => {
    const outcome = identifierScan(input('Call me on 555-201-3344 please', { settings: settings({ identifierPolicy: 'mask' }) }));
    expect(outcome).toEqual({ type: 'mask', text: 'Call me on [phone number hidden] please', findings: ['phone number'] });
  });

  it("finds the site's own record numbers", () => {
    const text = 'Bring RG-00123456 to the desk';
    expect(identifierScan(input(text))).toEqual({ type: 'continue' });
    const withPattern = input(text, { settings: settings({ recordNumberPatterns: ['RG-\\d{8}'] }) });
    expect(identifierScan(withPattern)).toMatchObject({ type: 'hold', findings: ['record number'] });
  });

  it('lets ordinary text through', () => {
    expect(identifierScan(input('Week 2 after my knee replacement: walking with a cane.'))).toEqual({ type: 'continue' });
  });
});

describe('crisis scan', () => {
  it('holds crisis language with its language, in English and Spanish', () => {
    expect(crisisScan(input("I can't go on, I want to end my life"))).toMatchObject({
      type: 'hold',
      reason: 'crisis',
      findings: ['crisis language (en)'],
      crisis: { language: 'en' },
    });
    expect(crisisScan(input('Ya no quiero vivir, quiero quitarme la vida'))).toMatchObject({ type: 'hold', crisis: { language: 'es' } });
  });

  it('leaves everyday idioms alone', () => {
    expect(crisisScan(input('My knee is killing me after physio'))).toEqual({ type: 'continue' });
  });
});

describe('word lists', () => {
  const lists = settings({ bannedWords: ['casino'], suspectWords: ['miracle cure'] });

  it('refuses a banned word with a message that names nothing but the fact', () => {
    expect(wordLists(input('Best CASINO bonus here', { settings: lists }))).toEqual({ type: 'reject', code: 'BANNED_WORD', message: BANNED_WORD_MESSAGE });
    expect(BANNED_WORD_MESSAGE).toBe("This post contains words this community doesn't allow.");
  });

  it('holds a suspect word and says which', () => {
    expect(wordLists(input('Is there a miracle cure for this?', { settings: lists }))).toEqual({
      type: 'hold',
      reason: 'suspect-word',
      findings: ['suspect word "miracle cure"'],
    });
  });

  it('lets other text through', () => {
    expect(wordLists(input('Physio helps', { settings: lists }))).toEqual({ type: 'continue' });
  });
});

describe('trust level', () => {
  const guest = (approvedPosts: number) => ({ kind: 'guest' as const, trusted: false, approvedPosts });

  it("holds a guest's first post by default, and not once one was approved", () => {
    expect(trustLevel(input('hi', { author: guest(0) }))).toEqual({ type: 'hold', reason: 'new-member', findings: ['new guest: 0 of 1 posts approved'] });
    expect(trustLevel(input('hi', { author: guest(1) }))).toEqual({ type: 'continue' });
  });

  it('holds members only when the site asks, and as many posts as it says', () => {
    const member = (approvedPosts: number) => ({ kind: 'member' as const, trusted: false, approvedPosts });
    expect(trustLevel(input('hi', { author: member(0) }))).toEqual({ type: 'continue' });
    const strict = settings({ heldFirstPosts: { guest: 3, member: 2 } });
    expect(trustLevel(input('hi', { author: member(1), settings: strict }))).toMatchObject({ type: 'hold' });
    expect(trustLevel(input('hi', { author: member(2), settings: strict }))).toEqual({ type: 'continue' });
  });

  it('never holds an edit again, nor a moderator', () => {
    expect(trustLevel(input('hi', { author: guest(0), write: 'edit' }))).toEqual({ type: 'continue' });
    expect(trustLevel(input('hi', { author: { kind: 'member', trusted: true, approvedPosts: 0 }, settings: settings({ heldFirstPosts: { guest: 1, member: 5 } }) }))).toEqual({
      type: 'continue',
    });
  });
});

describe('the disclosure scan', () => {
  const answer = 'One of my patients, a 54-year-old man who had the same surgery last spring, was walking in a week.';

  it('holds an expert answer that seems to describe a real patient, naming what it found', () => {
    expect(disclosureScan(input(answer, { expertAnswer: true }))).toEqual({
      type: 'hold',
      reason: 'disclosure',
      findings: ['possible patient disclosure: "One of my patients"'],
    });
  });

  it('looks only at expert answers, and lets general advice through', () => {
    expect(disclosureScan(input(answer))).toEqual({ type: 'continue' });
    expect(disclosureScan(input('Most people walk with a frame for the first week after surgery.', { expertAnswer: true }))).toEqual({ type: 'continue' });
  });

  it('publishes an expert answer without the new-member hold, and holds one that discloses a patient', () => {
    const expert = { kind: 'member' as const, trusted: true, approvedPosts: 0 };
    const strict = settings({ heldFirstPosts: { guest: 1, member: 1 } });
    expect(runSafetyPhases(input('Swelling usually settles within six weeks.', { author: expert, expertAnswer: true, settings: strict })).status).toBe('published');
    expect(runSafetyPhases(input(answer, { author: expert, expertAnswer: true, settings: strict }))).toMatchObject({
      status: 'held',
      reasons: ['disclosure'],
      notices: ['held'],
      acted: ['disclosure-scan'],
    });
  });
});

describe('the pipeline order', () => {
  it('lives in one list: validate → authorise → rate-limit → identifier → disclosure → crisis → words → trust → store → fan out', () => {
    expect(WRITE_ORDER).toEqual(['validate', 'authorise', 'rate-limit', 'identifier-scan', 'disclosure-scan', 'crisis-scan', 'word-lists', 'trust-level', 'store', 'fan-out']);
    expect(SAFETY_PHASES.map(([name]) => name)).toEqual(['identifier-scan', 'disclosure-scan', 'crisis-scan', 'word-lists', 'trust-level']);
  });

  it('runs every phase in order on a post that trips them all, each seeing what the one before left', () => {
    const seen: string[] = [];
    const spy = SAFETY_PHASES.map(([name, phase]) => [name, (phaseInput: SafetyInput) => (seen.push(`${name}: ${phaseInput.text}`), phase(phaseInput))] as const);
    const verdict = runSafetyPhases(
      input('Call 555-201-3344. Is detox a miracle cure? I want to end my life.', {
        author: { kind: 'guest', trusted: false, approvedPosts: 0 },
        settings: settings({ identifierPolicy: 'mask', suspectWords: ['miracle cure'] }),
      }),
      spy,
    );
    expect(verdict).toEqual({
      text: 'Call [phone number hidden]. Is detox a miracle cure? I want to end my life.',
      status: 'held',
      reasons: ['crisis', 'suspect-word', 'new-member'],
      findings: ['phone number (masked)', 'crisis language (en)', 'suspect word "miracle cure"', 'new guest: 0 of 1 posts approved'],
      notices: ['masked', 'crisis', 'held'],
      crisis: { language: 'en', text: expect.any(String) },
      acted: ['identifier-scan', 'crisis-scan', 'word-lists', 'trust-level'],
    });
    // Later phases saw the masked text.
    expect(seen[0]).toContain('555-201-3344');
    expect(seen.slice(1).every((line) => line.includes('[phone number hidden]'))).toBe(true);
    expect(queueFor(verdict)).toEqual({ queue: 'crisis', urgency: 100 });
  });

  it('stops at a banned word, before trust is weighed', () => {
    const run = () =>
      runSafetyPhases(input('casino night', { author: { kind: 'guest', trusted: false, approvedPosts: 0 }, settings: settings({ bannedWords: ['casino'] }) }));
    expect(run).toThrow(SafetyRefusal);
    expect(run).toThrow(expect.objectContaining({ code: 'BANNED_WORD', phase: 'word-lists' }));
  });

  it('never refuses a crisis post for a banned word: a person must see it', () => {
    const verdict = runSafetyPhases(input('I want to end my life, casino debts', { settings: settings({ bannedWords: ['casino'] }) }));
    expect(verdict).toMatchObject({ status: 'held', reasons: ['crisis', 'suspect-word'], notices: ['crisis', 'held'] });
    expect(verdict.findings).toContain('banned word');
  });

  it('publishes a clean post with no notices', () => {
    expect(runSafetyPhases(input('Walking with a cane now'))).toEqual({
      text: 'Walking with a cane now',
      status: 'published',
      reasons: [],
      findings: [],
      notices: [],
      crisis: null,
      acted: [],
    });
  });
});
