import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Store } from '../store/store.js';
import { demoHospitalLogin } from './demo-hospital.js';
import { serveHealth } from './health.js';
import { sendError } from './respond.js';
import { demoPages, widgetAssets } from './static-files.js';
import { setStrictDemoPolicy } from './strict-demo-csp.js';
import { serveAuditCsv, type AuditExportDeps } from './audit-export.js';
import { serveThreadList, type ThreadApiDeps } from './thread-api.js';

export interface HttpDeps extends ThreadApiDeps, AuditExportDeps {
  store: Store;
  version: string;
  widgetsDir: string;
  demoDir: string;
  log: Pick<Console, 'error'>;
}

const THREAD_LIST = /^\/api\/sites\/([^/]+)\/topics\/([^/]+)\/posts\/?$/;
const AUDIT_CSV = /^\/api\/sites\/([^/]+)\/audit\.csv$/;

/** Every plain HTTP request; socket.io takes `/socket.io/` before this sees it. */
export function createRequestListener(deps: HttpDeps): RequestListener {
  const widgets = widgetAssets(deps.widgetsDir);
  const demo = demoPages(deps.demoDir);
  const demoLogin = demoHospitalLogin(deps.store);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    if (!url.startsWith('/')) return sendError(res, 400, 'INVALID_INPUT', 'Request a path that starts with /.');
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));

    const api = THREAD_LIST.exec(path);
    if (api) {
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') return notAllowed(res);
      const site = decodeSegment(api[1]!);
      const topic = decodeSegment(api[2]!);
      if (site === null || topic === null) return sendError(res, 400, 'INVALID_INPUT', 'The address has broken percent-encoding.');
      return serveThreadList(req, res, { site, topic, query }, deps);
    }
    const audit = AUDIT_CSV.exec(path);
    if (audit) {
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') return notAllowed(res);
      const site = decodeSegment(audit[1]!);
      if (site === null) return sendError(res, 400, 'INVALID_INPUT', 'The address has broken percent-encoding.');
      return serveAuditCsv(req, res, { site, query }, deps);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return notAllowed(res);
    const notFound = () => sendError(res, 404, 'NOT_FOUND', `Nothing at ${path}.`);
    if (path === '/healthz') return serveHealth(res, deps.store, deps.version);
    if (path.startsWith('/api/')) return notFound();
    if (path === '/' || path === '/demo') return redirect(res, '/demo/');
    if (path === '/demo/strict') return redirect(res, '/demo/strict/');
    if (path === '/admin' || path === '/admin/') return redirect(res, '/demo/admin/');
    // The demo hospital's own login (demo site only; see demo-hospital.ts).
    if (path.startsWith('/demo/auth/')) return demoLogin(req, res, path, query);
    if (path.startsWith('/demo/')) {
      // /demo/strict/… is the same demo under the strict policy a hospital would send
      // (any spelling of that path gets the policy; only the plain one is the alias).
      setStrictDemoPolicy(path, req, res);
      req.url = url.slice(url.startsWith('/demo/strict/') ? '/demo/strict'.length : '/demo'.length);
      return demo(req, res, notFound);
    }
    return widgets(req, res, notFound);
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      deps.log.error('kindred: request failed', req.method, req.url, error);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Something went wrong on the server.');
      else res.destroy();
    });
  };
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Content-Length': 0 });
  res.end();
}

function notAllowed(res: ServerResponse): void {
  res.setHeader('Allow', 'GET, HEAD');
  sendError(res, 405, 'INVALID_INPUT', 'Only GET is supported here.');
}
