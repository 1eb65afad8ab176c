import { css } from 'lit';

/**
 * What every Kindred element shares: the colour and shape tokens (each a
 * `--kindred-*` custom property whose default meets WCAG AA contrast on the
 * default surface), the host page's font, form controls, buttons and focus.
 * Each element adds its own sheet after this one and sets `--_gap`.
 */
export const baseStyles = css`
  :host {
    --_text: var(--kindred-color-text, #1f2328);
    --_muted: var(--kindred-color-muted, #57606a);
    --_surface: var(--kindred-color-surface, #fff);
    --_accent: var(--kindred-color-accent, #0b5cad);
    --_on-accent: var(--kindred-color-on-accent, #fff);
    --_border: var(--kindred-color-border, #6e7781);
    --_danger: var(--kindred-color-danger, #b3261e);
    --_focus: var(--kindred-color-focus, var(--_accent));
    --_radius: var(--kindred-radius, 0.5rem);
    display: block;
    color: var(--_text);
    font: inherit;
    line-height: 1.5;
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
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: outline-offset 0.15s;
    }
  }
`;
