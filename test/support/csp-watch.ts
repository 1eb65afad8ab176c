/**
 * Watches a page for anything a Content-Security-Policy refused: the
 * `securitypolicyviolation` events (recorded by a script that runs before the
 * page's own, into `window.__cspViolations`), console errors and uncaught
 * exceptions. A strict policy that breaks the widgets shows up in one of them.
 */
import type { Page } from 'playwright-core';

export interface CspViolation {
  effectiveDirective: string;
  blockedURI: string;
  sourceFile: string;
  lineNumber: number;
  sample: string;
  disposition: string;
}

export interface CspWatch {
  violations(): Promise<CspViolation[]>;
  consoleErrors: string[];
  pageErrors: string[];
}

export async function watchCsp(page: Page): Promise<CspWatch> {
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    Object.defineProperty(window, '__cspViolations', { value: seen });
    // Capture on the document: the event is composed, so violations inside shadow roots arrive here too.
    document.addEventListener(
      'securitypolicyviolation',
      (event) =>
        seen.push({
          effectiveDirective: event.effectiveDirective,
          blockedURI: event.blockedURI,
          sourceFile: event.sourceFile,
          lineNumber: event.lineNumber,
          sample: event.sample,
          disposition: event.disposition,
        }),
      true,
    );
  });
  const watch: CspWatch = {
    consoleErrors: [],
    pageErrors: [],
    violations: async () => {
      const seen = await page.evaluate(() => (window as unknown as { __cspViolations?: CspViolation[] }).__cspViolations ?? null);
      // A missing recorder would read as "no violations": refuse to answer instead.
      if (!seen) throw new Error('the securitypolicyviolation recorder did not run on this page');
      return seen;
    },
  };
  page.on('console', (message) => {
    const where = message.location().url;
    // The browser's own favicon probe is not the page's doing; the demo ships no icon.
    if (message.type() !== 'error' || new URL(where || 'about:blank').pathname === '/favicon.ico') return;
    watch.consoleErrors.push(`${message.text()} (${where})`);
  });
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  return watch;
}
