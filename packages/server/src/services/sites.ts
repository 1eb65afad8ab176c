import type { SiteRecord, Store } from '../store/store.js';

export const DEMO_SITE_ID = 'demo';

/** `scheme://host[:port]` in canonical form; throws on anything that is not an http(s) origin. */
export function normaliseOrigin(text: string): string {
  const url = new URL(text.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) origin: ${text}`);
  return url.origin;
}

/** Which sites exist and which pages may embed them. */
export class SiteService {
  constructor(private readonly store: Store) {}

  find(siteId: string): Promise<SiteRecord | null> {
    return this.store.findSite(siteId);
  }

  /**
   * No Origin header means a same-origin GET or a non-browser client: origin
   * checks protect browsers from being used by other pages, tokens protect identity.
   */
  isOriginAllowed(site: SiteRecord, origin: string | undefined): boolean {
    if (origin === undefined) return true;
    let normalised: string;
    try {
      normalised = normaliseOrigin(origin);
    } catch {
      return false;
    }
    return site.origins.includes(normalised);
  }

  /** The demo site always allows the server's own origins plus the configured extras; re-applied on every start. */
  async ensureDemoSite(origins: string[], at: Date): Promise<SiteRecord> {
    const unique = [...new Set(origins.map(normaliseOrigin))];
    const existing = await this.store.findSite(DEMO_SITE_ID);
    return this.store.saveSite({ id: DEMO_SITE_ID, name: existing?.name ?? 'Demo hospital', origins: unique }, at.toISOString());
  }
}
