/**
 * WCAG 2.1 text contrast as component tests measure it: each element of a
 * widget that shows text of its own, its computed colour against the first
 * opaque background behind it (across shadow roots), must reach 4.5:1 (AA).
 * Also the test runner's `emulate-media` command, to render `theme="auto"`
 * under a dark preference.
 */
import { expect } from '@open-wc/testing';

type Rgba = [number, number, number, number];

/** The AA minimum for normal-size text. */
export const MIN_TEXT_CONTRAST = 4.5;

export function parseColor(value: string): Rgba {
  const parts = value.match(/[\d.]+/g)?.map(Number) ?? [];
  if (parts.length < 3) throw new Error(`cannot read the colour "${value}"`);
  return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
}

/** WCAG 2.1 relative luminance of an sRGB colour. */
export function luminance([r, g, b]: Rgba): number {
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The first opaque background behind `node`, across shadow roots; the page is white. */
export function backgroundOf(node: Element): Rgba {
  for (let at: Element | null = node; at; ) {
    const colour = parseColor(getComputedStyle(at).backgroundColor);
    if (colour[3] > 0.5) return colour;
    at = at.parentElement ?? ((at.getRootNode() as ShadowRoot).host || null);
  }
  return [255, 255, 255, 1];
}

/**
 * Elements that show text of their own: a direct non-blank text node, a
 * button, link or summary, or a field or select with a value (the visitor's
 * own words, on the field's own background).
 */
export function textElements(el: HTMLElement): Element[] {
  const all = [...el.shadowRoot!.querySelectorAll('*')];
  return all.filter((node) => {
    if (node.closest('.visually-hidden') || (node as HTMLButtonElement).disabled) return false;
    if (!(node as HTMLElement).offsetParent && getComputedStyle(node).position !== 'fixed') return false;
    if (node.matches('button, a, summary')) return true;
    if (node.matches('textarea, select, input:not([type="radio"], [type="checkbox"], [type="hidden"])')) return (node as HTMLInputElement).value.trim() !== '';
    return [...node.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.textContent!.trim());
  });
}

export interface ContrastReport {
  /** How many text elements were measured (besides the host's own text). */
  checked: number;
  /** The lowest ratio measured, the host's own text included. */
  lowest: number;
}

/** Fails naming every text element of `el` below 4.5:1; `label` says which case (e.g. the theme). */
export function assertContrast(el: HTMLElement, label: string): ContrastReport {
  const ratioOf = (node: Element): number => contrast(parseColor(getComputedStyle(node).color), backgroundOf(node));
  const host = ratioOf(el);
  const failures = host < MIN_TEXT_CONTRAST ? [`${el.localName} [${label}] main text: ${host.toFixed(2)}:1`] : [];
  const checked = textElements(el);
  let lowest = host;
  for (const node of checked) {
    const ratio = ratioOf(node);
    lowest = Math.min(lowest, ratio);
    if (ratio >= MIN_TEXT_CONTRAST) continue;
    const what = `<${node.localName} ${node.getAttribute('part') ?? node.className}> "${node.textContent!.trim().slice(0, 40)}"`;
    failures.push(`${el.localName} [${label}] ${what}: ${ratio.toFixed(2)}:1 (${getComputedStyle(node).color} on rgb(${backgroundOf(node).slice(0, 3).join(', ')}))`);
  }
  expect(failures, `text below ${MIN_TEXT_CONTRAST}:1`).to.deep.equal([]);
  return { checked: checked.length, lowest };
}

/** WCAG 1.4.11: what identifies a user interface component needs 3:1 against what is next to it. */
const MIN_NON_TEXT_CONTRAST = 3;

/**
 * Fails naming every visible text field, text area and select of `el` whose
 * edge (its border, or its own fill where it has no border) is below 3:1 on
 * what is behind it: a field nobody can see the edge of cannot be found.
 */
export function assertFieldEdges(el: HTMLElement, label: string): number {
  const fields = [...el.shadowRoot!.querySelectorAll<HTMLElement>('textarea, select, input:not([type="radio"], [type="checkbox"], [type="hidden"])')].filter(
    (node) => node.offsetParent && !node.closest('.visually-hidden'),
  );
  const failures: string[] = [];
  for (const field of fields) {
    const style = getComputedStyle(field);
    const behind = backgroundOf(field.parentElement ?? (field.getRootNode() as ShadowRoot).host);
    const edge = parseFloat(style.borderTopWidth) > 0 ? parseColor(style.borderTopColor) : parseColor(style.backgroundColor);
    const ratio = contrast(edge, behind);
    if (ratio < MIN_NON_TEXT_CONTRAST) failures.push(`${el.localName} [${label}] <${field.localName} #${field.id}> edge ${ratio.toFixed(2)}:1`);
  }
  expect(failures, `field edges below ${MIN_NON_TEXT_CONTRAST}:1`).to.deep.equal([]);
  return fields.length;
}

