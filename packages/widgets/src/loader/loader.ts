/**
 * The script-tag loader (`/kindred.js`). It registers no element itself: it
 * records where the Kindred server is, which site this page belongs to and,
 * with `data-auth-url`, where the host site hands out sign-in tokens (kept
 * as written: the client resolves it against the page). Then it imports the
 * chunk of each `kindred-*` element on the page, now and whenever one is
 * added later, together with the chunks it imports and, where the element's
 * `lang` (or the page's) asks for another language, that language's string
 * tables: all at once, so nothing waits for another file to be read first.
 * Chunks are resolved against the loader's own URL, so the page needs
 * nothing but this one tag.
 */
import type { ElementFiles } from './element-chunks.js';

/** Set by the loader build from the widgets build's manifest (vite.config.ts). */
declare const __KINDRED_ELEMENT_FILES__: Record<string, ElementFiles>;

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

  const elements = __KINDRED_ELEMENT_FILES__;
  const pending = new Set(Object.keys(elements));
  const loadPresent = (): void => {
    for (const tag of pending) {
      const element = document.querySelector(tag);
      if (element) {
        pending.delete(tag);
        const language = (element.closest('[lang]')?.getAttribute('lang') ?? '').split('-')[0]!.toLowerCase();
        const { files, tables } = elements[tag]!;
        for (const file of [...files, ...(tables[language] ?? [])]) void import(/* @vite-ignore */ new URL(file, ownUrl).href);
      }
    }
    if (!pending.size) observer.disconnect();
  };
  const observer = new MutationObserver(loadPresent);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  loadPresent();
}
