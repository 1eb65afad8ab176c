import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { LIMITS, characterCount } from '@kindred/protocol';
import type { Localizer } from '../i18n/index.js';

/** The counter appears once this few characters are left. */
const COUNTER_FROM = 500;

export interface ComposerOptions {
  /** Unique within the shadow root; the textarea gets this id. */
  id: string;
  part: string;
  label: string;
  submitLabel: string;
  value: string;
  error: string;
  i18n: Localizer;
  /** The field got focus: the thread starts loading the draft checks then. */
  onFocus?: () => void;
  onInput(value: string): void;
  onSubmit(): void;
  onCancel?: () => void;
  /** Shown under the buttons, e.g. the identifier warning for this draft. */
  notice?: TemplateResult | typeof nothing;
}

/** A labelled textarea with a character counter near the limit, errors in words, and Ctrl/Cmd+Enter to send. */
export function renderComposer(o: ComposerOptions): TemplateResult {
  const left = LIMITS.bodyMax - characterCount(o.value.trim());
  const counter =
    left > COUNTER_FROM ? '' : o.i18n.t(left < 0 ? 'charsOver' : 'charsLeft', { count: Math.abs(left) });
  const keydown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      o.onSubmit();
    } else if (event.key === 'Escape') o.onCancel?.();
  };
  return html`<form
    part=${o.part}
    class="composer"
    novalidate
    @focusin=${o.onFocus}
    @submit=${(event: Event) => {
      event.preventDefault();
      o.onSubmit();
    }}
  >
    <label for=${o.id}>${o.label}</label>
    <textarea
      id=${o.id}
      part="textarea"
      rows="3"
      .value=${live(o.value)}
      aria-describedby="${o.id}-count ${o.id}-error"
      aria-invalid=${o.error || left < 0 ? 'true' : 'false'}
      @input=${(event: InputEvent) => o.onInput((event.target as HTMLTextAreaElement).value)}
      @keydown=${keydown}
    ></textarea>
    <div class="row">
      <span id="${o.id}-count" part="counter" class=${left < 0 ? 'over' : ''}>${counter}</span>
      ${o.onCancel
        ? html`<button type="button" part="button cancel-button" @click=${o.onCancel}>${o.i18n.t('cancel')}</button>`
        : nothing}
      <button part="button send-button" class="primary">${o.submitLabel}</button>
    </div>
    ${o.notice ?? nothing}
    <p id="${o.id}-error" part="error" role="alert">${o.error}</p>
  </form>`;
}
