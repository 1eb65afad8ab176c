/**
 * The script-tag loader (`/kindred.js`). It registers no element itself: it
 * records where the Kindred server is, which site this page belongs to and,
 * with `data-auth-url`, where the host site hands out sign-in tokens (kept
 * as written: the client resolves it against the page). Then it imports the
 * chunk of each `kindred-*` element on the page, now and whenever one is
 * added later. Chunks are resolved against the loader's own
 * URL, so the page needs nothing but this one tag.
 */
import { ELEMENT_CHUNKS } from './element-chunks.js';

interface LoaderConfig {
  server: string;
  site: string;
  authUrl?: string | undefined;
}

const CONFIG_KEY = Symbol.for('kindred.config');
const registry = globalThis as unknown as Record<symbol, LoaderConfig | undefined>;

// A second copy of the script on the page is harmless: the first one wins.
if (!registry[CONFIG_KEY]) {
  const script = document.currentScript as HTMLScriptElement | null;
  const ownUrl = new URL(script?.src || 'kindred.js', location.href);
  registry[CONFIG_KEY] = {
    server: script?.dataset.server || ownUrl.origin,
    site: script?.dataset.site || '',
    authUrl: script?.dataset.authUrl,
  };

  const pending = new Set(Object.keys(ELEMENT_CHUNKS));
  const loadPresent = (): void => {
    for (const tag of pending) {
      if (document.querySelector(tag)) {
        pending.delete(tag);
        void import(/* @vite-ignore */ new URL(ELEMENT_CHUNKS[tag]!, ownUrl).href);
      }
    }
    if (!pending.size) observer.disconnect();
  };
  const observer = new MutationObserver(loadPresent);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  loadPresent();
}
