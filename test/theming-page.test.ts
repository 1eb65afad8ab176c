import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { watchCsp, type CspWatch } from './support/csp-watch.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';

/**
 * The demo's theming page: the same widgets in three hospital brands side by
 * side, each brand's tokens set in the page's stylesheet, and a token editor
 * that restyles one brand live. It must run under the strict policy too, and
 * the editor must be usable from the keyboard alone.
 */
const BRANDS = ['brand-riverside', 'brand-northfield', 'brand-st-brigids'] as const;
const page = readFileSync(new URL('../demo/theming/index.html', import.meta.url), 'utf8');
// axe-core comes with @open-wc/testing (chai-a11y-axe); it is not a direct dependency.
const pnpmStore = new URL('../node_modules/.pnpm/', import.meta.url).pathname;
const axeFolder = readdirSync(pnpmStore).find((name) => name.startsWith('axe-core@'));
const axePath = `${pnpmStore}${axeFolder}/node_modules/axe-core/axe.min.js`;

/** The primary button of the brand's thread (its sign-in Continue), painted with the accent. */
function continueButton(tab: Page, brand: string) {
  return tab.locator(`#${brand} kindred-thread`).getByRole('button', { name: 'Continue' });
}

async function backgroundOf(tab: Page, brand: string): Promise<string> {
  return continueButton(tab, brand).evaluate((button) => getComputedStyle(button).backgroundColor);
}

/** A token as the brand's wrapper has it, turned into the rgb() string computed styles use. */
async function tokenAsRgb(tab: Page, brand: string, token: string): Promise<string> {
  return tab.evaluate(
    ([id, name]) => {
      const probe = document.createElement('span');
      probe.style.color = getComputedStyle(document.getElementById(id)!).getPropertyValue(name);
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    },
    [brand, token] as const,
  );
}

async function open(tab: Page, url: string, watch: CspWatch): Promise<void> {
  await tab.goto(url);
  for (const brand of BRANDS) {
    await continueButton(tab, brand)
      .waitFor({ timeout: 15_000 })
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nCSP violations: ${JSON.stringify(await watch.violations())}\nconsole: ${watch.consoleErrors.join('; ')}`);
      });
  }
}

describe('the theming demo page', () => {
  let kindred: KindredServer;
  let browser: Browser;

  beforeAll(async () => {
    kindred = await startKindred();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await kindred?.stop();
  });

  it('has no inline script, inline style or style attribute, so it can run under the strict policy', () => {
    expect(page).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
    for (const script of page.match(/<script\b[^>]*>/g) ?? []) expect(script).toMatch(/\ssrc="/);
  });

  it('shows the thread, ask-an-expert and introductions in three brands, each in its own colours and shape', async () => {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const watch = await watchCsp(tab);
    await open(tab, `${kindred.url}/demo/theming/`, watch);

    for (const brand of BRANDS) {
      for (const tag of ['kindred-thread', 'kindred-ask-expert', 'kindred-introduce-me']) {
        await expect(tab.locator(`#${brand} ${tag}`).count(), `${brand} ${tag}`).resolves.toBe(1);
      }
      expect(await backgroundOf(tab, brand)).toBe(await tokenAsRgb(tab, brand, '--kindred-color-accent'));
    }
    const accents = await Promise.all(BRANDS.map((brand) => backgroundOf(tab, brand)));
    expect(new Set(accents).size).toBe(3);
    // Shape too: Northfield's rounded corners, St. Brigid's square ones.
    const radius = (brand: string) => continueButton(tab, brand).evaluate((button) => getComputedStyle(button).borderTopLeftRadius);
    expect(await radius('brand-northfield')).toBe('20px');
    expect(await radius('brand-st-brigids')).toBe('0px');
    // St. Brigid's starts in the dark theme: its widgets paint the brand's dark surface.
    const surface = await tab.locator('#brand-st-brigids kindred-thread').evaluate((thread) => getComputedStyle(thread).backgroundColor);
    expect(surface).toBe(await tokenAsRgb(tab, 'brand-st-brigids', '--kindred-color-surface'));

    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await tab.close();
  });

  it('restyles the chosen brand live from the keyboard, shows the CSS to paste, and resets', async () => {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const watch = await watchCsp(tab);
    await open(tab, `${kindred.url}/demo/theming/`, watch);
    const riversideBefore = await backgroundOf(tab, 'brand-riverside');
    const northfieldBefore = await backgroundOf(tab, 'brand-northfield');
    const css = tab.locator('#css-output');
    const accent = tab.getByRole('textbox', { name: 'Accent', exact: true });

    // Keyboard only: focus the brand choice, pick Northfield, Tab into the Accent field, type a colour.
    await tab.getByLabel('Brand to edit').focus();
    await tab.keyboard.press('ArrowDown');
    await expect(tab.getByLabel('Brand to edit').inputValue()).resolves.toBe('brand-northfield');
    await expect(accent.inputValue()).resolves.toBe('#6b3fa0');
    await tab.keyboard.press('Tab');
    await expect(accent.evaluate((field) => field === field.ownerDocument.activeElement)).resolves.toBe(true);
    await tab.keyboard.press('Control+A');
    await tab.keyboard.type('#8a1c5c');

    await expect.poll(() => backgroundOf(tab, 'brand-northfield')).toBe('rgb(138, 28, 92)');
    expect(await backgroundOf(tab, 'brand-riverside')).toBe(riversideBefore);
    await expect(css.textContent()).resolves.toContain('--kindred-color-accent: #8a1c5c;');
    await expect(css.textContent()).resolves.toContain("Northfield Children's");

    // Not a colour: the field says so and the widgets keep the last good value.
    await tab.keyboard.press('Control+A');
    await tab.keyboard.type('blurple');
    await expect(accent.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await backgroundOf(tab, 'brand-northfield')).toBe('rgb(138, 28, 92)');

    const reset = tab.getByRole('button', { name: 'Reset' });
    while (!(await reset.evaluate((button) => button === button.ownerDocument.activeElement))) await tab.keyboard.press('Tab');
    await tab.keyboard.press('Enter');
    await expect.poll(() => backgroundOf(tab, 'brand-northfield')).toBe(northfieldBefore);
    await expect(accent.inputValue()).resolves.toBe('#6b3fa0');
    await expect(css.textContent()).resolves.not.toContain('#8a1c5c');
    await expect(accent.getAttribute('aria-invalid')).resolves.toBe('false');

    // A built-in theme per brand: high contrast drops the brand's colours for its own.
    await tab.getByLabel('Theme', { exact: true }).nth(2).focus();
    await tab.keyboard.press('ArrowDown');
    await expect.poll(() => backgroundOf(tab, 'brand-st-brigids')).toBe('rgb(255, 225, 77)');
    await expect(tab.locator('#brand-st-brigids kindred-ask-expert').getAttribute('theme')).resolves.toBe('high-contrast');

    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await tab.close();
  });

  it('reports no axe violations (WCAG 2.1 A and AA), editor and widgets included, with every brand in each theme', async () => {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const watch = await watchCsp(tab);
    await open(tab, `${kindred.url}/demo/theming/`, watch);
    await tab.addScriptTag({ path: axePath });
    for (const theme of ['light', 'dark', 'high-contrast']) {
      for (const select of await tab.locator('.theme-select').all()) await select.selectOption(theme);
      const violations = await tab.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
        const result = await axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
          // This page shows three copies of each widget on purpose, so their regions share names; a hospital page has one.
          rules: { 'landmark-unique': { enabled: false } },
        });
        return result.violations.map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
      });
      expect(violations, theme).toEqual([]);
    }
    await tab.close();
  });

  it('runs under /demo/strict/ with no CSP violation, the editor included', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const tab = await context.newPage();
    const watch = await watchCsp(tab);
    await open(tab, `${kindred.url}/demo/strict/theming/`, watch);
    expect(await tab.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0);

    // Setting a token through the CSSOM is allowed where style attributes in markup are not.
    await tab.getByRole('textbox', { name: 'Accent', exact: true }).fill('#0a4a8f');
    await expect.poll(() => backgroundOf(tab, 'brand-riverside')).toBe('rgb(10, 74, 143)');

    expect(await watch.violations()).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    await context.close();
  });
});
