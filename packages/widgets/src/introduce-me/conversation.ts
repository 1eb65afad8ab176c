import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { IntroductionView, ReportReason } from '@kindred/protocol';
import type { Conversation, IntroMessage, IntroductionStore } from '@kindred/client';
import { renderText } from '../text/render-text.js';
import { renderReportForm } from '../thread/report-form.js';
import type { IntroduceMeLocalizer } from './introduce-me-i18n.js';
import { renderConfirm } from '../templates/confirm.js';

/**
 * The server's limit for a message (LIMITS.bodyMax), spelled out: importing
 * the protocol's LIMITS here would make the thread page's shared chunk export it.
 */
export const MESSAGE_MAX = 5000;
/** The counter appears once this few characters are left. */
const COUNTER_FROM = 500;

export type MessageForm = 'report' | 'delete';

export interface MessageDraft {
  value: string;
  error: string;
  busy: boolean;
}

export interface ConversationContext {
  i18n: IntroduceMeLocalizer;
  store: IntroductionStore;
  introduction: IntroductionView;
  conversation: Conversation | undefined;
  now: number;
  draft: MessageDraft;
  /** The message whose report form or delete confirmation is open. */
  open: { messageId: string; form: MessageForm } | null;
  reportReason: ReportReason | null;
  note: string;
  formError: string;
  /** The "End and block" confirmation is open. */
  confirmBlock: boolean;
  blockError: string;
  onDraft(value: string): void;
  onSend(): void;
  onLoadOlder(): void;
  onRetry(): void;
  openForm(message: IntroMessage, form: MessageForm): void;
  closeForm(): void;
  chooseReason(reason: ReportReason): void;
  onNote(note: string): void;
  submitForm(message: IntroMessage): void;
  askBlock(): void;
  cancelBlock(): void;
  block(): void;
  /** The safety warning and the crisis support panel for this conversation's draft, if shown. */
  notice: TemplateResult | typeof nothing;
}

/**
 * One conversation: its heading (focus lands here when it opens or ends),
 * the messages as a log, the composer and "End and block" while it is open,
 * and "This conversation has ended." with the history read-only after.
 */
export function renderConversation(c: ConversationContext): TemplateResult {
  const { i18n, introduction } = c;
  const { id, other } = introduction;
  const ended = introduction.status === 'ended';
  return html`<section part="conversation${ended ? ' conversation-ended' : ''}" aria-labelledby="conv-${id}">
    <h3 id="conv-${id}" part="conversation-heading" tabindex="-1">${i18n.t('conversationWith', { name: other.name })}</h3>
    ${ended
      ? html`<p part="ended-note">
          <strong>${i18n.t('ended')}</strong>
          ${c.store.hasBlocked(id) ? i18n.t('blockedNote', { name: other.name }) : ''} ${i18n.t('endedNote')}
        </p>`
      : nothing}
    ${renderMessages(c)}
    ${ended ? nothing : renderComposer(c)} ${c.notice} ${ended ? nothing : renderBlock(c)}
  </section>`;
}

function renderMessages(c: ConversationContext): TemplateResult {
  const { i18n, conversation, introduction } = c;
  const name = introduction.other.name;
  if (!conversation || (conversation.status === 'loading' && !conversation.messages.length)) {
    return html`<p part="status" role="status">${i18n.t('loadingMessages')}</p>`;
  }
  if (conversation.status === 'error') {
    return html`<div part="error" role="alert">
      ${i18n.t('messagesError')}
      <button part="button retry" @click=${c.onRetry}>${i18n.t('retry')}</button>
    </div>`;
  }
  // A log, announced by the element's own live region in batches rather than once per message.
  return html`${conversation.nextCursor
      ? html`<button part="button load-more" aria-disabled=${conversation.loadingOlder ? 'true' : 'false'} @click=${c.onLoadOlder}>
          ${i18n.t('loadOlder')}
        </button>`
      : nothing}
    <div part="messages" role="log" aria-live="off" aria-label=${i18n.t('messagesLabel', { name })}>
      ${conversation.messages.length
        ? html`<ol role="list">
            ${conversation.messages.map((message) => html`<li>${renderMessage(c, message)}</li>`)}
          </ol>`
        : html`<p part="empty">${i18n.t('noMessages')}</p>`}
    </div>`;
}

function renderMessage(c: ConversationContext, message: IntroMessage): TemplateResult {
  const { i18n } = c;
  const other = c.introduction.other.name;
  const form = c.open?.messageId === message.id ? c.open.form : null;
  const status = message.status ?? 'published';
  const taken = status === 'rejected' || status === 'removed';
  return html`<article
    part="message${message.mine ? ' message-mine' : ''}"
    id="m-${message.id}"
    tabindex="-1"
    aria-labelledby="m-author-${message.id} m-time-${message.id}"
  >
    <header class="meta">
      <span part="author" id="m-author-${message.id}" dir="auto">${message.mine ? i18n.t('you') : message.authorName}</span>
      <time part="time" id="m-time-${message.id}" datetime=${message.createdAt} title=${i18n.dateTime(message.createdAt)}
        >${i18n.relativeTime(message.createdAt, c.now)}</time
      >
    </header>
    ${message.mine && status === 'held' ? html`<p part="held-note">${i18n.t('messageHeld', { name: other })}</p>` : nothing}
    ${message.mine && taken
      ? html`<p part="removed-note">
          ${message.moderationReason ? i18n.t('removedNote', { reason: message.moderationReason }) : i18n.t('removedNoteNoReason')}
        </p>`
      : nothing}
    ${message.notices?.includes('masked') && !taken ? html`<p part="masked-note">${i18n.t('maskedNote')}</p>` : nothing}
    ${message.deleted
      ? html`<p part="body" class="deleted">${i18n.t('messageDeleted')}</p>`
      : html`<div part="body" dir="auto">${renderText(message.body)}</div>`}
    ${message.deleted ? nothing : renderMessageActions(c, message, form)}
  </article>`;
}

function renderMessageActions(c: ConversationContext, message: IntroMessage, form: MessageForm | null): TemplateResult | typeof nothing {
  const { i18n, store } = c;
  if (form === 'report') {
    return renderReportForm({
      postId: message.id,
      i18n,
      reason: c.reportReason,
      note: c.note,
      error: c.formError,
      onReason: c.chooseReason,
      onNote: c.onNote,
      onSubmit: () => c.submitForm(message),
      onCancel: c.closeForm,
    });
  }
  if (form === 'delete') {
    return renderConfirm({
      id: `confirm-${message.id}`,
      question: i18n.t('confirmDeleteMessage'),
      confirm: i18n.t('yesDelete'),
      cancel: i18n.t('cancel'),
      onConfirm: () => c.submitForm(message),
      onCancel: c.closeForm,
      error: c.formError,
    });
  }
  if (message.mine) {
    return html`<div part="actions">
      <button part="button delete-button" data-delete=${message.id} @click=${() => c.openForm(message, 'delete')}>
        ${i18n.t('delete')}
      </button>
    </div>`;
  }
  return html`<div part="actions">
    ${store.hasReported(message.id)
      ? html`<span part="report-thanks">${i18n.t('reportThanks')}</span>`
      : html`<button part="button report-button" data-report=${message.id} @click=${() => c.openForm(message, 'report')}>
          ${i18n.t('report')}
        </button>`}
  </div>`;
}

/** A labelled box: Ctrl/Cmd+Enter sends, as in the thread's composer; Enter is a new line. */
function renderComposer(c: ConversationContext): TemplateResult {
  const { i18n, draft, introduction } = c;
  const fieldId = `reply-${introduction.id}`;
  const left = MESSAGE_MAX - [...draft.value.trim()].length;
  const counter = left > COUNTER_FROM ? '' : i18n.t(left < 0 ? 'charsOver' : 'charsLeft', { count: Math.abs(left) });
  return html`<form
    part="composer"
    novalidate
    @submit=${(event: Event) => {
      event.preventDefault();
      c.onSend();
    }}
  >
    <label for=${fieldId}>${i18n.t('writeTo', { name: introduction.other.name })}</label>
    <textarea
      id=${fieldId}
      part="textarea message-input"
      rows="3"
      .value=${live(draft.value)}
      aria-describedby="${fieldId}-count ${fieldId}-error"
      aria-invalid=${draft.error || left < 0 ? 'true' : 'false'}
      @input=${(event: InputEvent) => c.onDraft((event.target as HTMLTextAreaElement).value)}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          c.onSend();
        }
      }}
    ></textarea>
    <div class="row">
      <span id="${fieldId}-count" part="counter" class=${left < 0 ? 'over' : ''}>${counter}</span>
      <button part="button send-button" class="primary" aria-disabled=${draft.busy ? 'true' : 'false'}>${i18n.t('send')}</button>
    </div>
    <p id="${fieldId}-error" part="error" role="alert">${draft.error}</p>
  </form>`;
}

function renderBlock(c: ConversationContext): TemplateResult {
  const { i18n, introduction } = c;
  const name = introduction.other.name;
  if (!c.confirmBlock) {
    return html`<div class="row">
      <button part="button block-button" data-block=${introduction.id} @click=${c.askBlock}>${i18n.t('block')}</button>
    </div>`;
  }
  return renderConfirm({
    id: `block-q-${introduction.id}`,
    part: 'block-confirm',
    question: i18n.t('confirmBlock', { name }),
    confirm: i18n.t('yesBlock'),
    cancel: i18n.t('cancel'),
    onConfirm: c.block,
    onCancel: c.cancelBlock,
    error: c.blockError,
  });
}
