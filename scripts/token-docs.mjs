#!/usr/bin/env node
/**
 * Writes the token and part tables of docs/theming.md from the
 * custom-elements manifest (`npm run analyze` builds it from each element's
 * JSDoc): every `--kindred-*` custom property with its meaning, default and
 * the elements that read it, and every element's parts. The light, dark and
 * high-contrast values of the colour roles come from base.styles.ts itself,
 * where the themes are defined, so they cannot drift from what ships; the
 * JSDoc default of each colour role must equal its light value.
 * `--check` changes nothing and exits 1 when docs/theming.md is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const manifestFile = new URL('packages/widgets/custom-elements.json', root);
const stylesFile = new URL('packages/widgets/src/styles/base.styles.ts', root);
const docFile = new URL('docs/theming.md', root);

/** The tables as markdown, from the manifest's JSON and base.styles.ts's source. */
export function renderTables(manifest, baseStyles) {
  const elements = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .filter((declaration) => declaration.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
  const tokens = tokensOf(elements);
  const themes = themeValues(baseStyles);
  const everyElement = (token) => token.elements.length === elements.length;

  const colours = [...tokens.values()].filter((token) => token.name.startsWith('--kindred-color-'));
  for (const token of colours) {
    const light = themes.get(token.name)?.light;
    if (light && light !== token.default) {
      throw new Error(`${token.name}: the JSDoc default is ${token.default}, but base.styles.ts gives the light theme ${light}`);
    }
  }
  const colourRows = colours.map((token) => {
    const values = themes.get(token.name) ?? { light: token.default, dark: token.default, highContrast: token.default };
    return [code(token.name), token.description, code(values.light), code(values.dark), code(values.highContrast)];
  });
  const sharedRows = [...tokens.values()]
    .filter((token) => everyElement(token) && !token.name.startsWith('--kindred-color-'))
    .map((token) => [code(token.name), token.description, code(token.default)]);
  const componentRows = [...tokens.values()]
    .filter((token) => !everyElement(token))
    .map((token) => [code(token.name), token.elements.map(code).join(', '), token.description, code(token.default)]);

  const tokenTables = [
    `Every element reads the colour roles and the type, spacing, shape and elevation tokens (${elements.map((element) => code(element.tagName)).join(', ')}).`,
    '### Colour roles',
    table(['Token', 'Meaning', 'Light', 'Dark', 'High contrast'], colourRows),
    '### Type, spacing, shape and elevation',
    table(['Token', 'Meaning', 'Default'], sharedRows),
    '### Per-component tokens',
    'Each falls back to a shared token, so setting the shared one is usually enough.',
    table(['Token', 'Element', 'Meaning', 'Default'], componentRows),
  ].join('\n\n');
  const partLists = elements
    .map((element) => `- ${code(element.tagName)} (${element.cssParts.length}): ${element.cssParts.map((part) => code(part.name)).join(', ')}`)
    .join('\n');
  return { tokens: tokenTables, parts: partLists };
}

/** Every token by name, with the elements that declare it; one token must read the same in every element. */
function tokensOf(elements) {
  const tokens = new Map();
  for (const element of elements) {
    for (const { name, description = '', default: fallback = '' } of element.cssProperties ?? []) {
      const seen = tokens.get(name);
      if (!seen) {
        tokens.set(name, { name, description, default: fallback, elements: [element.tagName] });
        continue;
      }
      if (seen.description !== description || seen.default !== fallback) {
        throw new Error(`${element.tagName} documents ${name} differently from ${seen.elements[0]}: give it the same @cssprop line in both`);
      }
      seen.elements.push(element.tagName);
    }
  }
  return tokens;
}

/**
 * Each public colour token's value in each theme. base.styles.ts maps a token
 * to a theme variable (`--_accent: var(--kindred-color-accent, var(--_t-accent))`)
 * and sets the `--_t-*` variables once per theme: the light ones on `:host`,
 * the dark ones in `darkPalette`, the high-contrast ones under its selector.
 */
export function themeValues(source) {
  const marks = [
    { theme: 'dark', at: source.indexOf('const darkPalette') },
    { theme: 'light', at: source.indexOf(':host {') },
    { theme: 'highContrast', at: source.indexOf(":host([theme='high-contrast']) {") },
  ];
  if (marks.some((mark) => mark.at < 0)) throw new Error('base.styles.ts no longer defines the three palettes where this script looks for them');
  const palettes = { light: new Map(), dark: new Map(), highContrast: new Map() };
  for (const match of source.matchAll(/--_t-([a-z-]+):\s*([^;]+);/g)) {
    const block = marks.filter((mark) => mark.at < match.index).sort((a, b) => b.at - a.at)[0];
    if (block) palettes[block.theme].set(match[1], match[2].trim());
  }
  const values = new Map();
  for (const line of source.split('\n')) {
    const variable = /var\(--_t-([a-z-]+)\)/.exec(line)?.[1];
    if (!variable) continue;
    for (const [token] of line.matchAll(/--kindred-[a-z-]+/g)) {
      const [light, dark, highContrast] = [palettes.light, palettes.dark, palettes.highContrast].map((palette) => palette.get(variable));
      if (!light || !dark || !highContrast) throw new Error(`base.styles.ts: --_t-${variable} is missing from a theme`);
      values.set(token, { light, dark, highContrast });
    }
  }
  return values;
}

const code = (text) => (text ? `\`${text}\`` : '');

/** A markdown table with padded columns, so the source reads as a table too. */
function table(header, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(cells[0]), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].join('\n');
}

/** The doc with the text between each pair of markers replaced. */
export function updatedDoc(doc, sections) {
  let updated = doc;
  for (const [name, body] of Object.entries(sections)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = updated.indexOf(start);
    const to = updated.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/theming.md needs the markers ${start} and ${end}`);
    updated = `${updated.slice(0, from + start.length)}\n<!-- Generated by scripts/token-docs.mjs from custom-elements.json: edit the JSDoc, then run npm run docs:tokens. -->\n\n${body}\n\n${updated.slice(to)}`;
  }
  return updated;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    console.error('packages/widgets/custom-elements.json is missing: run npm run analyze (or npm run build) first.');
    process.exit(1);
  }
  const doc = readFileSync(docFile, 'utf8');
  const updated = updatedDoc(doc, renderTables(manifest, readFileSync(stylesFile, 'utf8')));
  if (process.argv.includes('--check')) {
    if (updated !== doc) {
      console.error('docs/theming.md is out of date with custom-elements.json: run npm run docs:tokens');
      process.exit(1);
    }
    console.log('docs/theming.md matches custom-elements.json');
  } else if (updated !== doc) {
    writeFileSync(docFile, updated);
    console.log('docs/theming.md updated');
  } else {
    console.log('docs/theming.md was up to date');
  }
}
