/**
 * The theming page's token editor. Each field sets one `--kindred-*` custom
 * property on the chosen brand's wrapper (through the CSSOM, which a strict
 * `style-src` allows), so the widgets inside follow at once; the CSS block
 * shows what that hospital would paste into its stylesheet. The server does
 * not serve custom-elements.json, so the editable tokens are listed here;
 * docs/theming.md has them all. No innerHTML: the page runs under Trusted Types.
 */

/** Kindred's built-in values, to show a token the brand leaves unset (base.styles.ts). */
const COLOURS = [
  { token: '--kindred-color-accent', label: 'Accent', light: '#0b5cad', dark: '#6cb6ff', 'high-contrast': '#ffe14d' },
  { token: '--kindred-color-on-accent', label: 'Text on accent', light: '#ffffff', dark: '#0d1117', 'high-contrast': '#000000' },
  { token: '--kindred-color-surface', label: 'Surface', light: '#ffffff', dark: '#0d1117', 'high-contrast': '#000000' },
  { token: '--kindred-color-surface-alt', label: 'Tinted surface', light: '#eef4fb', dark: '#1c2330', 'high-contrast': '#000000' },
  { token: '--kindred-color-text', label: 'Text', light: '#1f2328', dark: '#e6edf3', 'high-contrast': '#ffffff' },
  { token: '--kindred-color-muted', label: 'Secondary text', light: '#57606a', dark: '#a3adb8', 'high-contrast': '#ffffff' },
  { token: '--kindred-color-border', label: 'Border', light: '#6e7781', dark: '#8b949e', 'high-contrast': '#ffffff' },
];
/** The other tokens, each with the CSS property its value must be valid for. */
const SHAPES = [
  { token: '--kindred-font-family', label: 'Font family', property: 'font-family', value: 'inherit' },
  { token: '--kindred-font-size', label: 'Font size', property: 'font-size', value: 'inherit' },
  { token: '--kindred-radius', label: 'Corner radius', property: 'border-radius', value: '0.5rem' },
  { token: '--kindred-space-m', label: 'Spacing', property: 'padding', value: '1rem' },
  { token: '--kindred-shadow', label: 'Shadow', property: 'box-shadow', value: 'none' },
];
const ALL = [...COLOURS, ...SHAPES];
const HEX = /^#[0-9a-f]{6}$/i;

const brandSelect = document.getElementById('editor-brand');
const output = document.getElementById('css-output');
const status = document.getElementById('editor-status');
const inputs = new Map();

const chosenBrand = () => document.getElementById(brandSelect.value);
const brandName = (brand) => brand.querySelector('.brand-name').textContent.replace(/\s+/g, ' ').trim();

/** The brand's theme as the widgets see it: `auto` resolved through the visitor's preference. */
function themeOf(brand) {
  const theme = brand.dataset.theme;
  if (theme !== 'auto') return theme;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function kindredDefault(entry, theme) {
  return entry.value ?? entry[theme];
}

/** What the widgets in the brand get for a token now: the brand's own value, or Kindred's. */
function currentValue(brand, entry) {
  return getComputedStyle(brand).getPropertyValue(entry.token).trim() || kindredDefault(entry, themeOf(brand));
}

function isValid(entry, value) {
  return CSS.supports(entry.property ?? 'color', value);
}

function idFor(entry) {
  return `token${entry.token.replace('--kindred', '')}`;
}

function field(entry) {
  const wrapper = document.createElement('div');
  wrapper.className = 'field';
  const label = document.createElement('label');
  const text = document.createElement('input');
  text.id = idFor(entry);
  text.type = 'text';
  text.spellcheck = false;
  text.autocomplete = 'off';
  text.dataset.token = entry.token;
  label.htmlFor = text.id;
  label.textContent = entry.label;
  const hint = document.createElement('p');
  hint.id = `${text.id}-hint`;
  hint.className = 'field-hint';
  hint.hidden = true;
  hint.textContent = entry.property ? `Not a valid ${entry.property} value.` : 'Not a colour: use #rrggbb or a CSS colour name.';
  text.setAttribute('aria-describedby', hint.id);
  text.addEventListener('input', () => apply(entry, text.value.trim()));
  wrapper.append(label);
  if (entry.property) {
    wrapper.append(text);
  } else {
    const row = document.createElement('div');
    row.className = 'colour-row';
    const picker = document.createElement('input');
    picker.type = 'color';
    picker.setAttribute('aria-label', `${entry.label}, colour picker`);
    picker.addEventListener('input', () => {
      text.value = picker.value;
      apply(entry, picker.value);
    });
    row.append(text, picker);
    wrapper.append(row);
    inputs.set(`${entry.token}:picker`, picker);
  }
  wrapper.append(hint);
  inputs.set(entry.token, text);
  return wrapper;
}

/** Sets the token on the chosen brand while the value is valid CSS; marks the field otherwise. */
function apply(entry, value) {
  const text = inputs.get(entry.token);
  const valid = isValid(entry, value);
  text.setAttribute('aria-invalid', String(!valid));
  document.getElementById(`${text.id}-hint`).hidden = valid;
  if (!valid) return;
  chosenBrand().style.setProperty(entry.token, value);
  const picker = inputs.get(`${entry.token}:picker`);
  if (picker && HEX.test(value)) picker.value = value.toLowerCase();
  showCss();
}

/** Fills every field from the chosen brand, as its theme and stylesheet (and any edits) have it. */
function refresh() {
  const brand = chosenBrand();
  for (const entry of ALL) {
    const value = currentValue(brand, entry);
    const text = inputs.get(entry.token);
    text.value = value;
    text.setAttribute('aria-invalid', 'false');
    document.getElementById(`${text.id}-hint`).hidden = true;
    const picker = inputs.get(`${entry.token}:picker`);
    if (picker && HEX.test(value)) picker.value = value.toLowerCase();
  }
  showCss();
}

/** The brand's tokens that differ from Kindred's own, as a rule for the hospital's stylesheet. */
function showCss() {
  const brand = chosenBrand();
  const theme = themeOf(brand);
  const declarations = ALL.map((entry) => [entry.token, currentValue(brand, entry)])
    .filter(([token, value]) => value !== kindredDefault(ALL.find((entry) => entry.token === token), theme))
    .map(([token, value]) => `  ${token}: ${value};`);
  output.textContent = [
    `/* ${brandName(brand)}, with theme="${brand.dataset.theme}" on each widget */`,
    'kindred-thread,',
    'kindred-ask-expert,',
    'kindred-introduce-me {',
    ...(declarations.length ? declarations : ['  /* Kindred\'s own values: nothing to set */']),
    '}',
  ].join('\n');
}

async function copyCss() {
  try {
    await navigator.clipboard.writeText(output.textContent);
    status.textContent = 'CSS copied to the clipboard.';
  } catch {
    getSelection().selectAllChildren(output);
    status.textContent = 'Copying was not allowed: the CSS is selected, press Ctrl+C (or ⌘C) to copy it.';
  }
}

/** Drops the editor's changes on the chosen brand: its stylesheet's values come back. */
function reset() {
  const brand = chosenBrand();
  for (const entry of ALL) brand.style.removeProperty(entry.token);
  refresh();
  status.textContent = `${brandName(brand)} is back to its own stylesheet.`;
}

function setTheme(brand, theme) {
  brand.dataset.theme = theme;
  for (const widget of brand.querySelectorAll('kindred-thread, kindred-ask-expert, kindred-introduce-me')) widget.setAttribute('theme', theme);
  if (brand === chosenBrand()) refresh();
}

document.getElementById('colour-tokens').append(...COLOURS.map(field));
document.getElementById('shape-tokens').append(...SHAPES.map(field));
brandSelect.addEventListener('change', () => {
  status.textContent = '';
  refresh();
});
for (const select of document.querySelectorAll('.theme-select')) {
  select.addEventListener('change', () => setTheme(document.getElementById(select.dataset.brand), select.value));
}
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', refresh);
document.getElementById('copy-css').addEventListener('click', copyCss);
document.getElementById('reset-tokens').addEventListener('click', reset);
refresh();
