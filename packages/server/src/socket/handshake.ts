import type { IncomingMessage } from 'node:http';
import { SLUG_PATTERN } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import { clientAddressOf, type AddressHasher } from '../services/client-address.js';
import type { RateLimits } from '../services/rate-limits.js';
import type { SiteService } from '../services/sites.js';
import type { SiteRecord } from '../store/store.js';

/** The site each accepted handshake request was for, so the connection need not parse it again. */
const siteByRequest = new WeakMap<IncomingMessage, SiteRecord>();

export function siteOfRequest(req: IncomingMessage): SiteRecord | undefined {
  return siteByRequest.get(req);
}

type AllowRequest = (req: IncomingMessage, callback: (code: string | null | undefined, allowed: boolean) => void) => void;

export interface HandshakeDeps {
  sites: SiteService;
  limits: RateLimits;
  hasher: AddressHasher;
  trustProxy: boolean;
  log: Pick<Console, 'error'>;
}

/**
 * engine.io's gate for new connections: the site must exist, a browser's
 * Origin must be one the site allows, and the client address must be under
 * the site's `connects` limit. engine.io answers a refusal with 403 and JSON
 * `{code, message}` where message is our code.
 */
export function createAllowRequest({ sites, limits, hasher, trustProxy, log }: HandshakeDeps): AllowRequest {
  async function check(req: IncomingMessage): Promise<string | null> {
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const requested = query.getAll('site');
    const siteId = requested.length === 1 ? requested[0]! : '';
    if (!SLUG_PATTERN.test(siteId)) return 'UNKNOWN_SITE';
    const site = await sites.find(siteId);
    if (!site) return 'UNKNOWN_SITE';
    if (!sites.isOriginAllowed(site, req.headers.origin)) return 'ORIGIN_NOT_ALLOWED';
    try {
      await limits.consume(site, ['connects'], { addressKey: await hasher.key(clientAddressOf(req, trustProxy)) });
    } catch (error) {
      if (error instanceof ServiceError) return error.code;
      throw error;
    }
    siteByRequest.set(req, site);
    return null;
  }

  return (req, callback) => {
    check(req).then(
      (refusal) => callback(refusal, refusal === null),
      (error: unknown) => {
        log.error('kindred: handshake check failed', error);
        callback('UNAVAILABLE', false);
      },
    );
  };
}
