/**
 * A hospital's own web server on another origin: serves one page that embeds
 * Kindred with the script tag, the way a real host site would.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { freePort } from './net.js';

export interface HostSite {
  origin: string;
  port: number;
  close(): Promise<void>;
}

export interface HostPage {
  /** URL of the Kindred loader, e.g. http://127.0.0.1:8080/kindred.js */
  loader: string;
  site?: string;
  /** Optional `data-server` override. */
  server?: string;
  topic?: string;
}

export function hostPageHtml(page: HostPage): string {
  const server = page.server ? ` data-server="${page.server}"` : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Host page</title>
    <script src="${page.loader}" data-site="${page.site ?? 'demo'}"${server} async></script>
  </head>
  <body>
    <main>
      <h1>Knee replacement recovery</h1>
      <kindred-thread topic="${page.topic ?? 'knee-replacement'}"></kindred-thread>
    </main>
  </body>
</html>`;
}

/** A response with its own status and headers (e.g. a Content-Security-Policy, or a stylesheet). */
export interface HostResponse {
  body: string;
  /** Default 200. */
  status?: number;
  /** Default `content-type: text/html; charset=utf-8`; these are added to (and may replace) it. */
  headers?: Record<string, string>;
}

type Rendered = string | HostResponse;

/**
 * Serves `hostPageHtml(page)` (with `?topic=` honoured), or whatever `page`
 * renders (HTML, or a full response; it may read the request's cookies and
 * answer asynchronously, like a hospital's own backend).
 */
export async function startHostSite(
  page: HostPage | ((url: URL, request: IncomingMessage) => Rendered | Promise<Rendered>),
  port?: number,
): Promise<HostSite> {
  const listenPort = port ?? (await freePort());
  const render = (url: URL, request: IncomingMessage): Rendered | Promise<Rendered> => {
    if (typeof page === 'function') return page(url, request);
    const topic = url.searchParams.get('topic') ?? page.topic;
    return hostPageHtml({ ...page, ...(topic ? { topic } : {}) });
  };
  const server: Server = createServer(async (request, response) => {
    const rendered = await render(new URL(request.url ?? '/', 'http://host'), request);
    const { body, status = 200, headers = {} } = typeof rendered === 'string' ? { body: rendered } : rendered;
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${listenPort}`,
    port: listenPort,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
