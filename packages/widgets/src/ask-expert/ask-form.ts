import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { QUESTION_LIMITS, QUESTION_VISIBILITIES, type QuestionVisibility, type SimilarQuestion } from '@kindred/protocol';
import type { QuestionItem } from '@kindred/client';
import { renderChoices } from '../shared/choices.js';
import { renderText } from '../text/render-text.js';
import type { AskExpertLocalizer } from './ask-expert-i18n.js';
import { renderExpertAnswer } from './question-item.js';

/** What the visitor has typed into the question form. */
export interface AskDraft {
  title: string;
  details: string;
  visibility: QuestionVisibility;
  /** "Email me when an expert answers" is ticked. */
  notify: boolean;
  email: string;
}

/** Fields the form checks itself; the server's refusals show under the Ask button (`form`). */
export type AskField = 'title';

export interface AskFormOptions {
  i18n: AskExpertLocalizer;
  draft: AskDraft;
  errors: Partial<Record<AskField | 'form', string>>;
  busy: boolean;
  similar: readonly SimilarQuestion[];
  /** The whole question, when this page has it, so a similar one opens with its full answer. */
  find(questionId: string): QuestionItem | undefined;
  onChange(change: Partial<AskDraft>): void;
  onSubmit(): void;
  /** The safety warning for this draft, under the Ask button. */
  notice: TemplateResult | typeof nothing;
}

const value = (event: Event): string => (event.target as HTMLInputElement).value;

/**
 * The question box: the one-line question, optional details, who may see it,
 * the optional answer email with its consent wording, and the answered
 * questions that look like it (so the visitor may find their answer first).
 */
export function renderAskForm(o: AskFormOptions): TemplateResult {
  const { i18n, draft, errors } = o;
  const limits = { min: QUESTION_LIMITS.titleMin, max: QUESTION_LIMITS.titleMax };
  return html`<form
    part="question-form"
    class="composer"
    aria-labelledby="ask-heading"
    novalidate
    @submit=${(event: Event) => {
      event.preventDefault();
      o.onSubmit();
    }}
  >
    <h3 id="ask-heading">${i18n.t('askHeading')}</h3>
    <label for="ask-title">${i18n.t('titleLabel')}</label>
    <input
      id="ask-title"
      part="title-input"
      autocomplete="off"
      .value=${live(draft.title)}
      aria-describedby="ask-title-hint ask-title-error"
      aria-invalid=${errors.title ? 'true' : 'false'}
      @input=${(event: Event) => o.onChange({ title: value(event) })}
    />
    <p id="ask-title-hint" class="hint">${i18n.t('titleHint', limits)}</p>
    <p id="ask-title-error" part="error" role="alert">${errors.title ?? ''}</p>
    ${o.similar.length ? renderSimilar(o) : nothing}
    <label for="ask-details">${i18n.t('detailsLabel')}</label>
    <textarea
      id="ask-details"
      part="textarea details-input"
      rows="4"
      .value=${live(draft.details)}
      @input=${(event: Event) => o.onChange({ details: value(event) })}
    ></textarea>
    <fieldset part="visibility">
      <legend>${i18n.t('visibility')}</legend>
      ${renderChoices({
        type: 'radio',
        name: 'visibility',
        values: QUESTION_VISIBILITIES,
        checked: (visibility) => draft.visibility === visibility,
        label: (visibility) => i18n.t(`visibility_${visibility}`),
        onChange: (visibility) => o.onChange({ visibility }),
      })}
    </fieldset>
    <div part="notify">
      <label class="choice"
        ><input
          type="checkbox"
          id="ask-notify"
          .checked=${live(draft.notify)}
          @change=${(event: Event) => o.onChange({ notify: (event.target as HTMLInputElement).checked })}
        />
        ${i18n.t('notify')}</label
      >
      ${draft.notify
        ? html`<label for="ask-email">${i18n.t('email')}</label>
            <input
              id="ask-email"
              part="email-input"
              type="email"
              autocomplete="email"
              .value=${live(draft.email)}
              aria-describedby="ask-email-consent"
              @input=${(event: Event) => o.onChange({ email: value(event) })}
            />
            <p id="ask-email-consent" part="email-consent" class="hint">${i18n.t('emailConsent')}</p>`
        : nothing}
    </div>
    <div class="row">
      <button part="button ask-button" class="primary" aria-disabled=${o.busy ? 'true' : 'false'}>${i18n.t('ask')}</button>
    </div>
    ${o.notice}
    <p id="ask-error" part="error" role="alert">${errors.form ?? ''}</p>
  </form>`;
}

/** Answered questions like the one being typed: each opens in place, with the whole answer when the page has it. */
function renderSimilar(o: AskFormOptions): TemplateResult {
  const { i18n } = o;
  return html`<section part="similar" aria-labelledby="similar-heading">
    <h4 id="similar-heading">${i18n.t('similarHeading')}</h4>
    <ul role="list">
      ${o.similar.map((similar) => {
        const question = o.find(similar.id);
        const answers = question?.answers.filter((answer) => answer.expert) ?? [];
        return html`<li>
          <details part="similar-item">
            <summary part="similar-title">${similar.title}</summary>
            ${answers.length
              ? answers.map((answer) => renderExpertAnswer(i18n, answer))
              : html`<div part="similar-excerpt" dir="auto">${renderText(similar.excerpt)}</div>`}
          </details>
        </li>`;
      })}
    </ul>
  </section>`;
}
