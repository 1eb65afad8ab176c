import { html, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { REPORT_REASONS, type ReportReason } from '@kindred/protocol';
import type { Localizer } from '../i18n/index.js';

/** The most a report note may hold (the server's limit for text one person writes to another). */
const NOTE_MAX = 500;

export interface ReportFormOptions {
  postId: string;
  i18n: Localizer;
  reason: ReportReason | null;
  note: string;
  error: string;
  onReason(reason: ReportReason): void;
  onNote(note: string): void;
  onSubmit(): void;
  onCancel(): void;
}

/**
 * Reporting a post, inline under it: a form landmark labelled by its title,
 * the reasons as a radio group, an optional note, Send report / Cancel.
 * It traps nothing; Escape cancels. The thread moves focus into it on open
 * and back to the Report button on cancel.
 */
export function renderReportForm(o: ReportFormOptions): TemplateResult {
  const { i18n, postId } = o;
  return html`<form
    part="report-form"
    class="composer"
    aria-labelledby="report-title-${postId}"
    novalidate
    @submit=${(event: Event) => {
      event.preventDefault();
      o.onSubmit();
    }}
    @keydown=${(event: KeyboardEvent) => {
      if (event.key === 'Escape') o.onCancel();
    }}
  >
    <p id="report-title-${postId}" class="title">${i18n.t('reportTitle')}</p>
    <fieldset part="report-reasons" aria-describedby="report-error">
      <legend>${i18n.t('reportReasons')}</legend>
      ${REPORT_REASONS.map(
        (reason) =>
          html`<label class="choice"
            ><input
              type="radio"
              name="report-reason"
              value=${reason}
              .checked=${live(o.reason === reason)}
              @change=${() => o.onReason(reason)}
            />
            ${i18n.t(`reportReason_${reason}`)}</label
          >`,
      )}
    </fieldset>
    <label for="report-note">${i18n.t('reportNote')}</label>
    <textarea
      id="report-note"
      part="textarea report-note"
      rows="2"
      maxlength=${NOTE_MAX}
      .value=${live(o.note)}
      @input=${(event: InputEvent) => o.onNote((event.target as HTMLTextAreaElement).value)}
    ></textarea>
    <div class="row">
      <button type="button" part="button cancel-button" @click=${o.onCancel}>${i18n.t('cancel')}</button>
      <button part="button send-button" class="primary">${i18n.t('sendReport')}</button>
    </div>
    <p id="report-error" part="error" role="alert">${o.error}</p>
  </form>`;
}
