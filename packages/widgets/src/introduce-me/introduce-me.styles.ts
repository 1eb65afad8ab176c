import { css } from 'lit';

/** The element's own layout, after the shared `baseStyles` (tokens, controls, focus, reduced motion). */
export const introduceMeStyles = css`
  :host {
    --_gap: var(--kindred-intro-gap, var(--kindred-space-m, 1rem));
    --_mine: var(--kindred-intro-mine-surface, #eef4fb);
  }
  section,
  form,
  article,
  fieldset,
  dl,
  [part~='explainer'],
  [part~='waiting'],
  [part~='member-status'],
  [part~='member-actions'],
  [part~='messages'] > ol,
  [part~='topics'] > ul,
  .stage {
    display: grid;
    gap: calc(var(--_gap) / 2);
  }
  [part~='base'],
  [part~='member'] {
    display: grid;
    gap: var(--_gap);
  }
  ul,
  ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part~='explainer'] ul,
  [part~='reasons'] {
    padding-inline-start: 1.25em;
    list-style: disc;
  }
  p,
  h3,
  h4,
  dl,
  dd,
  fieldset {
    margin: 0;
  }
  h3,
  h4 {
    line-height: 1.25;
  }
  fieldset {
    padding: 0;
    border: 0;
    min-width: 0;
  }
  [part~='explainer'],
  [part~='join-form'],
  [part~='proposal'],
  [part~='waiting'],
  [part~='member-status'],
  [part~='conversation'],
  [part~='profile'],
  [part~='identifier-warning'],
  [part~='crisis-panel'] {
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part~='proposal'],
  [part~='identifier-warning'],
  [part~='crisis-panel'] {
    border-color: var(--_accent);
    border-inline-start-width: 4px;
  }
  .row,
  .meta,
  [part~='actions'],
  [part~='confirm'],
  [part~='conversation-list'],
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
  .stage {
    margin-inline-start: 1.75em;
  }
  label,
  legend,
  dt,
  .title,
  [part~='author'],
  [aria-pressed='true'] {
    font-weight: 600;
  }
  .hint,
  .meta,
  [part~='counter'],
  [part~='disclaimer'],
  [part~='other-role'] {
    color: var(--_muted);
    font-size: 0.875em;
  }
  [part~='counter'].over,
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
  [part~='report-thanks'],
  [part~='ended-note'] {
    padding-inline-start: 0.5em;
    border-inline-start: 3px solid var(--_border);
  }
  dd {
    overflow-wrap: anywhere;
  }
  dd + dt {
    margin-top: 0.25em;
  }
  textarea,
  select,
  input:not([type='radio'], [type='checkbox']) {
    width: 100%;
    max-width: 100%;
    padding: 0.5em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  /* No scroll box of its own: the page scrolls, so nothing (a report form, a new message) hides below an inner fold. */
  [part~='messages'] {
    padding-block: 0.25em;
    border-block: 1px solid var(--_border);
  }
  [part~='message'] {
    padding: calc(var(--_gap) / 2);
    border-radius: var(--_radius);
  }
  [part~='message-mine'] {
    background: var(--_mine);
  }
  [part~='body'] {
    display: grid;
    gap: 0.75em;
    overflow-wrap: anywhere;
  }
  summary {
    cursor: pointer;
    color: var(--_accent);
    font-weight: 600;
  }
  [part~='body'].deleted {
    color: var(--_muted);
    font-style: italic;
  }
  [aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 2px var(--_accent);
  }
  button.danger,
  [part~='danger'] {
    border-color: var(--_danger);
    color: var(--_danger);
  }
`;
