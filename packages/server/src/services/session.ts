import { LIMITS, type ClientEvents, type ErrorCode } from '@kindred/protocol';
import type { ParsedRequest } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import type { SiteRecord } from '../store/store.js';
import type { AccessService } from './access.js';
import type { Caller } from './caller.js';
import type { AddressHasher, ClientAddress } from './client-address.js';
import type { IdentityService } from './identity.js';
import type { RateLimits } from './rate-limits.js';
import type { SiteService } from './sites.js';

export interface SessionDeps {
  sites: SiteService;
  identity: IdentityService;
  access: AccessService;
  limits: RateLimits;
  hasher: AddressHasher;
}

/** What a new connection starts as, and why a credential it sent was not accepted. */
export interface ConnectionStart {
  caller: Caller;
  reason?: ErrorCode;
}

/**
 * Who a connection is over its life: what the handshake proves, guest and
 * member sign-in (also a member's refresh), and signing out.
 */
export class SessionService {
  constructor(private readonly deps: SessionDeps) {}

  /**
   * A host token wins over a guest token. A credential that proves nothing
   * still lets the visitor read, anonymously (a failed host sign-in never
   * falls back to a guest name), and `reason` tells the client why.
   */
  async connect(site: SiteRecord, auth: unknown, address: ClientAddress): Promise<ConnectionStart> {
    const { hostToken, token } = (typeof auth === 'object' && auth !== null ? auth : {}) as Record<string, unknown>;
    let start: ConnectionStart = { caller: { siteId: site.id, user: null, address } };
    if (presented(hostToken)) {
      try {
        if (typeof hostToken !== 'string') throw new ServiceError('TOKEN_INVALID', 'The sign-in token must be a string.');
        const member = await this.deps.identity.signInMember(site, hostToken);
        start = { caller: { ...start.caller, user: member.user, memberUntil: member.expiresAt } };
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        start.reason = error.code;
      }
    } else if (presented(token)) {
      const user = typeof token === 'string' && token.length <= LIMITS.hostTokenMax ? await this.deps.identity.resolveToken(site.id, token) : null;
      if (user) start = { caller: { ...start.caller, user } };
      // The client should forget a guest token that proves nothing.
      else start.reason = 'NOT_AUTHORISED';
    }
    if (start.caller.user) await this.deps.limits.consume(site, ['connectsPerIdentity'], { identity: start.caller.user.id });
    return start;
  }

  async signInGuest(caller: Caller, request: ParsedRequest<'session:guest'>): Promise<{ caller: Caller; res: ClientEvents['session:guest']['res'] }> {
    const site = await this.deps.sites.get(caller.siteId);
    this.deps.access.assertGuestsAllowed(site);
    await this.chargeSignIn(site, caller);
    const res = await this.deps.identity.signInGuest(site.id, request);
    return { caller: { siteId: site.id, user: res.user, ...(caller.address && { address: caller.address }) }, res };
  }

  /** Signs the connection in as the token's member, or refreshes a member's sign-in; a refusal leaves the connection as it was. */
  async signInMember(caller: Caller, request: ParsedRequest<'session:member'>): Promise<{ caller: Caller; res: ClientEvents['session:member']['res'] }> {
    const site = await this.deps.sites.get(caller.siteId);
    await this.chargeSignIn(site, caller);
    const member = await this.deps.identity.signInMember(site, request.token);
    return {
      caller: { siteId: site.id, user: member.user, memberUntil: member.expiresAt, ...(caller.address && { address: caller.address }) },
      res: { user: member.user },
    };
  }

  signOut(caller: Caller): Caller {
    return { siteId: caller.siteId, user: null, ...(caller.address && { address: caller.address }) };
  }

  private async chargeSignIn(site: SiteRecord, caller: Caller): Promise<void> {
    if (!caller.address) return;
    await this.deps.limits.consume(site, ['signIns'], { addressKey: await this.deps.hasher.key(caller.address) });
  }
}

function presented(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
