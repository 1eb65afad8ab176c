/**
 * Every address a browser context reaches: HTTP(S) requests of every page,
 * worker and frame in it, and the websockets they open. Tests compare the
 * origins against the few a hospital agreed to, so a new CDN font, analytics
 * beacon or image proxy fails the suite instead of shipping.
 */
import type { BrowserContext } from 'playwright-core';

export interface NetworkLog {
  /** Every URL requested or connected to, in order, tagged with how. */
  readonly entries: Array<{ kind: 'request' | 'websocket'; url: string }>;
  /** The entries whose origin is not one of `allowed` (websocket schemes compared as their http twins). */
  outside(allowed: string[]): string[];
}

/** Records from now on; listens on the context, so pages opened later are covered too. */
export function recordNetwork(context: BrowserContext): NetworkLog {
  const entries: NetworkLog['entries'] = [];
  context.on('request', (request) => entries.push({ kind: 'request', url: request.url() }));
  context.on('page', (page) => page.on('websocket', (socket) => entries.push({ kind: 'websocket', url: socket.url() })));
  for (const page of context.pages()) page.on('websocket', (socket) => entries.push({ kind: 'websocket', url: socket.url() }));
  return {
    entries,
    outside: (allowed) => {
      const origins = new Set(allowed.map((origin) => new URL(origin).origin));
      return entries.filter((entry) => !origins.has(httpOrigin(entry.url))).map((entry) => `${entry.kind} ${entry.url}`);
    },
  };
}

/** `ws://h:p/x` → `http://h:p`; anything that is not a network URL (data:, blob:) maps to its own scheme, so it never matches. */
export function httpOrigin(url: string): string {
  const parsed = new URL(url);
  const scheme = { 'ws:': 'http:', 'wss:': 'https:' }[parsed.protocol] ?? parsed.protocol;
  if (scheme !== 'http:' && scheme !== 'https:') return `${parsed.protocol}(not a network origin)`;
  return `${scheme}//${parsed.host}`;
}
