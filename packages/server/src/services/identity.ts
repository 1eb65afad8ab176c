import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { ClientEvents, Identity } from '@kindred/protocol';
import type { ParsedRequest } from '@kindred/protocol/schemas';
import type { Store, UserRecord } from '../store/store.js';

const ISSUER = 'kindred';
const GUEST_TOKEN_DAYS = 180;
const SECRET_NAME = 'session-token-hs256';

export interface IdentityDeps {
  store: Store;
  /** HS256 key for the session tokens this server issues. */
  secret: Uint8Array;
  now: () => Date;
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
