import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { LIMITS, ROLES, SLUG_PATTERN, type Role } from '@kindred/protocol';
import { displayName } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import type { SiteRecord, Store } from '../store/store.js';

/** What a verified host token says about the visitor. */
export interface HostClaims {
  /** The host site's own user id. */
  sub: string;
  /** Display name, normalised as the protocol's display names are. */
  name: string;
  /** Only honoured when the site trusts token roles. */
  roles: Role[];
  expertTopics: string[];
  /** When the token stops being valid, in ms since the epoch. */
  expiresAt: number;
}

const SUB_MAX = 200;
const EMAIL_MAX = 254;
const HS_ALGORITHMS = ['HS256'];
const JWKS_ALGORITHMS = ['RS256', 'ES256'];

/**
 * Checks the sign-in tokens hospitals' backends issue for their own logged-in
 * visitors: HS256 with the site's secret, or RS256/ES256 against the site's
 * JWKS (fetched and cached per URL). Never both for one site, so a token
 * cannot pick the key it is checked with.
 */
export class HostTokenVerifier {
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(private readonly deps: { store: Store; now: () => Date; log: Pick<Console, 'error'> }) {}

  async verify(site: SiteRecord, token: string): Promise<HostClaims> {
    if (token.length > LIMITS.hostTokenMax) throw invalid(`This sign-in token is longer than ${LIMITS.hostTokenMax} characters.`);
    const now = this.deps.now();
    const algorithms = site.jwksUrl ? JWKS_ALGORITHMS : HS_ALGORITHMS;
    let payload: JWTPayload;
    try {
      const options = {
        algorithms,
        audience: site.id,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: LIMITS.clockSkewMs / 1000,
        currentDate: now,
      };
      ({ payload } = site.jwksUrl
        ? await jwtVerify(token, this.keySet(site.jwksUrl), options)
        : await jwtVerify(token, await this.secretOf(site), options));
    } catch (error) {
      throw this.explain(error, site, token, algorithms);
    }
    return checkClaims(payload, now);
  }

  private async secretOf(site: SiteRecord): Promise<Uint8Array> {
    const secret = await this.deps.store.siteSecret(site.id);
    if (!secret) {
      throw invalid(`Site "${site.id}" has no signing secret yet, so it cannot sign visitors in. An operator can create one with: kindred site rotate-secret ${site.id}`);
    }
    return new TextEncoder().encode(secret);
  }

  private keySet(url: string): ReturnType<typeof createRemoteJWKSet> {
    let keySet = this.keySets.get(url);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      this.keySets.set(url, keySet);
    }
    return keySet;
  }

  /** A ServiceError a person (or the hospital's developer) can act on; never echoes the token. */
  private explain(error: unknown, site: SiteRecord, token: string, algorithms: string[]): ServiceError {
    if (error instanceof ServiceError) return error;
    if (error instanceof errors.JWTExpired) {
      return new ServiceError('TOKEN_EXPIRED', `Your sign-in from ${site.name} has expired. Sign in again, or reload the page to get a fresh sign-in.`);
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'aud') return invalid(`This sign-in token was made for another site: its "aud" claim must be "${site.id}".`);
      if (error.claim === 'nbf') return invalid('This sign-in token is not valid yet ("nbf" is in the future); check the clock of the server that signs it.');
      return invalid(`This sign-in token has no valid "${error.claim}" claim.`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed) {
      return invalid(`This sign-in token is signed with ${headerAlg(token)}; site "${site.id}" accepts ${algorithms.join(' or ')} only.`);
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return invalid(
        site.jwksUrl
          ? `This sign-in token's signature does not match the keys at the site's JWKS URL.`
          : `This sign-in token's signature does not match site "${site.id}"'s secret (a rotated secret must be updated in the hospital's backend).`,
      );
    }
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
      return invalid(`No single key at the site's JWKS URL matches this sign-in token's "kid" and algorithm.`);
    }
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
      return invalid('This is not a valid sign-in token: a signed compact JWT is expected.');
    }
    if (site.jwksUrl) {
      // The token may be fine; the keys could not be fetched. Not the visitor's fault, and worth an operator's look.
      this.deps.log.error(`kindred: could not read the JWKS of site ${site.id}:`, error instanceof Error ? error.message : error);
      return new ServiceError('UNAVAILABLE', `Signing in is unavailable right now: the keys of ${site.name} could not be fetched. Please try again shortly.`);
    }
    return invalid('This is not a valid sign-in token.');
  }
}

function invalid(message: string): ServiceError {
  return new ServiceError('TOKEN_INVALID', message);
}

function headerAlg(token: string): string {
  try {
    return String(decodeProtectedHeader(token).alg);
  } catch {
    return 'an unknown algorithm';
  }
}

/** The claims the signature does not check: shapes, lengths, and how long the token lives. */
function checkClaims(payload: JWTPayload, now: Date): HostClaims {
  const nowSec = now.getTime() / 1000;
  const skewSec = LIMITS.clockSkewMs / 1000;
  const maxLifetimeSec = LIMITS.hostTokenMaxLifetimeMs / 1000;
  const { sub, exp, iat } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > SUB_MAX) {
    throw invalid(`The sign-in token's "sub" claim must be the user's id as a string of 1 to ${SUB_MAX} characters.`);
  }
  const name = displayName.safeParse(payload.name);
  if (!name.success) {
    throw invalid(`The sign-in token's "name" claim must be a display name of ${LIMITS.displayNameMin} to ${LIMITS.displayNameMax} characters.`);
  }
  if (payload.email !== undefined && (typeof payload.email !== 'string' || payload.email.length > EMAIL_MAX || !payload.email.includes('@'))) {
    throw invalid('The sign-in token\'s "email" claim, when present, must be an email address.');
  }
  if (typeof iat === 'number' && iat > nowSec + skewSec) {
    throw invalid('This sign-in token was issued in the future ("iat"); check the clock of the server that signs it.');
  }
  // Without iat the lifetime is counted from now, allowing for the signer's clock running ahead.
  const lifetime = typeof iat === 'number' ? exp! - iat : exp! - nowSec - skewSec;
  if (lifetime > maxLifetimeSec) {
    throw invalid(`This sign-in token is valid for too long: "exp" may be at most ${maxLifetimeSec / 60} minutes after it is issued.`);
  }
  return {
    sub,
    name: name.data,
    roles: stringList(payload.roles).filter((role): role is Role => (ROLES as readonly string[]).includes(role)),
    expertTopics: stringList(payload.expertTopics).filter((topic) => SLUG_PATTERN.test(topic)),
    expiresAt: exp! * 1000,
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').slice(0, 100) : [];
}
