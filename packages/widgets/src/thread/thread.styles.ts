import { css } from 'lit';

/** The thread's own layout, after the shared `baseStyles` (tokens, controls, focus). */
export const threadStyles = css`
  :host {
    --_gap: var(--kindred-thread-gap, var(--kindred-space-m, 1rem));
  }
  section,
  form,
  ul,
  article {
    display: grid;
    gap: calc(var(--_gap) / 2);
  }
  section {
    gap: var(--_gap);
  }
  ul {
    margin: 0;
    padding: 0;
    list-style: none;
    gap: var(--_gap);
  }
  p {
    margin: 0;
  }
  article {
    padding: var(--kindred-post-padding, var(--_gap));
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: var(--_shadow);
  }
  [part~='replies'] article {
    box-shadow: none;
  }
  [part~='replies'] article {
    border-width: 0;
    border-inline-start-width: 3px;
    border-radius: 0;
    padding-block: 0;
  }
  [data-depth='2'] {
    margin-inline-start: var(--_gap);
  }
  [data-depth='3'] {
    margin-inline-start: calc(var(--_gap) * 2);
  }
  article.sending {
    border-style: dashed;
  }
  header,
  .row,
  [part~='actions'],
  [part~='reactions'],
  [part~='confirm'],
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  .row,
  .bar {
    justify-content: space-between;
  }
  [part~='author'] {
    font-weight: 600;
  }
  [part~='time'],
  [part~='edited'],
  [part~='reply-to'],
  [part~='counter'],
  [part~='send-state'],
  .deleted {
    color: var(--_muted);
    font-size: var(--_small);
  }
  .deleted {
    font-style: italic;
  }
  [part~='body'] {
    display: grid;
    gap: 0.75em;
    overflow-wrap: anywhere;
  }
  [part~='new-posts'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  [aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
    font-weight: 600;
  }
  textarea,
  input,
  select {
    padding: 0.5em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    width: 100%;
  }
  select {
    width: auto;
  }
  label {
    font-weight: 600;
  }
  [part~='error'],
  .over,
  [part~='send-state'].error {
    color: var(--_danger);
  }
  [part~='error']:empty {
    display: none;
  }
  [part~='disclaimer'] {
    color: var(--_muted);
    font-size: var(--_small);
    padding-inline-start: 0.75em;
    border-inline-start: 3px solid var(--_border);
  }
  [part~='identifier-warning'],
  [part~='crisis-panel'] {
    display: grid;
    gap: var(--_space-s);
    padding: calc(var(--_gap) * 0.75);
    border: 1px solid var(--_accent);
    border-inline-start-width: 4px;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part~='identifier-warning'] .row {
    justify-content: flex-start;
  }
  [part~='crisis-panel'] {
    border-color: var(--_crisis);
  }
  [part~='crisis-panel'] h2 {
    margin: 0;
    font-size: 1.125em;
  }
  [part~='crisis-panel'] ul {
    gap: 0.25em;
  }
  [part~='held-note'],
  [part~='masked-note'],
  [part~='removed-note'],
  [part~='report-thanks'] {
    font-size: var(--_small);
    padding-inline-start: 0.5em;
    border-inline-start: 3px solid var(--_accent);
  }
  [part~='removed-note'] {
    border-color: var(--_danger);
  }
  [part~='held-note'] {
    border-color: var(--_warning);
  }
  .moderated {
    color: var(--_muted);
  }
  fieldset {
    display: grid;
    gap: 0.25em;
    margin: 0;
    padding: 0;
    border: 0;
  }
  legend,
  .title {
    font-weight: 600;
    padding: 0;
  }
  label.choice {
    display: flex;
    gap: 0.5em;
    align-items: baseline;
    font-weight: normal;
  }
  label.choice input {
    width: auto;
  }
  @media (prefers-reduced-motion: no-preference) {
    article:focus-visible {
      transition: outline-offset 0.15s;
    }
  }
`;
