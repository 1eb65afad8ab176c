import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script without types
import { themeValues } from '../scripts/token-docs.mjs';

/**
 * docs/theming.md's token and part tables are generated from
 * custom-elements.json (built from the JSDoc by `npm run build`) and the
 * themes in base.styles.ts. `--check` keeps them from drifting apart: CI
 * fails until `npm run docs:tokens` has rewritten the doc.
 */
const run = promisify(execFile);
const repo = new URL('../', import.meta.url).pathname;
const files = {
  script: 'scripts/token-docs.mjs',
  manifest: 'packages/widgets/custom-elements.json',
  styles: 'packages/widgets/src/styles/base.styles.ts',
  doc: 'docs/theming.md',
};

async function check(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [join(root, files.script), '--check']);
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

let copies: string[] = [];
afterEach(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  copies = [];
});

/** The script and its three inputs in a scratch folder, with one input changed. */
function copyWith(path: keyof typeof files, change: (text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'kindred-token-docs-'));
  copies.push(root);
  for (const [key, file] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    if (key === path) writeFileSync(join(root, file), change(readFileSync(join(repo, file), 'utf8')));
    else cpSync(join(repo, file), join(root, file));
  }
  return root;
}

describe('docs/theming.md token tables', () => {
  it('match custom-elements.json and the built-in themes', async () => {
    const { code, output } = await check(repo);
    expect(output).toContain('docs/theming.md matches custom-elements.json');
    expect(code).toBe(0);
  });

  it('list every token the manifest declares, with the theme values from base.styles.ts', () => {
    const doc = readFileSync(join(repo, files.doc), 'utf8');
    const manifest = readFileSync(join(repo, files.manifest), 'utf8');
    for (const [token] of new Set(manifest.matchAll(/"--kindred-[a-z-]+"/g))) expect(doc).toContain(`\`${JSON.parse(token)}\``);
    expect(doc).toMatch(/\| `--kindred-color-accent` +\| [^|]+\| `#0b5cad` +\| `#6cb6ff` +\| `#ffe14d` +\|/);
  });

  it('are reported stale when a token description changes in the JSDoc', async () => {
    const root = copyWith('manifest', (text) => text.replaceAll('"Text on the accent."', '"Text and icons on the accent."'));
    const { code, output } = await check(root);
    expect(code).toBe(1);
    expect(output).toContain('docs/theming.md is out of date');
  });

  it('are reported stale when a theme colour changes in base.styles.ts', async () => {
    const root = copyWith('styles', (text) => text.replace('--_t-accent: #6cb6ff;', '--_t-accent: #79c0ff;'));
    expect((await check(root)).code).toBe(1);
  });

  it('refuse a light colour that disagrees with the JSDoc default', async () => {
    const root = copyWith('styles', (text) => text.replace('--_t-accent: #0b5cad;', '--_t-accent: #0a58a8;'));
    const { code, output } = await check(root);
    expect(code).toBe(1);
    expect(output).toContain('--kindred-color-accent: the JSDoc default is #0b5cad');
  });

  it('refuse a token two elements describe differently', async () => {
    const root = copyWith('manifest', (text) => text.replace('"Text on the accent."', '"Text on accent colour."'));
    const { code, output } = await check(root);
    expect(code).toBe(1);
    expect(output).toMatch(/documents --kindred-color-on-accent differently/);
  });

  it("match the demo token editor's built-in values (demo/theming/theming.js)", () => {
    const long = (hex: string): string => (hex.length === 4 ? `#${[...hex.slice(1)].map((digit) => digit + digit).join('')}` : hex).toLowerCase();
    const values = themeValues(readFileSync(join(repo, files.styles), 'utf8')) as Map<string, { light: string; dark: string; highContrast: string }>;
    const editor = readFileSync(join(repo, 'demo/theming/theming.js'), 'utf8');
    const entries = [...editor.matchAll(/\{ token: '(--kindred-color-[a-z-]+)'.*?light: '(#\w+)', dark: '(#\w+)', 'high-contrast': '(#\w+)' \}/g)];
    expect(entries.length).toBeGreaterThan(5);
    for (const [, token, light, dark, highContrast] of entries) {
      const theme = values.get(token!);
      expect(theme, token).toBeDefined();
      expect([light, dark, highContrast].map((hex) => long(hex!)), token).toEqual([theme!.light, theme!.dark, theme!.highContrast].map(long));
    }
  });
});
