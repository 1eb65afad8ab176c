import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SiteService } from '../services/sites.js';
import type { SiteRecord } from '../store/store.js';
import { sendError } from './respond.js';

/**
 * The gate of every site-scoped JSON API: the site must exist, a browser's
 * Origin must be one the site allows (reflected for CORS), and a preflight is
 * answered here. Returns the site, or null when the response is already sent.
 */
export async function siteForRead(
  req: IncomingMessage,
  res: ServerResponse,
  siteId: string,
  sites: SiteService,
  methods: string,
): Promise<SiteRecord | null> {
  res.setHeader('Vary', 'Origin');
  const site = await sites.find(siteId);
  if (!site) {
    sendError(res, 404, 'UNKNOWN_SITE', `No site "${siteId}" on this server.`);
    return null;
  }
  const origin = req.headers.origin;
  if (!sites.isOriginAllowed(site, origin)) {
    sendError(res, 403, 'ORIGIN_NOT_ALLOWED', `Pages on ${origin} may not read site "${site.id}". Add the origin to the site's allowed origins.`);
    return null;
  }
  if (origin) res.setHeader('Access-Control-Allow-Origin', origin);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': methods,
      'Access-Control-Allow-Headers': 'Authorization',
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return null;
  }
  return site;
}
