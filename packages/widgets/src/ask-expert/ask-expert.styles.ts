import { css } from 'lit';

/** The element's own layout, after the shared `baseStyles` (tokens, controls, focus, reduced motion) and `visitorStyles`. */
export const askExpertStyles = css`
  :host {
    --_gap: var(--kindred-ask-gap, var(--kindred-space-m, 1rem));
    --_expert: var(--kindred-expert-accent, var(--_success));
  }
  ul,
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
    margin: 0;
    padding: 0;
    list-style: none;
  }
  article,
  [part~='question-form'],
  [part~='similar'],
  [part~='expert-answer'] {
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    box-shadow: var(--_shadow);
  }
  [part~='expert-answer'] {
    border: 1px solid var(--_expert);
    border-inline-start-width: 4px;
    background: var(--kindred-expert-surface, var(--_alt));
  }
  .byline,
  [part~='tabs'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  [part~='credential'],
  [part~='email-consent'],
  [part~='medical-note'] {
    color: var(--_muted);
    font-size: var(--_small);
  }
  [part~='asker'],
  [part~='expert-name'],
  [part~='badge'],
  [aria-selected='true'] {
    font-weight: 600;
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
  [aria-selected='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 2px var(--_accent);
  }
  [part~='medical-note'],
  [part~='follow-up'] {
    padding-inline-start: 0.5em;
    border-inline-start: 3px solid var(--_border);
  }
  [part~='details'],
  [part~='answer-body'] {
    display: grid;
    gap: 0.75em;
    overflow-wrap: anywhere;
  }
`;
