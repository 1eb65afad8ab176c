import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Host header we are willing to echo into a policy: a name or IP literal and an optional port, nothing else. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The Content-Security-Policy a hospital page embedding Kindred can run under:
 * scripts and the realtime connection from Kindred's origin only, no inline
 * code, and Trusted Types with Lit's own `lit-html` policy as the only one.
 */
export function strictEmbedPolicy(kindredOrigin: string): string {
  const origin = new URL(kindredOrigin);
  const socket = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
  return [
    "default-src 'self'",
    `script-src 'self' ${origin.origin}`,
    "style-src 'self'",
    `connect-src ${origin.origin} ${socket}`,
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
}

/** `/demo/strict` and everything under it, however the path is percent-encoded. */
const STRICT_DEMO = /^\/demo\/strict(?:\/|$)/i;

/**
 * `/demo/strict/` serves the demo pages under that policy, to prove the
 * widgets run there; returns whether the path was one of them. This server is
 * the Kindred origin there; its address comes from the Host header
 * (validated) and the connection's scheme. A CSP3 `http:`/`ws:` source also
 * matches `https:`/`wss:` behind a TLS proxy.
 */
export function setStrictDemoPolicy(path: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (!STRICT_DEMO.test(safeDecode(path))) return false;
  const host = req.headers.host ?? '';
  const scheme = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  // Fail closed: a page we cannot name our own origin for loads nothing.
  const policy = PLAIN_HOST.test(host) ? strictEmbedPolicy(`${scheme}://${host}`) : "default-src 'none'";
  res.setHeader('Content-Security-Policy', policy);
  return true;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
