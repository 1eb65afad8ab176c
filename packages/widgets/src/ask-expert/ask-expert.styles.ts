import { css } from 'lit';

/** The element's own layout, after the shared `baseStyles` (tokens, controls, focus, reduced motion). */
export const askExpertStyles = css`
  :host {
    --_gap: var(--kindred-ask-gap, var(--kindred-space-m, 1rem));
    --_expert: var(--kindred-expert-accent, #1a7f37);
  }
  section,
  form,
  ul,
  article,
  fieldset,
  [part~='panel'],
  [part~='answer'],
  [part~='notify'] {
    display: grid;
    gap: calc(var(--_gap) / 2);
  }
  section,
  [part~='list'] {
    gap: var(--_gap);
  }
  ul {
    padding: 0;
    list-style: none;
  }
  ul,
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
  article,
  [part~='question-form'],
  [part~='similar'],
  [part~='expert-answer'],
  [part~='identifier-warning'],
  [part~='crisis-panel'] {
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part~='expert-answer'] {
    border: 1px solid var(--_expert);
    border-inline-start-width: 4px;
    background: var(--kindred-expert-surface, #f3faf4);
  }
  [part~='identifier-warning'],
  [part~='crisis-panel'] {
    border-color: var(--_accent);
    border-inline-start-width: 4px;
  }
  .row,
  .meta,
  .byline,
  [part~='actions'],
  [part~='confirm'],
  [part~='tabs'],
  label.choice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  .meta,
  .hint,
  [part~='credential'],
  [part~='email-consent'],
  [part~='disclaimer'],
  [part~='medical-note'] {
    color: var(--_muted);
    font-size: 0.875em;
  }
  label,
  legend,
  .title,
  [part~='asker'],
  [part~='author'],
  [part~='expert-name'],
  [part~='badge'],
  [aria-pressed='true'],
  [aria-selected='true'] {
    font-weight: 600;
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
  [part~='badge'],
  [part~='private-marker'] {
    padding: 0 0.5em;
    border: 1px solid;
    border-radius: 1em;
    font-size: 0.8125em;
  }
  [part~='badge'] {
    color: var(--_expert);
  }
  [part~='badge']::before {
    content: '✓ ' / '';
  }
  [aria-pressed='true'],
  [aria-selected='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 2px var(--_accent);
  }
  textarea,
  input:not([type='radio'], [type='checkbox']) {
    width: 100%;
    padding: 0.5em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part~='error'],
  [part~='removed-note'] {
    color: var(--_danger);
  }
  [part~='error']:empty {
    display: none;
  }
  [part~='disclaimer'],
  [part~='medical-note'],
  [part~='follow-up'],
  [part~='held-note'],
  [part~='masked-note'],
  [part~='removed-note'],
  [part~='report-thanks'] {
    padding-inline-start: 0.5em;
    border-inline-start: 3px solid var(--_border);
  }
  summary {
    cursor: pointer;
    color: var(--_accent);
  }
  [part~='details'],
  [part~='answer-body'] {
    display: grid;
    gap: 0.75em;
    overflow-wrap: anywhere;
  }
`;
