import { html, nothing, type TemplateResult } from 'lit';

export interface Confirmation {
  /** Id of the question, which names the group. */
  id: string;
  question: string;
  /** The words on the button that goes ahead ("Yes, delete"). */
  confirm: string;
  cancel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The refusal shown and announced under the buttons; undefined where the caller shows it elsewhere. */
  error?: string | undefined;
  /** While the confirmed action is under way. */
  busy?: boolean;
  /** Part names besides `confirm` (e.g. `leave-confirm`). */
  part?: string;
}

/**
 * An inline confirmation in place of the control that asked for it (none is
 * modal): the question, the button that goes ahead, and Cancel, which takes
 * focus when it opens (`data-autofocus`); Escape cancels.
 */
export function renderConfirm(o: Confirmation): TemplateResult {
  return html`<div
    part=${o.part ? `confirm ${o.part}` : 'confirm'}
    role="group"
    aria-labelledby=${o.id}
    @keydown=${(event: KeyboardEvent) => {
      if (event.key === 'Escape') o.onCancel();
    }}
  >
    <span id=${o.id}>${o.question}</span>
    <button part="button danger" aria-disabled=${o.busy ? 'true' : nothing} @click=${o.onConfirm}>${o.confirm}</button>
    <button part="button" data-autofocus @click=${o.onCancel}>${o.cancel}</button>
    ${o.error === undefined ? nothing : html`<span part="error" role="alert">${o.error}</span>`}
  </div>`;
}
