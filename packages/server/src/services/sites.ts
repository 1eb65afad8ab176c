import { randomBytes } from 'node:crypto';
import { LIMITS, SLUG_PATTERN, type SiteInfo } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import type { RateLimitSetting, SiteChanges, SiteRecord, Store, StoredModerationSettings } from '../store/store.js';
import { moderationOf, recordNumberPatterns } from './moderation-settings.js';
import { DEMO_COMMUNITY } from './communities.js';
import type { LimitName } from './rate-limits.js';

export const DEMO_SITE_ID = 'demo';
/** The demo hospital's moderator (its login in `http/demo-hospital.ts`). */
export const DEMO_MODERATOR_ID = 'demo-moderator';
/** The demo hospital's clinician, an expert of the demo page's topic. */
export const DEMO_EXPERT = { externalId: 'demo-expert', topic: 'knee-replacement', credential: 'MD, Orthopaedic Surgery' } as const;

/** What a new demo site starts with: the defaults, plus word lists that show both outcomes. */
export const DEMO_DISCLAIMER =
  'This is not medical advice for you: discussions here are written by patients and families, and our clinicians answer questions in general terms. Ask your care team about your own treatment.';

export const DEMO_MODERATION: StoredModerationSettings = {
  bannedWords: ['casino', 'viagra', 'crypto giveaway'],
  suspectWords: ['miracle cure', 'stop taking your medication', 'detox cleanse', 'buy now'],
  heldFirstPosts: { guest: 1, member: 0 },
  reportThreshold: 3,
  identifierPolicy: 'hold',
};
const DISCLAIMER_MAX = 1000;

/** `scheme://host[:port]` in canonical form; throws on anything that is not an http(s) origin. */
export function normaliseOrigin(text: string): string {
  const url = new URL(text.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) origin: ${text}`);
  return url.origin;
}

/** A fresh HS256 key for host tokens: 256 random bits, base64url. Its UTF-8 text is the key. */
export function newSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What `kindred site update` can change; list fields add to or remove from what is there. */
export interface SiteUpdate {
  name?: string;
  /** Replaces the allowed origins. */
  origins?: string[];
  addOrigins?: string[];
  removeOrigins?: string[];
  guestsAllowed?: boolean;
  addMembersOnlyTopics?: string[];
  /** Makes these topics public again. */
  removeMembersOnlyTopics?: string[];
  /** '' clears it. */
  disclaimer?: string;
  /** '' goes back to the site's HS256 secret. */
  jwksUrl?: string;
  trustTokenRoles?: boolean;
  /** A null setting goes back to the server's default. */
  rateLimits?: Partial<Record<LimitName, RateLimitSetting | null>>;
  /** Replaces the site's medical-record / member-number patterns for the identifier scan; [] clears them. */
  recordNumberPatterns?: string[];
}

/** Which sites exist, which pages may embed them, and their settings. */
export class SiteService {
  /** The last read of each site, for the synchronous fan-out check (see `isMembersOnlyTopic`). */
  private readonly lastRead = new Map<string, SiteRecord>();

  constructor(private readonly store: Store) {}

  async find(siteId: string): Promise<SiteRecord | null> {
    const site = await this.store.findSite(siteId);
    if (site) this.lastRead.set(site.id, site);
    return site;
  }

  async get(siteId: string): Promise<SiteRecord> {
    const site = await this.find(siteId);
    if (!site) throw new ServiceError('UNKNOWN_SITE', `There is no site "${siteId}" on this server.`);
    return site;
  }

  list(): Promise<SiteRecord[]> {
    return this.store.listSites();
  }

  /**
   * Whether a topic was members-only when its site was last read. Every write
   * reads its site just before it is stored, so fan-out sees the setting the
   * write was authorised under.
   */
  isMembersOnlyTopic(siteId: string, topic: string): boolean {
    return this.lastRead.get(siteId)?.membersOnlyTopics.includes(topic) ?? false;
  }

  info(site: SiteRecord): SiteInfo {
    return {
      id: site.id,
      name: site.name,
      guestsAllowed: site.guestsAllowed,
      disclaimer: site.disclaimer,
      crisisResources: moderationOf(site).crisisResources,
    };
  }

  /**
   * No Origin header means a same-origin GET or a non-browser client: origin
   * checks protect browsers from being used by other pages, tokens protect identity.
   */
  isOriginAllowed(site: SiteRecord, origin: string | undefined): boolean {
    if (origin === undefined) return true;
    let normalised: string;
    try {
      normalised = normaliseOrigin(origin);
    } catch {
      return false;
    }
    return site.origins.includes(normalised);
  }

  /** Creates a site with a new signing secret, returned once for the operator to hand to the hospital's backend. */
  async create(site: { id: string; name?: string; origins: string[] }, at: Date): Promise<{ site: SiteRecord; secret: string }> {
    if (!SLUG_PATTERN.test(site.id)) {
      throw invalid(`"${site.id}" cannot be a site id: use lower-case letters, digits and dashes (at most ${LIMITS.slugMax}).`);
    }
    if (await this.store.findSite(site.id)) throw invalid(`Site "${site.id}" already exists; change it with "kindred site update ${site.id}".`);
    if (site.origins.length === 0) throw invalid('Give at least one --origin: the address of the pages that will embed the widgets.');
    const origins = unique(site.origins.map(originOrThrow));
    const secret = newSigningSecret();
    await this.store.saveSite({ id: site.id, name: checkedName(site.name ?? site.id), origins }, at.toISOString());
    await this.store.setSiteSecret(site.id, secret);
    return { site: (await this.store.findSite(site.id))!, secret };
  }

  async update(siteId: string, update: SiteUpdate): Promise<SiteRecord> {
    const site = await this.get(siteId);
    const changes: SiteChanges = {};
    if (update.name !== undefined) changes.name = checkedName(update.name);
    if (update.origins || update.addOrigins || update.removeOrigins) {
      const remove = new Set((update.removeOrigins ?? []).map(originOrThrow));
      const origins = unique([...(update.origins ?? site.origins).map(originOrThrow), ...(update.addOrigins ?? []).map(originOrThrow)]).filter(
        (origin) => !remove.has(origin),
      );
      if (origins.length === 0) throw invalid('A site needs at least one allowed origin; add one before removing the last.');
      changes.origins = origins;
    }
    if (update.guestsAllowed !== undefined) changes.guestsAllowed = update.guestsAllowed;
    if (update.addMembersOnlyTopics || update.removeMembersOnlyTopics) {
      const publicAgain = new Set(update.removeMembersOnlyTopics?.map(topicOrThrow));
      changes.membersOnlyTopics = unique([...site.membersOnlyTopics, ...(update.addMembersOnlyTopics ?? []).map(topicOrThrow)]).filter(
        (topic) => !publicAgain.has(topic),
      );
    }
    if (update.disclaimer !== undefined) {
      const text = update.disclaimer.trim();
      if (text.length > DISCLAIMER_MAX) throw invalid(`Keep the disclaimer to ${DISCLAIMER_MAX} characters.`);
      changes.disclaimer = text === '' ? null : text;
    }
    if (update.jwksUrl !== undefined) changes.jwksUrl = update.jwksUrl === '' ? null : jwksUrlOrThrow(update.jwksUrl);
    if (update.trustTokenRoles !== undefined) changes.trustTokenRoles = update.trustTokenRoles;
    if (update.rateLimits) {
      const limits = { ...site.rateLimits };
      for (const [name, setting] of Object.entries(update.rateLimits)) {
        if (setting) limits[name] = setting;
        else delete limits[name];
      }
      changes.rateLimits = limits;
    }
    if (update.recordNumberPatterns) {
      changes.moderation = { ...site.moderation, recordNumberPatterns: recordNumberPatterns(update.recordNumberPatterns) };
    }
    return (await this.store.updateSite(site.id, changes))!;
  }

  /** A new signing secret; tokens signed with the old one stop working at once. */
  async rotateSecret(siteId: string): Promise<string> {
    const site = await this.get(siteId);
    const secret = newSigningSecret();
    await this.store.setSiteSecret(site.id, secret);
    return secret;
  }

  /**
   * The demo site always allows the server's own origins plus the configured
   * extras; re-applied on every start. `secret` (KINDRED_DEMO_SECRET) lets a
   * demo or test backend sign host tokens for it. A demo site without
   * moderation settings gets `DEMO_MODERATION`; `demo-moderator` is its moderator;
   * `heldFirstPosts` (KINDRED_DEMO_HELD_FIRST_POSTS) is applied on every start.
   */
  async ensureDemoSite(
    origins: string[],
    at: Date,
    secret?: string,
    options: { heldFirstPosts?: { guest: number; member: number } } = {},
  ): Promise<SiteRecord> {
    const existing = await this.store.findSite(DEMO_SITE_ID);
    let site = await this.store.saveSite(
      { id: DEMO_SITE_ID, name: existing?.name ?? 'Demo hospital', origins: unique(origins.map(normaliseOrigin)) },
      at.toISOString(),
    );
    if (secret) await this.store.setSiteSecret(DEMO_SITE_ID, secret);
    // A new demo starts with the disclaimer every widget shows; an operator may change it later.
    if (!existing) site = (await this.store.updateSite(DEMO_SITE_ID, { disclaimer: DEMO_DISCLAIMER }))!;
    // Seeded once (moderators' later changes stay); the demo moderator's role is idempotent.
    if (Object.keys(site.moderation).length === 0) site = (await this.store.updateSite(DEMO_SITE_ID, { moderation: DEMO_MODERATION }))!;
    await this.store.grantRole({ siteId: DEMO_SITE_ID, externalId: DEMO_MODERATOR_ID, role: 'moderator', topic: '' }, at.toISOString());
    const { externalId, topic, credential } = DEMO_EXPERT;
    await this.store.grantRole({ siteId: DEMO_SITE_ID, externalId, role: 'expert', topic }, at.toISOString());
    if (!(await this.store.listExperts(DEMO_SITE_ID, topic)).some((expert) => expert.externalId === externalId)) {
      await this.store.saveExpert({ siteId: DEMO_SITE_ID, externalId, topic, credential, npi: null, email: null, createdAt: at.toISOString() });
    }
    // Seeded once: an operator's later changes to the community stay.
    if (!(await this.store.findCommunity(DEMO_SITE_ID, DEMO_COMMUNITY.id))) await this.store.saveCommunity({ siteId: DEMO_SITE_ID, ...DEMO_COMMUNITY }, at.toISOString());
    if (options.heldFirstPosts) {
      site = (await this.store.updateSite(DEMO_SITE_ID, { moderation: { ...site.moderation, heldFirstPosts: options.heldFirstPosts } }))!;
    }
    return site;
  }
}

function invalid(message: string): ServiceError {
  return new ServiceError('INVALID_INPUT', message);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 2 || trimmed.length > 120) throw invalid('Give the site a name of 2 to 120 characters.');
  return trimmed;
}

function originOrThrow(text: string): string {
  try {
    return normaliseOrigin(text);
  } catch {
    throw invalid(`"${text}" is not an origin; write the scheme and host, e.g. https://www.riverside.example.`);
  }
}

function topicOrThrow(topic: string): string {
  if (!SLUG_PATTERN.test(topic)) throw invalid(`"${topic}" is not a topic id: use lower-case letters, digits and dashes.`);
  return topic;
}

/** https only, except on this machine (tests and local development). */
function jwksUrlOrThrow(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`"${text}" is not a URL; give the full address of the JWKS, e.g. https://login.riverside.example/.well-known/jwks.json.`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalid(`The JWKS URL must use https (plain http only for localhost): ${text}`);
  }
  return url.href;
}
