import { css } from 'lit';

/**
 * The console's look: the same `--kindred-*` tokens as the visitor widgets
 * (defaults meet WCAG AA on the default surface), the host page's font.
 */
export const moderationStyles = css`
  :host {
    --_text: var(--kindred-color-text, #1f2328);
    --_muted: var(--kindred-color-muted, #57606a);
    --_surface: var(--kindred-color-surface, #fff);
    --_accent: var(--kindred-color-accent, #0b5cad);
    --_on-accent: var(--kindred-color-on-accent, #fff);
    --_border: var(--kindred-color-border, #6e7781);
    --_danger: var(--kindred-color-danger, #b3261e);
    --_focus: var(--kindred-color-focus, var(--_accent));
    --_gap: var(--kindred-moderation-gap, var(--kindred-space-m, 1rem));
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
  section,
  form,
  article,
  [part~='panel'],
  ul[part~='list'] {
    display: grid;
    gap: var(--_gap);
  }
  article,
  form {
    gap: calc(var(--_gap) / 2);
  }
  p,
  h2,
  h3,
  dl,
  dd {
    margin: 0;
  }
  h2 {
    font-size: 1.25em;
  }
  h3 {
    font-size: 1em;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: baseline;
  }
  ul[part~='list'] {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  article {
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  article[data-queue='crisis'] {
    border-inline-start: 6px solid var(--_danger);
  }
  header,
  .row,
  .bar,
  .alert-row,
  [part~='actions'],
  [part~='member-actions'],
  [part~='tablist'],
  [part~='audit-filters'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  [part~='audit-filters'] {
    align-items: end;
  }
  [part~='member-actions'] {
    border-top: 1px solid var(--_border);
    padding-top: 0.5em;
  }
  [part~='author-kind'],
  [part~='standing'],
  [part~='history'],
  [part~='topic'],
  [part~='time'],
  [part~='entered'],
  [part~='post-status'],
  .hint {
    color: var(--_muted);
    font-size: 0.875em;
    font-weight: normal;
  }
  [data-standing='suspended'],
  [data-standing='banned'] {
    color: var(--_danger);
    font-weight: 600;
  }
  [part~='body'] {
    display: grid;
    gap: 0.75em;
    overflow-wrap: anywhere;
    padding: 0.5em 0.75em;
    border-inline-start: 3px solid var(--_border);
  }
  dt {
    font-weight: 600;
  }
  dd ul {
    margin: 0;
    padding-inline-start: 1.25em;
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
  button[disabled] {
    cursor: progress;
    opacity: 0.7;
  }
  [aria-expanded='true'] {
    box-shadow: inset 0 0 0 1px var(--_accent);
    font-weight: 600;
  }
  [part~='tablist'] {
    border-bottom: 2px solid var(--_border);
    gap: 0;
  }
  [role='tab'] {
    border-radius: var(--_radius) var(--_radius) 0 0;
    border-bottom: 0;
    margin-inline-end: 0.25em;
  }
  [role='tab'][aria-selected='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  textarea,
  input:not([type='radio']),
  select {
    padding: 0.5em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    width: 100%;
  }
  select,
  input[type='number'],
  input[type='date'] {
    width: auto;
  }
  textarea {
    resize: vertical;
  }
  label,
  legend {
    font-weight: 600;
  }
  label.choice {
    display: flex;
    gap: 0.5em;
    font-weight: normal;
  }
  .field {
    display: grid;
    gap: 0.25em;
  }
  fieldset {
    display: grid;
    gap: 0.5em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  [part~='error'] {
    color: var(--_danger);
  }
  [part~='error']:empty,
  [part~='status']:empty,
  [part~='crisis-alert']:empty {
    display: none;
  }
  [part~='crisis-alert'] {
    padding: 0.5em 0.75em;
    border: 2px solid var(--_danger);
    border-radius: var(--_radius);
    color: var(--_danger);
    font-weight: 600;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-bottom: 0.5em;
  }
  th,
  td {
    border: 1px solid var(--_border);
    padding: 0.25em 0.5em;
    text-align: start;
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: outline-offset 0.15s;
    }
  }
`;
