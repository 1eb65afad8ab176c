import { css } from 'lit';

/**
 * What every Kindred element shares: the design tokens, the built-in themes,
 * the host page's font, form controls, buttons and focus. Each public token is
 * a `--kindred-*` custom property read once here into a private `--_*` one;
 * its default comes from the theme (`--_t-*`), so a host's own value wins in
 * every theme. Every theme's text colours meet WCAG AA (4.5:1) on its surfaces.
 * Each element adds its own sheet after this one and sets `--_gap`.
 */
/** The dark theme's colours: for theme="dark", and for theme="auto" when the visitor prefers dark. */
const darkPalette = css`
    --_t-surface: #0d1117;
    --_t-alt: #1c2330;
    --_t-text: #e6edf3;
    --_t-muted: #a3adb8;
    --_t-border: #8b949e;
    --_t-accent: #6cb6ff;
    --_t-on-accent: #0d1117;
    --_t-error: #ff8e86;
    --_t-warning: #e3b341;
    --_t-success: #56d364;
    --_t-crisis: #ff8e86;
`;

export const baseStyles = css`
  :host {
    --_t-surface: #fff;
    --_t-alt: #eef4fb;
    --_t-text: #1f2328;
    --_t-muted: #57606a;
    --_t-border: #6e7781;
    --_t-accent: #0b5cad;
    --_t-on-accent: #fff;
    --_t-error: #b3261e;
    --_t-warning: #8a5300;
    --_t-success: #1a7f37;
    --_t-crisis: #b3261e;
    --_surface: var(--kindred-color-surface, var(--_t-surface));
    --_alt: var(--kindred-color-surface-alt, var(--_t-alt));
    --_text: var(--kindred-color-text, var(--_t-text));
    --_muted: var(--kindred-color-muted, var(--_t-muted));
    --_border: var(--kindred-color-border, var(--_t-border));
    --_accent: var(--kindred-color-accent, var(--_t-accent));
    --_on-accent: var(--kindred-color-on-accent, var(--_t-on-accent));
    --_danger: var(--kindred-color-error, var(--kindred-color-danger, var(--_t-error)));
    --_warning: var(--kindred-color-warning, var(--_t-warning));
    --_success: var(--kindred-color-success, var(--_t-success));
    --_crisis: var(--kindred-color-crisis, var(--_t-crisis));
    --_focus: var(--kindred-color-focus, var(--_accent));
    --_radius: var(--kindred-radius, 0.5rem);
    --_shadow: var(--kindred-shadow, none);
    --_small: var(--kindred-font-size-s, 0.875em);
    --_space-s: var(--kindred-space-s, 0.5em);
    display: block;
    color: var(--_text);
    font: inherit;
    font-family: var(--kindred-font-family, inherit);
    font-size: var(--kindred-font-size, inherit);
    line-height: var(--kindred-line-height, 1.5);
  }
  :host([theme='dark']) {
    ${darkPalette}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${darkPalette}
    }
  }
  :host([theme='high-contrast']) {
    --_t-surface: #000;
    --_t-alt: #000;
    --_t-text: #fff;
    --_t-muted: #fff;
    --_t-border: #fff;
    --_t-accent: #ffe14d;
    --_t-on-accent: #000;
    --_t-error: #ff9e9e;
    --_t-warning: #ffe14d;
    --_t-success: #7ef29a;
    --_t-crisis: #ff9e9e;
  }
  /* A chosen theme paints its own surface, so it reads the same on any page; the page's own
     padding, border-radius or background on the element win over these. */
  :host([theme]) {
    background: var(--_surface);
    color-scheme: light;
    padding: var(--kindred-space-m, 1rem);
    border-radius: var(--_radius);
  }
  :host([theme='dark']),
  :host([theme='high-contrast']) {
    color-scheme: dark;
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      color-scheme: dark;
    }
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  a {
    color: var(--_accent);
  }
  button,
  textarea,
  input,
  select {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    padding: 0.25em 0.75em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  textarea {
    resize: vertical;
  }
  /* The browser's own margins on these are physical (wider on the left); these mirror in right-to-left text. */
  input[type='checkbox'] {
    margin-inline: 4px 3px;
  }
  input[type='radio'] {
    margin-inline: 5px 3px;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: outline-offset 0.15s;
    }
  }
  /* Important, so it also stills what a host page adds through ::part. */
  @media (prefers-reduced-motion: reduce) {
    :host,
    *,
    ::before,
    ::after {
      transition-duration: 0s !important;
      animation-duration: 0s !important;
      animation-iteration-count: 1 !important;
      scroll-behavior: auto !important;
    }
  }
`;
