import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';

export interface AnswerComposerOptions {
  /** Unique within the shadow root; the textarea gets this id. */
  id: string;
  /** `answer-composer` for an expert's answer, `follow-up-composer` for the asker's follow-up. */
  part: string;
  label: string;
  submitLabel: string;
  cancelLabel?: string;
  value: string;
  error: string;
  /** The reply is on its way (the button stays focusable; the caller ignores a second send). */
  busy: boolean;
  onInput(value: string): void;
  onSubmit(): void;
  onCancel?: () => void;
  /** Shown under the buttons: the safety warning for this draft. */
  notice?: TemplateResult | typeof nothing;
}

/** A labelled reply box on a question: Ctrl/Cmd+Enter sends, Escape cancels (where it can be cancelled). */
export function renderAnswerComposer(o: AnswerComposerOptions): TemplateResult {
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
    @submit=${(event: Event) => {
      event.preventDefault();
      o.onSubmit();
    }}
  >
    <label for=${o.id}>${o.label}</label>
    <textarea
      id=${o.id}
      part="textarea"
      rows="4"
      .value=${live(o.value)}
      aria-describedby="${o.id}-error"
      aria-invalid=${o.error ? 'true' : 'false'}
      @input=${(event: InputEvent) => o.onInput((event.target as HTMLTextAreaElement).value)}
      @keydown=${keydown}
    ></textarea>
    <div class="row">
      ${o.onCancel && o.cancelLabel
        ? html`<button type="button" part="button cancel-button" @click=${o.onCancel}>${o.cancelLabel}</button>`
        : nothing}
      <button part="button send-button" class="primary" aria-disabled=${o.busy ? 'true' : 'false'}>${o.submitLabel}</button>
    </div>
    ${o.notice ?? nothing}
    <p id="${o.id}-error" part="error" role="alert">${o.error}</p>
  </form>`;
}
