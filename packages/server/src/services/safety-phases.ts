/**
 * The safety phases of the write pipeline, each a pure function of the text,
 * the author and the site's settings. Their order lives in `SAFETY_PHASES`
 * and nowhere else; `runSafetyPhases` applies them and sums up the verdict.
 */
import { type ErrorCode, type HoldReason, type IdentityKind, type WriteNotice } from '@kindred/protocol';
import { detectCrisis, findIdentifiers, findPatientDisclosure, maskIdentifiers, matchWords } from '@kindred/protocol/safety';
import type { HoldRecord } from '../store/store.js';
import type { EffectiveModeration } from './moderation-settings.js';

/** What every phase sees. */
export interface SafetyInput {
  /** The text as it would be stored (after earlier phases, e.g. masking). */
  text: string;
  /** A new post, or an edit of one (edits are not held for trust again). */
  write: 'create' | 'edit';
  author: {
    kind: IdentityKind;
    /** Moderators and admins are trusted without a history. */
    trusted: boolean;
    /** Published posts of this author on this site. */
    approvedPosts: number;
  };
  /** A topic expert's answer: checked for signs that it describes a real patient. */
  expertAnswer?: boolean;
  settings: EffectiveModeration;
}

export interface CrisisFinding {
  language: string;
  text: string;
}

/** What one phase decides. */
export type PhaseOutcome =
  | { type: 'continue' }
  | { type: 'reject'; code: ErrorCode; message: string }
  | { type: 'hold'; reason: HoldReason; findings: string[]; crisis?: CrisisFinding }
  | { type: 'mask'; text: string; findings: string[] };

export type SafetyPhase = (input: SafetyInput) => PhaseOutcome;

const CONTINUE: PhaseOutcome = { type: 'continue' };

const IDENTIFIER_NAMES: Record<string, string> = {
  phone: 'phone number',
  email: 'email address',
  ssn: 'social security number',
  'record-number': 'record number',
  'date-of-birth': 'date of birth',
  'street-address': 'street address',
  'identifying-url': 'identifying link',
};

/** The server checks again what the composer warned about: by site policy the post waits for review, or the identifiers are masked. */
export const identifierScan: SafetyPhase = ({ text, settings }) => {
  const found = findIdentifiers(text, { recordNumberPatterns: settings.recordNumberPatterns });
  if (found.length === 0) return CONTINUE;
  const findings = [...new Set(found.map((finding) => IDENTIFIER_NAMES[finding.kind] ?? finding.kind))];
  if (settings.identifierPolicy === 'mask') return { type: 'mask', text: maskIdentifiers(text, found), findings };
  return { type: 'hold', reason: 'identifier', findings };
};

/** An expert answer that seems to describe a real patient ("one of my patients…") waits for a moderator: clinicians have been fined for exactly this. */
export const disclosureScan: SafetyPhase = ({ text, expertAnswer }) => {
  if (!expertAnswer) return CONTINUE;
  const found = findPatientDisclosure(text);
  if (found.length === 0) return CONTINUE;
  return { type: 'hold', reason: 'disclosure', findings: [...new Set(found.map((finding) => `possible patient disclosure: "${finding.text}"`))] };
};

/** A post in crisis language waits in the crisis queue and the author is shown where to get help now. */
export const crisisScan: SafetyPhase = ({ text }) => {
  const crisis = detectCrisis(text);
  if (!crisis) return CONTINUE;
  return { type: 'hold', reason: 'crisis', findings: [`crisis language (${crisis.language})`], crisis: { language: crisis.language, text: crisis.text } };
};

export const BANNED_WORD_MESSAGE = "This post contains words this community doesn't allow.";

/** Banned words refuse the write (naming nothing but the fact); suspect words hold it. */
export const wordLists: SafetyPhase = ({ text, settings }) => {
  if (matchWords(text, settings.bannedWords).length > 0) return { type: 'reject', code: 'BANNED_WORD', message: BANNED_WORD_MESSAGE };
  const suspect = matchWords(text, settings.suspectWords);
  if (suspect.length > 0) return { type: 'hold', reason: 'suspect-word', findings: suspect.map((word) => `suspect word "${word}"`) };
  return CONTINUE;
};

/** An author's first posts wait for review until enough were approved (`heldFirstPosts`, per guest and member). */
export const trustLevel: SafetyPhase = ({ write, author, settings }) => {
  if (write === 'edit' || author.trusted) return CONTINUE;
  const required = settings.heldFirstPosts[author.kind];
  if (author.approvedPosts >= required) return CONTINUE;
  return { type: 'hold', reason: 'new-member', findings: [`new ${author.kind}: ${author.approvedPosts} of ${required} posts approved`] };
};

/** The order of the safety phases, between rate-limit and store. Change it here only. */
export const SAFETY_PHASES: ReadonlyArray<readonly [name: string, phase: SafetyPhase]> = [
  ['identifier-scan', identifierScan],
  ['disclosure-scan', disclosureScan],
  ['crisis-scan', crisisScan],
  ['word-lists', wordLists],
  ['trust-level', trustLevel],
];

/** What the pipeline decided about a write that was not refused. */
export interface SafetyVerdict {
  /** The text to store (masked when the site masks identifiers). */
  text: string;
  status: 'published' | 'held';
  reasons: HoldReason[];
  findings: string[];
  notices: WriteNotice[];
  crisis: CrisisFinding | null;
  /** The phases that acted, in the order they ran (for tests and logs). */
  acted: string[];
}

export class SafetyRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly phase: string,
  ) {
    super(message);
  }
}

/**
 * Runs every phase in order. A rejection stops the write, except that a post
 * already held as a crisis is never refused by a later rule: a person must
 * see it, so the refusal becomes one more reason to hold it.
 */
export function runSafetyPhases(input: SafetyInput, phases = SAFETY_PHASES): SafetyVerdict {
  const verdict: SafetyVerdict = { text: input.text, status: 'published', reasons: [], findings: [], notices: [], crisis: null, acted: [] };
  for (const [name, phase] of phases) {
    const outcome = phase({ ...input, text: verdict.text });
    if (outcome.type === 'continue') continue;
    verdict.acted.push(name);
    if (outcome.type === 'reject') {
      if (!verdict.crisis) throw new SafetyRefusal(outcome.code, outcome.message, name);
      hold(verdict, 'suspect-word', ['banned word']);
    } else if (outcome.type === 'mask') {
      verdict.text = outcome.text;
      verdict.findings.push(...outcome.findings.map((finding) => `${finding} (masked)`));
      addNotice(verdict, 'masked');
    } else {
      hold(verdict, outcome.reason, outcome.findings);
      if (outcome.crisis) {
        verdict.crisis = outcome.crisis;
        addNotice(verdict, 'crisis');
      }
    }
  }
  if (verdict.status === 'held') addNotice(verdict, 'held');
  return verdict;
}

function hold(verdict: SafetyVerdict, reason: HoldReason, findings: string[]): void {
  verdict.status = 'held';
  if (!verdict.reasons.includes(reason)) verdict.reasons.push(reason);
  verdict.findings.push(...findings);
}

function addNotice(verdict: SafetyVerdict, notice: WriteNotice): void {
  if (!verdict.notices.includes(notice)) verdict.notices.push(notice);
}

/** Which queue a held write waits in, and how urgent it is (crisis first, then identifiers, then the rest). */
export function queueFor(verdict: Pick<SafetyVerdict, 'reasons'>): { queue: 'crisis' | 'held'; urgency: number } {
  if (verdict.reasons.includes('crisis')) return { queue: 'crisis', urgency: 100 };
  if (verdict.reasons.includes('identifier')) return { queue: 'held', urgency: 15 };
  return { queue: 'held', urgency: 10 };
}

/** The queue entry of a held write, or undefined when the verdict publishes it. */
export function holdOf(verdict: SafetyVerdict, at: string): HoldRecord | undefined {
  if (verdict.status !== 'held') return undefined;
  return { ...queueFor(verdict), reasons: verdict.reasons, findings: verdict.findings, at };
}
