/** Where the widgets find their Kindred server and which site (tenant) the page belongs to. */
export interface KindredConfig {
  server: string;
  site: string;
  /**
   * The host site's endpoint that answers with a sign-in token for its
   * logged-in visitor (`data-auth-url` on the script tag); relative to the page.
   */
  authUrl?: string;
}

/** The loader stores the page's configuration here before it imports any element chunk. */
export const CONFIG_KEY = Symbol.for('kindred.config');

/**
 * The page's configuration, with per-element overrides (`server`, `site` and
 * `auth-url` attributes) taking precedence. Null when the server or site is still unknown.
 */
export function readConfig(overrides: Partial<KindredConfig> = {}): KindredConfig | null {
  const page = (globalThis as unknown as Record<symbol, Partial<KindredConfig> | undefined>)[CONFIG_KEY];
  const server = overrides.server || page?.server;
  const site = overrides.site || page?.site;
  const authUrl = overrides.authUrl || page?.authUrl;
  return server && site ? { server, site, ...(authUrl ? { authUrl } : {}) } : null;
}
