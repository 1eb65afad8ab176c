import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRequest } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import type { Caller } from '../services/caller.js';
import type { IdentityService } from '../services/identity.js';
import type { SiteService } from '../services/sites.js';
import type { ThreadService } from '../services/thread.js';
import type { SiteRecord } from '../store/store.js';
import { sendError, sendJson, sendServiceError } from './respond.js';
import { siteForRead } from './site-cors.js';

export interface ThreadApiDeps {
  sites: SiteService;
  threads: ThreadService;
  identity: IdentityService;
}

/**
 * `GET /api/sites/:site/topics/:topic/posts`: the same page `thread:list`
 * answers, for readers without a socket. CORS only for the site's own origins.
 * `Authorization: Bearer <host token>` reads as that member (members-only topics).
 */
export async function serveThreadList(
  req: IncomingMessage,
  res: ServerResponse,
  params: { site: string; topic: string; query: URLSearchParams },
  deps: ThreadApiDeps,
): Promise<void> {
  const site = await siteForRead(req, res, params.site, deps.sites, 'GET, HEAD');
  if (!site) return;

  const limit = params.query.get('limit');
  const cursor = params.query.get('cursor');
  const parsed = parseRequest('thread:list', {
    topic: params.topic,
    sort: params.query.get('sort') ?? 'newest',
    ...(cursor !== null && { cursor }),
    ...(limit !== null && { limit: /^\d{1,4}$/.test(limit) ? Number(limit) : limit }),
  });
  if (!parsed.ok) return sendError(res, 400, 'INVALID_INPUT', parsed.message, parsed.field);
  try {
    const caller = await callerOf(req, site, deps.identity);
    sendJson(res, 200, await deps.threads.listPosts(caller, parsed.value));
  } catch (error) {
    if (error instanceof ServiceError) return sendServiceError(res, error);
    throw error;
  }
}

/** Who an HTTP request is: anonymous, or the member its `Authorization: Bearer <host token>` signs in. */
export async function callerOf(req: IncomingMessage, site: SiteRecord, identity: IdentityService): Promise<Caller> {
  const header = req.headers.authorization;
  if (header === undefined) return { siteId: site.id, user: null };
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header.trim());
  if (!match) throw new ServiceError('TOKEN_INVALID', 'Send the sign-in token as "Authorization: Bearer <token>".');
  const member = await identity.signInMember(site, match[1]!);
  return { siteId: site.id, user: member.user, memberUntil: member.expiresAt };
}
