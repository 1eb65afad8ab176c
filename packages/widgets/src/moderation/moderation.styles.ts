import { css } from 'lit';

/** The console's own layout, after the shared `baseStyles` (tokens, controls, focus). */
export const moderationStyles = css`
  :host {
    --_gap: var(--kindred-moderation-gap, var(--kindred-space-m, 1rem));
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
    box-shadow: var(--_shadow);
  }
  article[data-queue='crisis'] {
    border-inline-start: 6px solid var(--_crisis);
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
    font-size: var(--_small);
    font-weight: normal;
  }
  [data-standing='suspended'],
  [data-standing='banned'] {
    color: var(--_danger);
    font-weight: 600;
  }
  [part~='body'] {
    overflow-wrap: anywhere;
    padding: 0.5em 0.75em;
    border-inline-start: 3px solid var(--_border);
  }
  /* The text in its own direction (dir=auto), inside the edge that follows the console's. */
  [part~='body'] > div {
    display: grid;
    gap: 0.75em;
  }
  dt {
    font-weight: 600;
  }
  dd ul {
    margin: 0;
    padding-inline-start: 1.25em;
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
    border: 2px solid var(--_crisis);
    border-radius: var(--_radius);
    color: var(--_crisis);
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
`;
