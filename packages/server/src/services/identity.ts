import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { ClientEvents, Identity, Role } from '@kindred/protocol';
import type { ParsedRequest } from '@kindred/protocol/schemas';
import type { RoleGrant, SiteRecord, Store, UserRecord } from '../store/store.js';
import type { HostTokenVerifier } from './host-token.js';

const ISSUER = 'kindred';
const GUEST_TOKEN_DAYS = 180;
const SECRET_NAME = 'session-token-hs256';

export interface IdentityDeps {
  store: Store;
  /** HS256 key for the session tokens this server issues. */
  secret: Uint8Array;
  now: () => Date;
  /** Needed for host-site sign-in only. */
  hostTokens?: HostTokenVerifier;
}

/** A member signed in with a host token, and when that token runs out. */
export interface MemberSession {
  user: Identity;
  expiresAt: number;
}

/**
 * The key comes from KINDRED_SECRET when the operator sets one (several nodes
 * must share it); otherwise it is generated once and kept in the store so
 * tokens survive restarts.
 */
export async function loadSigningSecret(store: Store, configured?: string): Promise<Uint8Array> {
  if (configured !== undefined && configured !== '') {
    if (configured.length < 32) throw new Error('KINDRED_SECRET must be at least 32 characters long.');
    return new TextEncoder().encode(configured);
  }
  const stored = await store.secret(SECRET_NAME, () => randomBytes(32).toString('base64url'));
  return new TextEncoder().encode(stored);
}

export function toIdentity(user: UserRecord): Identity {
  return { id: user.id, name: user.displayName, kind: user.kind };
}

const ROLE_ORDER: Role[] = ['member', 'expert', 'moderator', 'admin'];

/** Every member holds `member`; `expert` is held per topic; moderator and admin are site-wide. */
export function memberIdentity(user: UserRecord, grants: Array<Pick<RoleGrant, 'role' | 'topic'>>): Identity {
  const roles = new Set<Role>(['member']);
  const expertTopics = new Set<string>();
  for (const grant of grants) {
    if (grant.role === 'expert') {
      if (grant.topic) expertTopics.add(grant.topic);
    } else if (grant.topic === '') {
      roles.add(grant.role);
    }
  }
  if (expertTopics.size) roles.add('expert');
  return { ...toIdentity(user), roles: ROLE_ORDER.filter((role) => roles.has(role)), expertTopics: [...expertTopics].sort() };
}

/**
 * Who a connection is. Guests get a pseudonymous user and a token for this
 * site only; host-site members (kind `member`, keyed by the host's `sub` in
 * `externalId`) will be issued the same kind of token by the same path.
 */
export class IdentityService {
  constructor(private readonly deps: IdentityDeps) {}

  async signInGuest(siteId: string, request: ParsedRequest<'session:guest'>): Promise<ClientEvents['session:guest']['res']> {
    const user = await this.deps.store.createUser({
      siteId,
      kind: 'guest',
      externalId: null,
      displayName: request.displayName,
      createdAt: this.deps.now().toISOString(),
    });
    return { token: await this.issueToken(user, GUEST_TOKEN_DAYS), user: toIdentity(user) };
  }

  /**
   * Verifies a host token and makes its `sub` this site's member, creating the
   * user or updating their display name. Roles come from the server's records;
   * the token's `roles`/`expertTopics` claims add to them only on a site that
   * trusts token roles.
   */
  async signInMember(site: SiteRecord, token: string): Promise<MemberSession> {
    if (!this.deps.hostTokens) throw new Error('IdentityService was built without a host token verifier');
    const claims = await this.deps.hostTokens.verify(site, token);
    const user = await this.deps.store.upsertMember({
      siteId: site.id,
      externalId: claims.sub,
      displayName: claims.name,
      at: this.deps.now().toISOString(),
    });
    const grants: Array<Pick<RoleGrant, 'role' | 'topic'>> = await this.deps.store.rolesOf(site.id, claims.sub);
    if (site.trustTokenRoles) {
      for (const role of claims.roles) if (role !== 'expert') grants.push({ role, topic: '' });
      for (const topic of claims.expertTopics) grants.push({ role: 'expert', topic });
    }
    return { user: memberIdentity(user, grants), expiresAt: claims.expiresAt };
  }

  /** The identity a token proves for this site, or null when it is invalid, expired, or for another site. */
  async resolveToken(siteId: string, token: string): Promise<Identity | null> {
    try {
      const { payload } = await jwtVerify(token, this.deps.secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: siteId,
        currentDate: this.deps.now(),
      });
      if (typeof payload.sub !== 'string') return null;
      const user = await this.deps.store.findUser(payload.sub);
      return user && user.siteId === siteId && user.kind === payload.kind ? toIdentity(user) : null;
    } catch {
      return null;
    }
  }

  private async issueToken(user: UserRecord, days: number): Promise<string> {
    const issuedAt = Math.floor(this.deps.now().getTime() / 1000);
    return new SignJWT({ kind: user.kind, name: user.displayName })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(user.id)
      .setAudience(user.siteId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + days * 24 * 60 * 60)
      .sign(this.deps.secret);
  }
}
