import { css } from 'lit';

/** The element's own layout, after the shared `baseStyles` (tokens, controls, focus, reduced motion) and `visitorStyles`. */
export const introduceMeStyles = css`
  :host {
    --_gap: var(--kindred-intro-gap, var(--kindred-space-m, 1rem));
    --_mine: var(--kindred-intro-mine-surface, var(--_alt));
  }
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
  dl,
  dd {
    margin: 0;
  }
  h3,
  h4 {
    line-height: 1.25;
  }
  fieldset {
    min-width: 0;
  }
  [part~='explainer'],
  [part~='join-form'],
  [part~='proposal'],
  [part~='waiting'],
  [part~='member-status'],
  [part~='conversation'],
  [part~='profile'] {
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: var(--_shadow);
  }
  [part~='proposal'] {
    border-color: var(--_accent);
    border-inline-start-width: 4px;
  }
  [part~='conversation-list'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  .stage {
    margin-inline-start: 1.75em;
  }
  dt {
    font-weight: 600;
  }
  [part~='counter'],
  [part~='other-role'] {
    color: var(--_muted);
    font-size: var(--_small);
  }
  [part~='counter'].over {
    color: var(--_danger);
  }
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
  select {
    width: 100%;
    padding: 0.5em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  textarea,
  select,
  input:not([type='radio'], [type='checkbox']) {
    max-width: 100%;
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
    font-weight: 600;
  }
  [part~='body'].deleted {
    color: var(--_muted);
    font-style: italic;
  }
  button.danger,
  [part~='danger'] {
    border-color: var(--_danger);
    color: var(--_danger);
  }
`;
