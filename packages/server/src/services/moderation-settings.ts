import { DEFAULT_CRISIS_RESOURCES, type ModerationSettings } from '@kindred/protocol';
import { checkRecordPattern } from '@kindred/protocol/safety';
import { ServiceError } from '../errors.js';
import type { SiteRecord, StoredModerationSettings } from '../store/store.js';

/** What a site that never changed its moderation settings gets. */
export const DEFAULT_MODERATION: ModerationSettings = {
  bannedWords: [],
  suspectWords: [],
  // A guest's first post waits for a moderator; a signed-in member is vouched for by the hospital.
  heldFirstPosts: { guest: 1, member: 0 },
  reportThreshold: 3,
  identifierPolicy: 'hold',
  crisisResources: DEFAULT_CRISIS_RESOURCES,
  alertWebhookUrl: null,
  alertEmail: null,
};

/** Everything the pipeline needs about a site's moderation: the moderator-facing settings plus record-number patterns. */
export interface EffectiveModeration extends ModerationSettings {
  recordNumberPatterns: string[];
}

export function moderationOf(site: Pick<SiteRecord, 'moderation'>): EffectiveModeration {
  const stored = site.moderation;
  return {
    ...DEFAULT_MODERATION,
    ...withoutUndefined(stored),
    heldFirstPosts: { ...DEFAULT_MODERATION.heldFirstPosts, ...stored.heldFirstPosts },
    crisisResources: { ...DEFAULT_MODERATION.crisisResources, ...stored.crisisResources },
    recordNumberPatterns: stored.recordNumberPatterns ?? [],
  };
}

/** The settings a moderator reads and writes (record-number patterns are set by the operator's CLI). */
export function publicSettings(settings: EffectiveModeration): ModerationSettings {
  const { recordNumberPatterns: _patterns, ...rest } = settings;
  return rest;
}

const MAX_PATTERNS = 20;

/**
 * Checks what the shared schema cannot: word lists are compared without case
 * and kept once each, alert addresses must be reachable safely, record-number
 * patterns must be valid regular expressions. Returns the stored form.
 */
export function checkedModerationChange(
  current: StoredModerationSettings,
  change: Partial<ModerationSettings> & { recordNumberPatterns?: string[] },
): StoredModerationSettings {
  const next: StoredModerationSettings = { ...current };
  if (change.bannedWords) next.bannedWords = wordList(change.bannedWords);
  if (change.suspectWords) next.suspectWords = wordList(change.suspectWords);
  if (change.heldFirstPosts) next.heldFirstPosts = { ...change.heldFirstPosts };
  if (change.reportThreshold !== undefined) next.reportThreshold = change.reportThreshold;
  if (change.identifierPolicy) next.identifierPolicy = change.identifierPolicy;
  if (change.crisisResources) next.crisisResources = { ...change.crisisResources };
  if (change.alertWebhookUrl !== undefined) next.alertWebhookUrl = change.alertWebhookUrl === null ? null : webhookUrl(change.alertWebhookUrl);
  if (change.alertEmail !== undefined) next.alertEmail = change.alertEmail;
  if (change.recordNumberPatterns) next.recordNumberPatterns = recordNumberPatterns(change.recordNumberPatterns);
  return next;
}

function wordList(words: string[]): string[] {
  return [...new Set(words.map((word) => word.trim().toLowerCase().replace(/\s+/g, ' ')).filter(Boolean))];
}

/** https, except on this machine (tests and local development): alerts carry excerpts of health posts. */
function webhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('alertWebhookUrl', `"${text}" is not a URL; give the full https address that receives alerts.`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalid('alertWebhookUrl', 'The alert webhook must use https (plain http only for localhost): alerts carry excerpts of posts.');
  }
  if (url.username || url.password) throw invalid('alertWebhookUrl', 'Put no user name or password in the webhook URL; use a secret path instead.');
  return url.href;
}

export function recordNumberPatterns(patterns: string[]): string[] {
  if (patterns.length > MAX_PATTERNS) throw invalid('recordNumberPatterns', `Give at most ${MAX_PATTERNS} record-number patterns.`);
  return patterns.map((pattern) => {
    // The same check the identifier scan applies: valid, bounded, and no shapes that backtrack without end.
    const problem = checkRecordPattern(pattern);
    if (problem) throw invalid('recordNumberPatterns', `The record-number pattern "${pattern}" cannot be used: ${problem}.`);
    return pattern;
  });
}

function invalid(field: string, message: string): ServiceError {
  return new ServiceError('INVALID_INPUT', message, field);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
