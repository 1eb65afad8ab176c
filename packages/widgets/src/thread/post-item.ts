import { html, nothing, type TemplateResult } from 'lit';
import { REACTIONS, type Reaction, type ReportReason } from '@kindred/protocol';
import type { ThreadPost, ThreadStore } from '@kindred/client';
import type { Localizer } from '../i18n/index.js';
import { renderText } from '../text/render-text.js';
import { renderComposer } from './composer.js';
import type { renderReportForm } from './report-form.js';
import { renderConfirm } from '../templates/confirm.js';

export type PostForm = 'reply' | 'edit' | 'delete' | 'report';

/** What a post needs from the thread to render: the store, the inline forms open now, and the actions. */
export interface PostContext {
  store: ThreadStore;
  i18n: Localizer;
  signedIn: boolean;
  now: number;
  /** The post whose reply, edit, delete or report form is open, and which one. */
  open: { postId: string; form: PostForm } | null;
  /** The text of the open form (the note, for a report). */
  draft: string;
  error: string;
  reportReason: ReportReason | null;
  /** The report form, once loaded (the thread loads it the first time Report is pressed). */
  reportForm: typeof renderReportForm | undefined;
  errorText(error: unknown): string;
  openForm(postId: string, form: PostForm): void;
  closeForm(): void;
  input(value: string): void;
  submit(post: ThreadPost): void;
  react(post: ThreadPost, reaction: Reaction, on: boolean): void;
  retry(post: ThreadPost): void;
  chooseReason(reason: ReportReason): void;
  /** The identifier warning for the form open on this post, if any. */
  warning(postId: string): TemplateResult | typeof nothing;
  /** The crisis support panel for a draft written on this post, if open. */
  support(postId: string): TemplateResult | typeof nothing;
}

export function renderPost(c: PostContext, post: ThreadPost): TemplateResult {
  const { i18n, store } = c;
  const form = c.open?.postId === post.id ? c.open.form : null;
  const replies = post.depth === 0 ? store.replies(post.id) : [];
  const moderated = store.moderated(post);
  // Reactions, replies and reports are for posts everyone can see.
  const published = !post.sendState && !post.deleted && (!post.status || post.status === 'published');
  return html`<article
    part="post"
    id="post-${post.id}"
    class=${post.sendState ?? ''}
    data-depth=${post.depth}
    tabindex="-1"
    aria-labelledby="author-${post.id} time-${post.id}"
  >
    <header>
      <span part="author" id="author-${post.id}" dir="auto">${post.author.name}</span>
      ${post.replyToName
        ? html`<span part="reply-to">${i18n.t('replyingTo', { name: post.replyToName })}</span>`
        : nothing}
      <time part="time" id="time-${post.id}" datetime=${post.createdAt} title=${i18n.dateTime(post.createdAt)}
        >${i18n.relativeTime(post.createdAt, c.now)}</time
      >
      ${post.editedAt && !post.deleted
        ? html`<span part="edited" title=${i18n.dateTime(post.editedAt)}>${i18n.t('edited')}</span>`
        : nothing}
    </header>
    ${post.status === 'held' ? html`<p part="held-note">${i18n.t('heldNote')}</p>` : nothing}
    ${moderated
      ? html`<p part="removed-note">
          ${post.moderationReason ? i18n.t('removedNote', { reason: post.moderationReason }) : i18n.t('removedNoteNoReason')}
        </p>`
      : nothing}
    ${post.notices?.includes('masked') && !moderated ? html`<p part="masked-note">${i18n.t('maskedNote')}</p>` : nothing}
    ${post.deleted
      ? moderated
        ? nothing
        : html`<p part="body" class="deleted">${i18n.t('deleted')}</p>`
      : form === 'edit'
        ? renderComposer({
            id: 'edit-body',
            part: 'edit-composer',
            label: i18n.t('editPost'),
            submitLabel: i18n.t('save'),
            value: c.draft,
            error: c.error,
            i18n,
            onInput: c.input,
            onSubmit: () => c.submit(post),
            onCancel: c.closeForm,
            notice: c.warning(post.id),
          })
        : html`<div part="body" class=${moderated ? 'moderated' : ''} dir="auto">${renderText(post.body)}</div>`}
    ${renderSendState(c, post)} ${published ? renderReactions(c, post) : nothing}
    ${post.deleted || post.sendState || moderated || form === 'edit' ? nothing : renderActions(c, post, form, published)}
    ${form === 'reply'
      ? renderComposer({
          id: 'reply-body',
          part: 'reply-composer',
          label: i18n.t('writeReply'),
          submitLabel: i18n.t('reply'),
          value: c.draft,
          error: c.error,
          i18n,
          onInput: c.input,
          onSubmit: () => c.submit(post),
          onCancel: c.closeForm,
          notice: c.warning(post.id),
        })
      : nothing}
    ${c.support(post.id)}
    ${replies.length
      ? html`<ul part="replies" role="list">
          ${replies.map((reply) => html`<li>${renderPost(c, reply)}</li>`)}
        </ul>`
      : nothing}
  </article>`;
}

function renderSendState(c: PostContext, post: ThreadPost): TemplateResult | typeof nothing {
  if (post.sendState === 'sending') return html`<p part="send-state">${c.i18n.t('sending')}</p>`;
  if (post.sendState !== 'failed') return nothing;
  return html`<p part="send-state error">
    ${c.i18n.t('notSent', { reason: c.errorText(post.sendError) })}
    <button part="button retry" @click=${() => c.retry(post)}>${c.i18n.t('retry')}</button>
    <button part="button discard" @click=${() => c.store.discard(post.clientId)}>${c.i18n.t('discard')}</button>
  </p>`;
}

/** Reactions express connection; the author sees the counts but is not offered their own post's buttons. */
function renderReactions(c: PostContext, post: ThreadPost): TemplateResult {
  const own = c.store.isMine(post) || !c.signedIn;
  return html`<div part="reactions" role="group" aria-label=${c.i18n.t('reactions')}>
    ${REACTIONS.map((reaction) => {
      const name = c.i18n.t(`reaction_${reaction}`);
      const count = post.reactions[reaction];
      const pressed = post.mine?.includes(reaction) ?? false;
      if (own) return count ? html`<span part="reaction-count">${name} ${c.i18n.number(count)}</span>` : nothing;
      return html`<button
        part="button reaction-button"
        aria-pressed=${pressed ? 'true' : 'false'}
        aria-label=${c.i18n.t('reactionCount', { name, count })}
        @click=${() => c.react(post, reaction, !pressed)}
      >
        ${name} <span class="count">${c.i18n.number(count)}</span>
      </button>`;
    })}
  </div>`;
}

function renderActions(c: PostContext, post: ThreadPost, form: PostForm | null, published: boolean): TemplateResult {
  const { i18n, store } = c;
  if (form === 'report' && c.reportForm) {
    return c.reportForm({
      postId: post.id,
      i18n,
      reason: c.reportReason,
      note: c.draft,
      error: c.error,
      onReason: c.chooseReason,
      onNote: c.input,
      onSubmit: () => c.submit(post),
      onCancel: c.closeForm,
    });
  }
  if (form === 'delete') {
    return renderConfirm({
      id: `confirm-${post.id}`,
      question: i18n.t('confirmDelete'),
      confirm: i18n.t('yesDelete'),
      cancel: i18n.t('cancel'),
      onConfirm: () => c.submit(post),
      onCancel: c.closeForm,
      error: c.error,
    });
  }
  const mine = store.isMine(post);
  return html`<div part="actions">
    ${c.signedIn && published
      ? html`<button part="button reply-button" @click=${() => c.openForm(post.id, 'reply')}>${i18n.t('reply')}</button>`
      : nothing}
    ${store.canEdit(post, c.now)
      ? html`<button part="button edit-button" @click=${() => c.openForm(post.id, 'edit')}>${i18n.t('edit')}</button>`
      : nothing}
    ${mine
      ? html`<button part="button delete-button" @click=${() => c.openForm(post.id, 'delete')}>${i18n.t('delete')}</button>`
      : nothing}
    ${c.signedIn && published && !mine
      ? store.hasReported(post.id)
        ? html`<span part="report-thanks">${i18n.t('reportThanks')}</span>`
        : html`<button part="button report-button" @click=${() => c.openForm(post.id, 'report')}>${i18n.t('report')}</button>`
      : nothing}
    ${form === 'report' ? html`<span part="error" role="alert">${c.error}</span>` : nothing}
  </div>`;
}
