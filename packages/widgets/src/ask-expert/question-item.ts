import { html, nothing, type TemplateResult } from 'lit';
import type { QuestionTab, ReportReason } from '@kindred/protocol';
import type { QuestionAnswer, QuestionItem, QuestionStore } from '@kindred/client';
import { renderText } from '../text/render-text.js';
import { renderReportForm } from '../thread/report-form.js';
import type { AskExpertLocalizer } from './ask-expert-i18n.js';
import { renderAnswerComposer } from './answer-composer.js';
import { renderConfirm } from '../templates/confirm.js';

export type QuestionForm = 'follow-up' | 'delete' | 'report';

/**
 * Anchors of the drafts written on a question — the expert's answer (`a-`)
 * and the asker's follow-up (`f-`) — and of their text fields (`#<anchor>-body`).
 */
export const answerAnchor = (questionId: string): string => `a-${questionId}`;
export const followUpAnchor = (questionId: string): string => `f-${questionId}`;
export const questionOf = (anchor: string): string => anchor.slice(2);

/** A reply being written on a question, its error, and whether it is on its way. */
export interface ReplyDraft {
  value: string;
  error: string;
  busy: boolean;
}

/** What a question needs from the element to render: the store, the forms open now, and the actions. */
export interface QuestionContext {
  store: QuestionStore;
  i18n: AskExpertLocalizer;
  signedIn: boolean;
  tab: QuestionTab;
  now: number;
  /** The inline form open now: a follow-up or delete on a question, a report on a question or an answer. */
  open: { id: string; form: QuestionForm } | null;
  /** The report's note, and the error of the open report or delete. */
  draft: string;
  error: string;
  reportReason: ReportReason | null;
  reply(anchor: string): ReplyDraft;
  replyInput(anchor: string, value: string): void;
  sendReply(question: QuestionItem, anchor: string): void;
  openForm(id: string, form: QuestionForm): void;
  closeForm(): void;
  input(value: string): void;
  submit(question: QuestionItem, targetId: string): void;
  helpful(question: QuestionItem, answer: QuestionAnswer, on: boolean): void;
  chooseReason(reason: ReportReason): void;
  /** The safety warning for a draft on this question (by anchor), if any. */
  warning(anchor: string): TemplateResult | typeof nothing;
  /** The crisis support panel for a follow-up on this question, if open. */
  support(anchor: string): TemplateResult | typeof nothing;
}

const published = (item: { status?: string }): boolean => !item.status || item.status === 'published';

export function renderQuestion(c: QuestionContext, question: QuestionItem): TemplateResult {
  const { i18n, store } = c;
  const mine = store.isMine(question);
  const experts = question.answers.filter((answer) => answer.expert);
  const followUps = question.answers.filter((answer) => !answer.expert);
  const form = c.open?.id === question.id ? c.open.form : null;
  const moderated = mine && (question.status === 'rejected' || question.status === 'removed');
  return html`<article part="question" id="q-${question.id}" tabindex="-1" aria-labelledby="qt-${question.id}">
    <h3 part="question-title" id="qt-${question.id}" dir="auto">${question.title}</h3>
    <p part="question-meta" class="meta">
      <span part="asker">${i18n.t('askedBy', { name: question.asker.name })}</span>
      <time part="time" datetime=${question.askedAt} title=${i18n.dateTime(question.askedAt)}
        >${i18n.relativeTime(question.askedAt, c.now)}</time
      >
      ${question.visibility === 'private' ? html`<span part="private-marker">${i18n.t('private')}</span>` : nothing}
      ${c.tab === 'inbox'
        ? html`<span part="inbox-age">${waitingFor(i18n, c.now - Date.parse(question.askedAt))}</span>`
        : nothing}
    </p>
    ${question.status === 'held' ? html`<p part="held-note">${i18n.t('heldNote')}</p>` : nothing}
    ${moderated
      ? html`<p part="removed-note">
          ${question.moderationReason
            ? i18n.t('removedNote', { reason: question.moderationReason })
            : i18n.t('removedNoteNoReason')}
        </p>`
      : nothing}
    ${question.notices?.includes('masked') ? html`<p part="masked-note">${i18n.t('maskedNote')}</p>` : nothing}
    ${question.details ? html`<div part="details" dir="auto">${renderText(question.details)}</div>` : nothing}
    ${experts.map((answer) => renderAnswer(c, question, answer))}
    ${followUps.length
      ? html`<div part="follow-ups">
          <p class="title">${i18n.t('followUps')}</p>
          <ul role="list">
            ${followUps.map((answer) => html`<li>${renderAnswer(c, question, answer)}</li>`)}
          </ul>
        </div>`
      : nothing}
    ${c.tab === 'inbox' && store.expert ? renderReplyComposer(c, question, answerAnchor(question.id)) : nothing}
    ${renderActions(c, question, form, mine)}
    ${c.support(followUpAnchor(question.id))}
  </article>`;
}

/** An expert answer as a featured block: who, their credential, the badge, the text. Shared with the similar-question list. */
export function renderExpertAnswer(
  i18n: AskExpertLocalizer,
  answer: QuestionAnswer,
  extra: TemplateResult | typeof nothing = nothing,
): TemplateResult {
  return html`<div part="answer expert-answer" id="answer-${answer.id}">
    <p class="byline">
      <span part="expert-name">${i18n.t('answerBy', { name: answer.author.name })}</span>
      ${answer.expert?.credential ? html`<span part="credential">${answer.expert.credential}</span>` : nothing}
      <span part="badge">${i18n.t('badge')}</span>
    </p>
    <div part="answer-body" dir="auto">${renderText(answer.body)}</div>
    ${extra}
  </div>`;
}

function renderAnswer(c: QuestionContext, question: QuestionItem, answer: QuestionAnswer): TemplateResult {
  const { i18n, store } = c;
  const own = answer.author.id === store.connection.identity?.id;
  const notes = html`${answer.status === 'held'
      ? html`<p part="held-note">${i18n.t(answer.expert ? 'answerHeld' : 'heldNote')}</p>`
      : nothing}
    ${answer.notices?.includes('masked') ? html`<p part="masked-note">${i18n.t('maskedNote')}</p>` : nothing}`;
  const report = c.signedIn && !own && published(answer) ? renderReport(c, question, answer.id) : nothing;
  if (!answer.expert) {
    return html`<div part="answer follow-up" id="answer-${answer.id}">
      <p class="byline meta">
        <span part="author">${i18n.t('followUpBy', { name: answer.author.name })}</span>
        <time part="time" datetime=${answer.createdAt} title=${i18n.dateTime(answer.createdAt)}
          >${i18n.relativeTime(answer.createdAt, c.now)}</time
        >
      </p>
      <div part="answer-body" dir="auto">${renderText(answer.body)}</div>
      ${notes} ${report === nothing ? nothing : html`<div part="actions">${report}</div>`}
    </div>`;
  }
  const asker = store.isMine(question);
  const count = i18n.t('helpful', { count: answer.helpful });
  let helpful: TemplateResult | typeof nothing = nothing;
  if (published(answer) && asker) {
    helpful = html`<button
      part="button helped-button"
      aria-pressed=${answer.helpedAsker ? 'true' : 'false'}
      @click=${() => c.helpful(question, answer, !answer.helpedAsker)}
    >
      ${i18n.t('thisHelped')}
    </button>`;
  } else if (published(answer) && c.signedIn && !own) {
    helpful = html`<button
      part="button helpful-button"
      aria-pressed=${answer.mine ? 'true' : 'false'}
      @click=${() => c.helpful(question, answer, !answer.mine)}
    >
      ${count}
    </button>`;
  } else if (answer.helpful) {
    helpful = html`<span part="helpful-count">${count}</span>`;
  }
  return renderExpertAnswer(
    i18n,
    answer,
    html`<p class="meta">
        <time part="time" datetime=${answer.createdAt} title=${i18n.dateTime(answer.createdAt)}
          >${i18n.relativeTime(answer.createdAt, c.now)}</time
        >
      </p>
      ${notes}
      ${helpful === nothing && report === nothing ? nothing : html`<div part="actions">${helpful}${report}</div>`}`,
  );
}

/** Report, the inline report form while it is open on this item (the question or one of its answers), or the thanks once sent. */
function renderReport(c: QuestionContext, question: QuestionItem, id: string): TemplateResult {
  const { i18n, store } = c;
  if (store.hasReported(id)) return html`<span part="report-thanks">${i18n.t('reportThanks')}</span>`;
  if (c.open?.id === id && c.open.form === 'report') {
    return renderReportForm({
      postId: id,
      i18n,
      reason: c.reportReason,
      note: c.draft,
      error: c.error,
      onReason: c.chooseReason,
      onNote: c.input,
      onSubmit: () => c.submit(question, id),
      onCancel: c.closeForm,
    });
  }
  return html`<button part="button report-button" data-report=${id} @click=${() => c.openForm(id, 'report')}>
    ${i18n.t('report')}
  </button>`;
}

/** The expert's answer box (on an inbox question) or the asker's follow-up box. */
function renderReplyComposer(c: QuestionContext, question: QuestionItem, anchor: string): TemplateResult {
  const { i18n } = c;
  const draft = c.reply(anchor);
  const answer = anchor === answerAnchor(question.id);
  return renderAnswerComposer({
    id: `${anchor}-body`,
    part: answer ? 'answer-composer' : 'follow-up-composer',
    label: i18n.t(answer ? 'answerLabel' : 'followUpLabel'),
    submitLabel: i18n.t(answer ? 'publishAnswer' : 'sendFollowUp'),
    ...draft,
    onInput: (value) => c.replyInput(anchor, value),
    onSubmit: () => c.sendReply(question, anchor),
    ...(answer ? {} : { onCancel: c.closeForm, cancelLabel: i18n.t('cancel') }),
    notice: c.warning(anchor),
  });
}

function renderActions(c: QuestionContext, question: QuestionItem, form: QuestionForm | null, asker: boolean): TemplateResult {
  const { i18n } = c;
  if (form === 'follow-up') return renderReplyComposer(c, question, followUpAnchor(question.id));
  if (form === 'delete') {
    return renderConfirm({
      id: `confirm-${question.id}`,
      question: i18n.t('confirmDelete'),
      confirm: i18n.t('yesDelete'),
      cancel: i18n.t('cancel'),
      onConfirm: () => c.submit(question, question.id),
      onCancel: c.closeForm,
      error: c.error,
    });
  }
  const live = published(question);
  return html`<div part="actions">
    ${asker && live
      ? html`<button part="button follow-up-button" @click=${() => c.openForm(question.id, 'follow-up')}>
          ${i18n.t('addFollowUp')}
        </button>`
      : nothing}
    ${asker
      ? html`<button part="button delete-button" @click=${() => c.openForm(question.id, 'delete')}>
          ${i18n.t('deleteQuestion')}
        </button>`
      : nothing}
    ${c.signedIn && !asker && live ? renderReport(c, question, question.id) : nothing}
  </div>`;
}

/** "waiting 3 hours"; under a minute, "waiting less than a minute" rather than a rounded-up minute. */
function waitingFor(i18n: QuestionContext['i18n'], ms: number): string {
  return ms < 60_000 ? i18n.t('waitingMoments') : i18n.t('waiting', { duration: i18n.age(ms) });
}
