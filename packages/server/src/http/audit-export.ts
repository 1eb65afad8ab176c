import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditEntry } from '@kindred/protocol';
import { parseRequest } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import type { IdentityService } from '../services/identity.js';
import type { ModerationService } from '../services/moderation.js';
import type { SiteService } from '../services/sites.js';
import { toCsv } from './csv.js';
import { sendError, sendServiceError } from './respond.js';
import { siteForRead } from './site-cors.js';
import { callerOf } from './thread-api.js';

export interface AuditExportDeps {
  sites: SiteService;
  identity: IdentityService;
  moderation: ModerationService;
}

const COLUMNS = ['at', 'actor_id', 'actor_name', 'action', 'target_kind', 'target_id', 'reason', 'before', 'after'];

/**
 * `GET /api/sites/:site/audit.csv?actorId=&action=&since=&until=` with
 * `Authorization: Bearer <host token of a moderator>`: the filtered audit log
 * as CSV, newest first. Cross-origin reads only from the site's own origins.
 */
export async function serveAuditCsv(req: IncomingMessage, res: ServerResponse, params: { site: string; query: URLSearchParams }, deps: AuditExportDeps): Promise<void> {
  const site = await siteForRead(req, res, params.site, deps.sites, 'GET');
  if (!site) return;
  const filters: Record<string, string> = {};
  for (const name of ['actorId', 'action', 'since', 'until']) {
    const value = params.query.get(name);
    if (value !== null && value !== '') filters[name] = value;
  }
  const parsed = parseRequest('mod:audit', filters);
  if (!parsed.ok) return sendError(res, 400, 'INVALID_INPUT', parsed.message, parsed.field);
  if (req.headers.authorization === undefined) {
    return sendError(res, 401, 'NOT_SIGNED_IN', 'Send a moderator\'s sign-in token as "Authorization: Bearer <token>".');
  }
  try {
    const caller = await callerOf(req, site, deps.identity);
    const entries = await deps.moderation.exportAudit(caller, parsed.value);
    const csv = toCsv([COLUMNS, ...entries.map(auditRow)]);
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="kindred-audit-${site.id}.csv"`,
      'Content-Length': Buffer.byteLength(csv),
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : csv);
  } catch (error) {
    if (error instanceof ServiceError) return sendServiceError(res, error);
    throw error;
  }
}

function auditRow(entry: AuditEntry): Array<string | null> {
  return [
    entry.at,
    entry.actor.id,
    entry.actor.name,
    entry.action,
    entry.target.kind,
    entry.target.id,
    entry.reason,
    JSON.stringify(entry.before),
    JSON.stringify(entry.after),
  ];
}
