import { html, type TemplateResult } from 'lit';

const LINK = /https?:\/\/[^\s<>"]+/g;
const TRAILING = /[.,;:!?'")\]}]$/;

/**
 * User text as Lit templates, never as HTML: blank lines start paragraphs,
 * single newlines become line breaks, and http(s) addresses become links.
 * Everything else is bound as text, so no markup in the body can take effect.
 */
export function renderText(text: string): TemplateResult[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => html`<p>${paragraph.split('\n').map((line, i) => html`${i ? html`<br />` : ''}${linkify(line)}`)}</p>`);
}

function linkify(line: string): unknown[] {
  const parts: unknown[] = [];
  let last = 0;
  for (const match of line.matchAll(LINK)) {
    const url = trimPunctuation(match[0]);
    parts.push(
      line.slice(last, match.index),
      html`<a href=${url} rel="nofollow ugc noopener noreferrer">${url}</a>`,
    );
    last = match.index + url.length;
  }
  parts.push(line.slice(last));
  return parts;
}

/** Sentence punctuation after an address is not part of it; a closing bracket that pairs one inside is. */
function trimPunctuation(url: string): string {
  while (TRAILING.test(url)) {
    if (url.endsWith(')') && url.split('(').length >= url.split(')').length) break;
    url = url.slice(0, -1);
  }
  return url;
}
