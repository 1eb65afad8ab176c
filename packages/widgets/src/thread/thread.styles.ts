import { css } from 'lit';

/**
 * Every value is a `--kindred-*` custom property with a default that meets
 * WCAG AA contrast on the default surface; the host page's font is inherited.
 */
export const threadStyles = css`
  :host {
    --_text: var(--kindred-color-text, #1f2328);
    --_muted: var(--kindred-color-muted, #57606a);
    --_surface: var(--kindred-color-surface, #fff);
    --_accent: var(--kindred-color-accent, #0b5cad);
    --_on-accent: var(--kindred-color-on-accent, #fff);
    --_border: var(--kindred-color-border, #6e7781);
    --_danger: var(--kindred-color-danger, #b3261e);
    --_focus: var(--kindred-color-focus, var(--_accent));
    --_gap: var(--kindred-thread-gap, var(--kindred-space-m, 1rem));
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
  }
  [part~='replies'] article {
    border-width: 0 0 0 3px;
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
    font-size: 0.875em;
  }
  .deleted {
    font-style: italic;
  }
  [part~='body'] {
    display: grid;
    gap: 0.75em;
    overflow-wrap: anywhere;
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
  button.primary,
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
  textarea {
    resize: vertical;
  }
  label {
    font-weight: 600;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
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
    font-size: 0.875em;
    padding-inline-start: 0.75em;
    border-inline-start: 3px solid var(--_border);
  }
  [part~='identifier-warning'],
  [part~='crisis-panel'] {
    display: grid;
    gap: 0.5em;
    padding: calc(var(--_gap) * 0.75);
    border: 1px solid var(--_accent);
    border-inline-start-width: 4px;
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part~='identifier-warning'] .row {
    justify-content: flex-start;
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
    font-size: 0.875em;
    padding-inline-start: 0.5em;
    border-inline-start: 3px solid var(--_accent);
  }
  [part~='removed-note'] {
    border-color: var(--_danger);
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
    article:focus-visible,
    button {
      transition: outline-offset 0.15s;
    }
  }
`;
