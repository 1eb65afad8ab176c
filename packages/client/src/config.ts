/** Where the widgets find their Kindred server and which site (tenant) the page belongs to. */
export interface KindredConfig {
  server: string;
  site: string;
}

/** The loader stores the page's configuration here before it imports any element chunk. */
export const CONFIG_KEY = Symbol.for('kindred.config');

/**
 * The page's configuration, with per-element overrides (`server` and `site`
 * attributes) taking precedence. Null when either part is still unknown.
 */
export function readConfig(overrides: Partial<KindredConfig> = {}): KindredConfig | null {
  const page = (globalThis as unknown as Record<symbol, Partial<KindredConfig> | undefined>)[CONFIG_KEY];
  const server = overrides.server || page?.server;
  const site = overrides.site || page?.site;
  return server && site ? { server, site } : null;
}
