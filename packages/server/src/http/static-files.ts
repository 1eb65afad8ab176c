import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';

type StaticHandler = (req: IncomingMessage, res: ServerResponse, notFound: () => void) => void;

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Dot-files (.env, .git) are never served, whatever folder an operator points us at. */
function hasHiddenSegment(path: string): boolean {
  return /(^|\/)\.[^/]*/.test(path) || /(^|\/|\\)%2e/i.test(path);
}

function fromFolder(dir: string, options: { extensions: string[]; cacheControl: (path: string) => string; headers: Record<string, string> }): StaticHandler {
  // `dev` re-reads the folder on each request: the widget bundle may be rebuilt while the server runs.
  // sirv refuses paths that resolve outside `dir`.
  const serve = sirv(dir, {
    dev: true,
    etag: true,
    dotfiles: false,
    extensions: options.extensions,
    setHeaders: (res, pathname) => res.setHeader('Cache-Control', options.cacheControl(pathname)),
  });
  return (req, res, notFound) => {
    if (hasHiddenSegment((req.url ?? '').split('?')[0]!)) return notFound();
    // Set before sirv so a 304 carries them too.
    for (const [name, value] of Object.entries(options.headers)) res.setHeader(name, value);
    // sirv pipes a file stream with no error listener; a file removed mid-rebuild must not crash the process.
    res.once('pipe', (source) => source.once('error', () => res.destroy()));
    serve(req, res, notFound);
  };
}

/**
 * The widget bundle, at the server root. Host pages load it cross-origin as
 * modules, so every file carries `Access-Control-Allow-Origin: *`; entry files
 * are revalidated, hashed chunks are cached for good.
 */
export function widgetAssets(dir: string): StaticHandler {
  return fromFolder(dir, {
    extensions: [],
    cacheControl: (path) => (path.startsWith('/chunks/') ? IMMUTABLE : 'no-cache'),
    headers: { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' },
  });
}

/** The demo hospital site; `req.url` must already be relative to `/demo`. */
export function demoPages(dir: string): StaticHandler {
  return fromFolder(dir, { extensions: ['html'], cacheControl: () => 'no-cache', headers: {} });
}
