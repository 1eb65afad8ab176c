import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { MemberAction, ModerationItem, ModeratorAction } from '@kindred/protocol';
import { renderText } from '../text/render-text.js';
import type { ModerationLocalizer } from './moderation-i18n.js';

export type ItemAction = ModeratorAction | MemberAction;

/** The inline confirmation open on one item, and what has been typed into it. */
export interface OpenAction {
  postId: string;
  action: ItemAction;
  reason: string;
  body: string;
  note: string;
  days: string;
  error: string;
  busy: boolean;
}

export interface ItemContext {
  i18n: ModerationLocalizer;
  open: OpenAction | null;
  openAction(item: ModerationItem, action: ItemAction): void;
  close(): void;
  input(field: 'reason' | 'body' | 'note' | 'days', value: string): void;
  submit(item: ModerationItem): void;
}

const POST_ACTIONS: ModeratorAction[] = ['approve', 'reject', 'edit', 'remove'];

/** One queued post: who wrote it, where and when, all of it as text, why it is here, and what can be done. */
export function renderItem(ctx: ItemContext, item: ModerationItem): TemplateResult {
  const { i18n } = ctx;
  const { post, author } = item;
  const open = ctx.open?.postId === post.id ? ctx.open : null;
  const memberActions: MemberAction[] = author.standing === 'active' ? ['suspend', 'ban'] : ['reinstate'];
  const headingId = `item-${post.id}-heading`;
  return html`<article part="item" id="item-${post.id}" tabindex="-1" aria-labelledby=${headingId} data-queue=${item.queue}>
    <header part="item-header">
      <h3 id=${headingId} part="author">
        ${author.name}
        <span part="author-kind">${i18n.t(`kind_${author.kind}`)}</span>
        <span part="standing" data-standing=${author.standing}>${i18n.t(`standing_${author.standing}`)}</span>
      </h3>
      <span part="history">${i18n.t('history', { approved: author.approvedPosts, held: author.heldPosts })}</span>
      <span part="topic">${i18n.t('inTopic', { topic: post.topic })}</span>
      <time part="time" datetime=${post.createdAt}>${i18n.t('written', { time: i18n.dateTime(post.createdAt) })}</time>
      <time part="entered" datetime=${item.enteredAt}>${i18n.t('entered', { time: i18n.dateTime(item.enteredAt) })}</time>
      ${post.status && post.status !== 'held' ? html`<span part="post-status">${i18n.t(`status_${post.status}`)}</span>` : nothing}
    </header>
    <div part="body"><div dir="auto">${renderText(post.body)}</div></div>
    ${renderWhy(i18n, item)}
    <div part="actions" role="group" aria-label=${i18n.t('actions')}>
      ${POST_ACTIONS.map((action) => actionButton(ctx, item, action, open))}
    </div>
    <div part="member-actions" role="group" aria-label=${i18n.t('memberActions', { name: author.name })}>
      ${memberActions.map((action) => actionButton(ctx, item, action, open))}
    </div>
    ${open ? renderConfirm(ctx, item, open) : nothing}
  </article>`;
}

function renderWhy(i18n: ModerationLocalizer, item: ModerationItem): TemplateResult {
  const reasonText = (reason: string): string => {
    const key = `reason_${reason}`;
    return i18n.has(key) ? i18n.t(key) : reason;
  };
  const reportText = (reason: string): string => {
    const key = `report_${reason}`;
    return i18n.has(key) ? i18n.t(key) : reason;
  };
  return html`<dl part="why">
    ${item.reasons.length
      ? html`<dt>${i18n.t('reasons')}</dt>
          <dd><ul part="reasons">${item.reasons.map((reason) => html`<li>${reasonText(reason)}</li>`)}</ul></dd>`
      : nothing}
    ${item.findings.length
      ? html`<dt>${i18n.t('findings')}</dt>
          <dd><ul part="findings">${item.findings.map((finding) => html`<li>${finding}</li>`)}</ul></dd>`
      : nothing}
    ${item.reports.length
      ? html`<dt>${i18n.t('reports')}</dt>
          <dd>
            <ul part="reports">
              ${item.reports.map(
                (report) => html`<li>
                  ${i18n.t('reportCount', { reason: reportText(report.reason), count: report.count })}
                  ${report.notes.length ? html`<ul part="report-notes">${report.notes.map((note) => html`<li>${note}</li>`)}</ul>` : nothing}
                </li>`,
              )}
            </ul>
          </dd>`
      : nothing}
  </dl>`;
}

function actionButton(ctx: ItemContext, item: ModerationItem, action: ItemAction, open: OpenAction | null): TemplateResult {
  const pressed = open?.action === action;
  return html`<button
    part="button action-${action}${action === 'approve' ? ' primary' : ''}"
    class=${action === 'approve' ? 'primary' : ''}
    aria-expanded=${pressed ? 'true' : 'false'}
    @click=${() => (pressed ? ctx.close() : ctx.openAction(item, action))}
  >
    ${ctx.i18n.t(`action_${action}`)}
  </button>`;
}

/** The inline confirmation: what it will do, what it needs (a reason, the text, days), and the error if it failed. */
function renderConfirm(ctx: ItemContext, item: ModerationItem, open: OpenAction): TemplateResult {
  const { i18n } = ctx;
  const id = `confirm-${item.post.id}`;
  const name = item.author.name;
  const field = (key: 'reason' | 'note', label: string, required: boolean): TemplateResult => html`<label for="${id}-${key}">${label}</label>
    <textarea
      id="${id}-${key}"
      part="textarea ${key}"
      rows="2"
      ?required=${required}
      aria-describedby="${id}-error"
      aria-invalid=${open.error && required && !open[key].trim() ? 'true' : 'false'}
      .value=${live(open[key])}
      @input=${(event: InputEvent) => ctx.input(key, (event.target as HTMLTextAreaElement).value)}
    ></textarea>`;
  const needsReason = open.action === 'reject' || open.action === 'remove';
  const memberAction = open.action === 'suspend' || open.action === 'ban' || open.action === 'reinstate';
  return html`<form
    part="confirm"
    aria-labelledby="${id}-title"
    novalidate
    @submit=${(event: Event) => {
      event.preventDefault();
      ctx.submit(item);
    }}
    @keydown=${(event: KeyboardEvent) => {
      if (event.key === 'Escape') ctx.close();
    }}
  >
    <p id="${id}-title" part="confirm-title">${i18n.t(`confirm_${open.action}`, { name })}</p>
    ${open.action === 'edit'
      ? html`<label for="${id}-body">${i18n.t('editedBody')}</label>
          <textarea
            id="${id}-body"
            part="textarea body-input"
            rows="6"
            required
            aria-describedby="${id}-error"
            .value=${live(open.body)}
            @input=${(event: InputEvent) => ctx.input('body', (event.target as HTMLTextAreaElement).value)}
          ></textarea>
          ${field('note', i18n.t('editNote'), false)}`
      : nothing}
    ${needsReason ? field('reason', i18n.t('reasonForAuthor'), true) : nothing}
    ${open.action === 'suspend'
      ? html`<label for="${id}-days">${i18n.t('days')}</label>
          <input
            id="${id}-days"
            part="days"
            type="number"
            min="1"
            step="1"
            inputmode="numeric"
            required
            aria-describedby="${id}-error"
            .value=${live(open.days)}
            @input=${(event: InputEvent) => ctx.input('days', (event.target as HTMLInputElement).value)}
          />`
      : nothing}
    ${memberAction ? field('reason', i18n.t('reasonForLog'), true) : nothing}
    <p id="${id}-error" part="error" role="alert">${open.error}</p>
    <div class="row">
      <button part="button confirm-button" class="primary" ?disabled=${open.busy}>
        ${i18n.t(`yes_${open.action}`)}
      </button>
      <button part="button cancel" type="button" @click=${() => ctx.close()}>${i18n.t('cancel')}</button>
    </div>
  </form>`;
}
