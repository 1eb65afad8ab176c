import { css } from 'lit';

/**
 * The layout ask-an-expert and introduce-me share, between the shared
 * `baseStyles` and each element's own sheet (which sets `--_gap`): blocks
 * and fields, rows of controls, the choice labels, the warning and support
 * panels, hints, errors and the notes beside what the visitor wrote.
 */
export const visitorStyles = css`
  section,
  form,
  article,
  fieldset {
    display: grid;
    gap: calc(var(--_gap) / 2);
  }
  p,
  h3,
  h4,
  fieldset {
    margin: 0;
  }
  fieldset {
    padding: 0;
    border: 0;
  }
  [part~='identifier-warning'],
  [part~='crisis-panel'] {
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part~='identifier-warning'],
  [part~='crisis-panel'] {
    border-color: var(--_accent);
    border-inline-start-width: 4px;
  }
  [part~='crisis-panel'] {
    border-color: var(--_crisis);
  }
  .row,
  .meta,
  [part~='actions'],
  [part~='confirm'],
  label.choice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  /* A long choice wraps its words, never the box away from them (320 px wide, 200 % zoom). */
  label.choice {
    flex-wrap: nowrap;
    align-items: baseline;
    font-weight: 400;
  }
  label.choice input {
    flex: none;
  }
  label,
  legend,
  .title,
  [part~='author'],
  [aria-pressed='true'] {
    font-weight: 600;
  }
  .hint,
  .meta,
  [part~='disclaimer'] {
    color: var(--_muted);
    font-size: var(--_small);
  }
  [part~='error'],
  [part~='removed-note'] {
    color: var(--_danger);
  }
  [part~='error']:empty {
    display: none;
  }
  [part~='disclaimer'],
  [part~='held-note'],
  [part~='masked-note'],
  [part~='removed-note'],
  [part~='report-thanks'] {
    padding-inline-start: 0.5em;
    border-inline-start: 3px solid var(--_border);
  }
  [part~='held-note'] {
    border-color: var(--_warning);
  }
  textarea,
  input:not([type='radio'], [type='checkbox']) {
    width: 100%;
    padding: 0.5em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  summary {
    cursor: pointer;
    color: var(--_accent);
  }
  [aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 2px var(--_accent);
  }
`;
