import { LIMITS, type Identity, type MemberStanding } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import type { SiteRecord, StandingRecord, Store } from '../store/store.js';
import { requireUser, type Caller } from './caller.js';
import type { SiteService } from './sites.js';

/** What a write is about, for the access rules. */
export interface WriteTarget {
  topic: string;
  /** What the person is trying to do, for the NOT_SIGNED_IN message: 'post', 'react'… */
  action: string;
  /** Removing one's own post is allowed wherever one could once write: people post their own health details. */
  removingOwn?: boolean;
}

/**
 * Who may read and write where on a site: members-only topics, whether
 * guests may write, and whether a member's sign-in is still current. Every
 * transport asks here; none decides for itself.
 */
export class AccessService {
  constructor(private readonly deps: { sites: SiteService; store: Pick<Store, 'standingOf'>; now: () => Date }) {}

  /** A signed-in member of this site whose host token has not run out (allowing for clock skew). */
  isMember(caller: Caller): boolean {
    return caller.user?.kind === 'member' && !this.memberExpired(caller);
  }

  async authoriseRead(caller: Caller, topic: string): Promise<SiteRecord> {
    const site = await this.deps.sites.get(caller.siteId);
    if (site.membersOnlyTopics.includes(topic) && !this.isMember(caller)) throw this.membersOnly(site, caller);
    return site;
  }

  /** The author of a write, or the reason they may not make it. */
  async authoriseWrite(caller: Caller, target: WriteTarget): Promise<{ site: SiteRecord; author: Identity }> {
    const site = await this.deps.sites.get(caller.siteId);
    if (target.removingOwn) return { site, author: requireUser(caller, target.action) };
    if (site.membersOnlyTopics.includes(target.topic) && !this.isMember(caller)) throw this.membersOnly(site, caller);
    const author = requireUser(caller, target.action);
    if (author.kind === 'guest' && !site.guestsAllowed) throw guestsNotAllowed(site);
    if (author.kind === 'member' && this.memberExpired(caller)) throw signInExpired(site);
    // Read on every write, so a ban or suspension holds at once, also on connections already open.
    const standing = await this.deps.store.standingOf(author.id);
    if (standing && standingAt(standing, this.deps.now()) !== 'active') throw refusedFor(standing, site);
    return { site, author };
  }

  assertGuestsAllowed(site: SiteRecord): void {
    if (!site.guestsAllowed) throw guestsNotAllowed(site);
  }

  private memberExpired(caller: Caller): boolean {
    return caller.memberUntil !== undefined && this.deps.now().getTime() > caller.memberUntil + LIMITS.clockSkewMs;
  }

  private membersOnly(site: SiteRecord, caller: Caller): ServiceError {
    if (caller.user?.kind === 'member') return signInExpired(site);
    return new ServiceError('MEMBERS_ONLY', `This topic is for members of ${site.name}. Sign in with your ${site.name} account to read and post here.`);
  }
}

/** A suspension ends by itself when its time is up; a ban lasts until a moderator reinstates the member. */
export function standingAt(record: Pick<StandingRecord, 'standing' | 'until'> | null, now: Date): MemberStanding {
  if (!record) return 'active';
  if (record.standing === 'suspended' && record.until !== null && Date.parse(record.until) <= now.getTime()) return 'active';
  return record.standing;
}

function refusedFor(standing: StandingRecord, site: SiteRecord): ServiceError {
  if (standing.standing === 'banned') {
    return new ServiceError('BANNED', `The moderators of ${site.name} have closed your account for posting. You can still read.`);
  }
  const until = standing.until ? ` until ${standing.until.slice(0, 16).replace('T', ' ')} UTC` : '';
  return new ServiceError('SUSPENDED', `The moderators of ${site.name} have suspended your posting${until}. You can still read.`);
}

function guestsNotAllowed(site: SiteRecord): ServiceError {
  return new ServiceError('GUESTS_NOT_ALLOWED', `${site.name} does not take posts under a guest name. Sign in with your ${site.name} account to post.`);
}

function signInExpired(site: SiteRecord): ServiceError {
  return new ServiceError('TOKEN_EXPIRED', `Your sign-in from ${site.name} has expired. Sign in again, or reload the page.`);
}
