import type { IncomingMessage } from 'node:http';
import { SLUG_PATTERN } from '@kindred/protocol';
import type { SiteService } from '../services/sites.js';
import type { SiteRecord } from '../store/store.js';

/** The site each accepted handshake request was for, so the connection need not parse it again. */
const siteByRequest = new WeakMap<IncomingMessage, SiteRecord>();

export function siteOfRequest(req: IncomingMessage): SiteRecord | undefined {
  return siteByRequest.get(req);
}

type AllowRequest = (req: IncomingMessage, callback: (code: string | null | undefined, allowed: boolean) => void) => void;

/**
 * engine.io's gate for new connections: the site must exist and a browser's
 * Origin must be one the site allows. engine.io answers a refusal with 403 and
 * JSON `{code, message}` where message is our code.
 */
export function createAllowRequest(sites: SiteService, log: Pick<Console, 'error'>): AllowRequest {
  return (req, callback) => {
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const requested = query.getAll('site');
    const siteId = requested.length === 1 ? requested[0]! : '';
    if (!SLUG_PATTERN.test(siteId)) return callback('UNKNOWN_SITE', false);
    sites.find(siteId).then(
      (site) => {
        if (!site) return callback('UNKNOWN_SITE', false);
        if (!sites.isOriginAllowed(site, req.headers.origin)) return callback('ORIGIN_NOT_ALLOWED', false);
        siteByRequest.set(req, site);
        callback(null, true);
      },
      (error: unknown) => {
        log.error('kindred: site lookup failed during handshake', error);
        callback('UNAVAILABLE', false);
      },
    );
  };
}
