import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import {
  LIMITS,
  SORTS,
  characterCount,
  type ErrorCode,
  type PostView,
  type Reaction,
  type ReportReason,
  type Sort,
} from '@kindred/protocol';
import type { Finding } from '@kindred/protocol/safety';
import { KindredError, getThreadStore, readConfig, type ThreadPost, type ThreadStore } from '@kindred/client';
import { Announcer } from '../controllers/announcer.js';
import { ConnectionController } from '../controllers/connection-controller.js';
import { focusRendered, focusSelecting } from '../controllers/focus.js';
import { KindredElement } from '../controllers/kindred-element.js';
import { Localizer, en, readsServerWords } from '../i18n/index.js';
import { renderText } from '../text/render-text.js';
import { renderComposer } from './composer.js';
import { draftChecks, reportForm } from './on-demand.js';
import { renderPost, type PostContext, type PostForm } from './post-item.js';
import type { CrisisStage } from './safety-notes.js';
import { threadStyles } from './thread.styles.js';
import { baseStyles } from '../styles/base.styles.js';

type DraftChecks = NonNullable<typeof draftChecks.value>;

/** The anchor of the main composer; a reply or edit form is anchored on the post it is open on. */
const NEW_POST = 'new';

/** Refusals the author must answer by changing the text (or cannot answer): the draft goes back to them. */
const FINAL_REFUSALS: readonly ErrorCode[] = ['BANNED_WORD', 'SUSPENDED', 'BANNED'];
const isFinal = (error: unknown): boolean => error instanceof KindredError && FINAL_REFUSALS.includes(error.code);

/**
 * A live discussion of one topic: sorted, paginated posts with replies and
 * reactions; a visitor reads without signing in and posts under a display
 * name, or as the member the host site's sign-in vouches for (`auth-url`).
 *
 * @summary Live discussion thread for one topic.
 *
 * @attr topic - The topic to show (a lower-case slug, e.g. `knee-replacement`).
 * @attr server - Overrides the Kindred server URL the loader configured.
 * @attr site - Overrides the site id the loader configured.
 * @attr auth-url - Overrides the host site's sign-in token endpoint the loader configured (`data-auth-url`).
 * @attr theme - light | dark | high-contrast | auto: a built-in theme (`auto` follows `prefers-color-scheme`); unset, the light tokens on the page's own background.
 *
 * @fires kindred-post-created - The server stored a post or reply the visitor wrote. `detail: { post }`.
 * @fires kindred-post-held - The visitor's post or edit is waiting for a moderator; only they see it. `detail: { post }`.
 * @fires kindred-crisis-support-shown - The crisis support panel opened, before sending a draft or after the server flagged a post. `detail: { stage: 'draft' | 'sent' }` (never the text).
 * @fires kindred-post-reported - The visitor reported someone else's post. `detail: { postId, reason, hidden }` (`hidden`: the report took it past the site's threshold).
 * @fires kindred-signed-in - The visitor took a guest identity. `detail: { user }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart status - The loading, offline or "too many connections" line.
 * @csspart error - An error message (loading, refusal, composer, send).
 * @csspart retry - The Retry button after a failure.
 * @csspart disclaimer - The site's medical-advice disclaimer above the composer (only when the site set one).
 * @csspart composer - The area to sign in and write a post.
 * @csspart sign-in - The display-name form.
 * @csspart sign-in-error - "We couldn't confirm your sign-in": the server refused the host site's token.
 * @csspart guests-denied - "Sign in on <site> to join the discussion", where the site allows no guests.
 * @csspart member-note - "Signed in with <site>" beside a member's name.
 * @csspart members-only - The note shown instead of the posts of a members-only topic.
 * @csspart name-input - The display-name field.
 * @csspart composer-form - The new-post form.
 * @csspart reply-composer - The inline reply form.
 * @csspart edit-composer - The inline edit form.
 * @csspart textarea - Every message field.
 * @csspart counter - The character counter near the limit.
 * @csspart send-button - The Post, Reply, Save and Send report buttons.
 * @csspart identifier-warning - "This looks like a phone number — people you don't know can read this.", shown instead of sending (an alert).
 * @csspart edit-draft-button - "Edit my post" in the identifier warning: back to the text, the first finding selected.
 * @csspart post-anyway-button - "Post anyway" in the identifier warning.
 * @csspart crisis-panel - The support panel (a labelled region: call, text, chat, emergency number) for a draft that suggests someone may be at risk.
 * @csspart crisis-close - The button that closes the support panel.
 * @csspart button - Every button.
 * @csspart sort - The sort select.
 * @csspart new-posts - The "N new posts" button.
 * @csspart list - The list of posts.
 * @csspart post - One post or reply (an article).
 * @csspart author - The author's name.
 * @csspart time - When the post was written.
 * @csspart edited - The "edited" mark.
 * @csspart reply-to - The "replying to" note on flattened replies.
 * @csspart body - The post text.
 * @csspart send-state - "Sending…" or "Not sent" on the visitor's own post.
 * @csspart held-note - "Waiting for review — only you can see this for now." on the visitor's own held post.
 * @csspart masked-note - "Some details were hidden to protect your privacy." on the visitor's own post.
 * @csspart removed-note - "Removed by a moderator: <reason>" on the visitor's own rejected or removed post.
 * @csspart reactions - The group of reactions.
 * @csspart reaction-button - One reaction toggle.
 * @csspart reaction-count - A reaction count shown without a button (own posts, signed out).
 * @csspart actions - Reply, Edit and Delete.
 * @csspart confirm - The inline delete confirmation.
 * @csspart report-button - "Report" on a post by someone else (signed-in visitors).
 * @csspart report-form - The inline report form (a form landmark labelled "Report this post").
 * @csspart report-reasons - The fieldset of report reasons (radio buttons).
 * @csspart report-note - The optional note to the moderators.
 * @csspart report-thanks - "Thanks — a moderator will take a look." in place of Report once sent.
 * @csspart replies - The replies under a post.
 * @csspart load-more - The "Load more" button.
 * @csspart announcer - The visually hidden live region.
 *
 * @cssprop [--kindred-color-surface=#fff] - Background of posts, cards, fields and buttons.
 * @cssprop [--kindred-color-surface-alt=#eef4fb] - Tinted background: your own messages, the featured answer.
 * @cssprop [--kindred-color-text=#1f2328] - Text.
 * @cssprop [--kindred-color-muted=#57606a] - Secondary text: times, hints, counters, disclaimers.
 * @cssprop [--kindred-color-border=#6e7781] - Borders of posts, fields, buttons and tables.
 * @cssprop [--kindred-color-accent=#0b5cad] - Links, primary buttons, pressed and selected controls.
 * @cssprop [--kindred-color-on-accent=#fff] - Text on the accent.
 * @cssprop [--kindred-color-focus=var(--kindred-color-accent)] - Focus ring.
 * @cssprop [--kindred-color-error=#b3261e] - Errors, removed notes, leave and block confirmations.
 * @cssprop [--kindred-color-danger=#b3261e] - The older name of `--kindred-color-error`; still works.
 * @cssprop [--kindred-color-warning=#8a5300] - Edge of a "held for review" note.
 * @cssprop [--kindred-color-success=#1a7f37] - The expert's badge and answer edge.
 * @cssprop [--kindred-color-crisis=#b3261e] - The crisis support panel and the console's crisis alerts.
 * @cssprop [--kindred-font-family=inherit] - Font (the host page's unless set).
 * @cssprop [--kindred-font-size=inherit] - Base font size (the host page's unless set).
 * @cssprop [--kindred-font-size-s=0.875em] - Small print: times, hints, counters.
 * @cssprop [--kindred-line-height=1.5] - Line height.
 * @cssprop [--kindred-space-s=0.5em] - Small spacing inside panels.
 * @cssprop [--kindred-space-m=1rem] - Base spacing between blocks.
 * @cssprop [--kindred-radius=0.5rem] - Corner radius of posts, cards, fields and buttons.
 * @cssprop [--kindred-shadow=none] - Elevation (a `box-shadow`) of posts and cards.
 * @cssprop [--kindred-thread-gap=var(--kindred-space-m)] - Space between posts.
 * @cssprop [--kindred-post-padding=var(--kindred-thread-gap)] - Padding inside a post.
 */
export class KindredThread extends KindredElement {
  static override styles = [baseStyles, threadStyles];

  static override properties = {
    topic: { type: String },
  };

  declare topic: string;

  #connection = new ConnectionController(this);
  #announcer = new Announcer(this);
  #i18n = new Localizer(this);
  #store: ThreadStore | null = null;
  #unsubscribe: (() => void) | null = null;
  #key = '';
  #name = '';
  #nameError = '';
  #draft = '';
  #composerError = '';
  #open: PostContext['open'] = null;
  #formDraft = '';
  #formError = '';
  #reportReason: ReportReason | null = null;
  /** Identifiers found in a draft the visitor tried to send, and which composer it is in. */
  #warning: { anchor: string; findings: Finding[] } | null = null;
  /** The crisis support panel, if open, and the composer it belongs to. */
  #crisis: { anchor: string; stage: CrisisStage } | null = null;
  /** Composers whose draft has had the panel before sending: the next Post goes ahead. */
  #crisisSeen = new Set<string>();
  /** A Post is waiting for the draft checks to arrive. */
  #awaitingChecks = false;

  constructor() {
    super();
    this.topic = '';
    this.server = '';
    this.site = '';
    this.authUrl = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the document after a move: willUpdate attaches to the store again.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#detach();
  }

  protected override get strings(): Localizer {
    return this.#i18n;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const config = readConfig({ server: this.server, site: this.site, authUrl: this.authUrl });
    const key = config && this.topic ? `${config.server} ${config.site} ${config.authUrl} ${this.topic}` : '';
    if (key === this.#key) return;
    this.#detach();
    this.#key = key;
    const connection = this.#connection.use(key ? config : null);
    if (!connection) return;
    const store = (this.#store = getThreadStore(connection, this.topic));
    this.#unsubscribe = store.subscribe((arrived) => this.#onChange(arrived));
    store.start();
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.#store?.stop();
    this.#connection.hostDisconnected();
    this.#unsubscribe = this.#store = null;
    this.#key = '';
  }

  #onChange(arrived: readonly PostView[]): void {
    this.requestUpdate();
    const store = this.#store!;
    for (const post of arrived) {
      if (post.parentId) this.#announcer.tally('replies', 1, (count) => this.#t('newReplies', { count }));
      else this.#announcer.tally('posts', 1, () => this.#t('newPosts', { count: store.pendingCount }));
    }
  }

  #t: Localizer['t'] = (key, params) => this.#i18n.t(key, params);

  override render(): TemplateResult {
    const store = this.#store;
    const status = this.#connection.status;
    const loading = store?.status === 'loading';
    return html`<section part="base" aria-busy=${loading || store?.loadingMore ? 'true' : 'false'}>
      ${this.#announcer.render()}
      ${status === 'refused' || !store
        ? html`<p part="error" role="alert">${this.#t('refused')}</p>`
        : this.#renderThread(store, status === 'offline')}
    </section>`;
  }

  #renderThread(store: ThreadStore, offline: boolean): TemplateResult {
    const { rateLimited, signInError } = store.connection;
    const signInProblem = signInError
      ? html`<p part="sign-in-error" role="alert">${this.#t('signInRefused', { site: this.#siteName() })}</p>`
      : nothing;
    if (store.error?.code === 'MEMBERS_ONLY') {
      return html`${signInProblem}<p part="members-only" role="status">${this.#t('error_MEMBERS_ONLY')}</p>`;
    }
    // Turned away for now (too many connections): socket.io keeps trying, so no Retry button.
    const limited = rateLimited && offline;
    const statusLine = offline
      ? html`<p part="status" role="status">${this.#t(limited ? 'connectLimited' : 'offline')}</p>`
      : nothing;
    if (limited && store.status === 'loading') return html`${statusLine}`;
    // Never reached the server, or it failed to answer: say so, and offer a retry.
    if (store.status === 'error' || (store.status === 'loading' && offline)) {
      return html`<div part="error" role="alert">
        ${this.#t('loadError')} ${store.error && !offline ? this.#errorText(store.error) : ''}
        <button part="button retry" @click=${() => (offline ? store.connection.reconnect() : void store.reload())}>
          ${this.#t('retry')}
        </button>
      </div>`;
    }
    const posts = store.posts;
    const pending = store.pendingCount;
    const disclaimer = store.connection.site?.disclaimer;
    return html`${statusLine}
      ${disclaimer ? html`<div part="disclaimer">${renderText(disclaimer)}</div>` : nothing}
      <div part="composer">${signInProblem}${this.#connection.identity ? this.#renderComposer() : this.#renderSignIn()}</div>
      <div class="bar">
        <label
          >${this.#t('sortBy')}
          <select part="sort" @change=${(event: Event) => void store.setSort((event.target as HTMLSelectElement).value as Sort)}>
            ${SORTS.map((sort) => html`<option value=${sort} ?selected=${store.sort === sort}>${this.#t(`sort_${sort}`)}</option>`)}
          </select></label
        >
        ${pending
          ? html`<button part="button new-posts" @click=${this.#showPending}>${this.#t('newPosts', { count: pending })}</button>`
          : nothing}
      </div>
      ${store.status === 'loading'
        ? html`<p part="status">${this.#t('loading')}</p>`
        : posts.length
          ? html`<ul part="list" role="list" aria-label=${this.#t('posts')} tabindex="-1">
              ${posts.map((post) => html`<li>${renderPost(this.#postContext(store), post)}</li>`)}
            </ul>`
          : html`<p part="empty">${this.#t('empty')}</p>`}
      ${store.nextCursor && store.status === 'ready'
        ? html`<button part="button load-more" ?disabled=${store.loadingMore} @click=${this.#loadMore}>${this.#t('loadMore')}</button>`
        : nothing}`;
  }

  #renderSignIn(): TemplateResult | typeof nothing {
    const connection = this.#connection.connection;
    // The host's token is on its way to the server: the visitor is a member, not a would-be guest.
    if (connection?.hostAuth?.token && !connection.signInError) return nothing;
    if (connection?.site?.guestsAllowed === false) {
      return html`<p part="guests-denied">${this.#t('error_GUESTS_NOT_ALLOWED', { site: this.#siteName() })}</p>`;
    }
    return html`<form part="sign-in" novalidate @submit=${this.#signIn}>
      <p id="name-hint">${this.#t('nameHint')}</p>
      <label for="name">${this.#t('displayName')}</label>
      <div class="row">
        <input
          id="name"
          part="name-input"
          autocomplete="nickname"
          .value=${live(this.#name)}
          aria-describedby="name-hint name-error"
          aria-invalid=${this.#nameError ? 'true' : 'false'}
          @input=${(event: InputEvent) => (this.#name = (event.target as HTMLInputElement).value)}
        />
        <button part="button" class="primary">${this.#t('continue')}</button>
      </div>
      <p id="name-error" part="error" role="alert">${this.#nameError}</p>
    </form>`;
  }

  /** A member signs out on the host site, so only a guest gets a Sign out button. */
  #renderComposer(): TemplateResult {
    const identity = this.#connection.identity;
    return html`<div class="row">
        <span>${this.#t('postingAs', { name: identity?.name ?? '' })}</span>
        ${identity?.kind === 'member'
          ? html`<span part="member-note">${this.#t('memberOf', { site: this.#siteName() })}</span>`
          : html`<button part="button sign-out" @click=${() => this.#connection.signOut()}>${this.#t('signOut')}</button>`}
      </div>
      ${renderComposer({
        id: 'body',
        part: 'composer-form',
        label: this.#t('writePost'),
        submitLabel: this.#t('post'),
        value: this.#draft,
        error: this.#composerError,
        i18n: this.#i18n,
        onFocus: () => draftChecks.prefetch(),
        onInput: (value) => {
          draftChecks.prefetch();
          this.#draft = value;
          this.#dropWarning(NEW_POST);
          this.requestUpdate();
        },
        onSubmit: () => void this.#send(),
        notice: this.#renderWarning(NEW_POST),
      })}
      ${this.#renderSupport(NEW_POST)}`;
  }

  #postContext(store: ThreadStore): PostContext {
    return {
      store,
      i18n: this.#i18n,
      signedIn: !!this.#connection.identity,
      now: Date.now(),
      open: this.#open,
      draft: this.#formDraft,
      error: this.#formError,
      errorText: (error) => this.#errorText(error),
      openForm: (postId, form) => void this.#openForm(postId, form),
      closeForm: () => void this.#openForm(null),
      reportReason: this.#reportReason,
      reportForm: reportForm.value?.renderReportForm,
      input: (value) => {
        this.#formDraft = value;
        if (this.#open) this.#dropWarning(this.#open.postId);
        this.requestUpdate();
      },
      submit: (post) => void this.#submitForm(post),
      react: (post, reaction, on) => void this.#react(post, reaction, on),
      retry: (post) => void this.#reportSend(store.retry(post.clientId), post.parentId ?? NEW_POST),
      chooseReason: (reason) => {
        this.#reportReason = reason;
        this.#formError = '';
        this.requestUpdate();
      },
      warning: (postId) => this.#renderWarning(postId),
      support: (postId) => this.#renderSupport(postId),
    };
  }

  #renderWarning(anchor: string): TemplateResult | typeof nothing {
    const warning = this.#warning;
    const notes = draftChecks.value;
    if (warning?.anchor !== anchor || !notes) return nothing;
    return notes.renderIdentifierWarning(
      this.#i18n,
      warning.findings,
      () => void this.#editDraft(),
      () => void (anchor === NEW_POST ? this.#send(true) : this.#submitAnyway(anchor)),
    );
  }

  #renderSupport(anchor: string): TemplateResult | typeof nothing {
    const crisis = this.#crisis;
    const notes = draftChecks.value;
    if (crisis?.anchor !== anchor || !notes) return nothing;
    const resources = this.#connection.connection?.site?.crisisResources;
    return notes.renderCrisisPanel(this.#i18n, resources, crisis.stage, () => void this.#closeSupport());
  }

  #signIn = async (event: Event): Promise<void> => {
    event.preventDefault();
    const name = this.#name.trim().replace(/\s+/g, ' ');
    const length = characterCount(name);
    this.#nameError =
      length < LIMITS.displayNameMin || length > LIMITS.displayNameMax
        ? this.#t('nameLength', { min: LIMITS.displayNameMin, max: LIMITS.displayNameMax })
        : '';
    this.requestUpdate();
    if (this.#nameError) return;
    try {
      await this.#connection.signInAsGuest(name);
      this.#name = '';
      await this.#focus('#body');
    } catch (error) {
      this.#nameError = this.#errorText(error);
      this.requestUpdate();
    }
  };

  /** Checks the length the way the server counts it, before anything is shown as sent. */
  #bodyError(body: string): string {
    const length = characterCount(body.trim());
    if (length < LIMITS.bodyMin) return this.#t('emptyBody');
    return length > LIMITS.bodyMax ? this.#t('charsOver', { count: length - LIMITS.bodyMax }) : '';
  }

  async #send(anyway = false): Promise<void> {
    const store = this.#store;
    if (!store) return;
    const body = this.#draft;
    this.#composerError = this.#bodyError(body);
    this.requestUpdate();
    if (this.#composerError) return;
    const checks = draftChecks.value;
    if (!checks) return this.#afterChecks(NEW_POST, () => this.#send(anyway));
    if (!this.#mayPost(checks, NEW_POST, body, anyway)) return;
    const sending = store.post(body);
    this.#draft = '';
    await this.#focus('#body');
    await this.#reportSend(sending, NEW_POST, (error, message) => {
      this.#composerError = message;
      // Nothing to retry: the visitor gets their words back to change them.
      if (isFinal(error) && !this.#draft) this.#draft = body;
    });
  }

  /**
   * The checks a draft goes through when the visitor presses Post, before
   * anything is sent: first crisis language (the support panel, once per
   * draft), then identifiers (the warning, until "Post anyway"). The server
   * checks again and says what it did in the acknowledgement's notices.
   */
  #mayPost(checks: DraftChecks, anchor: string, body: string, anyway: boolean): boolean {
    this.#warning = null;
    this.requestUpdate();
    if (anyway) return true;
    if (!this.#crisisSeen.has(anchor) && checks.detectCrisis(body)) {
      this.#crisisSeen.add(anchor);
      void this.#showSupport(anchor, 'draft');
      return false;
    }
    const findings = checks.findIdentifiers(body);
    if (findings.length) this.#warning = { anchor, findings };
    return !findings.length;
  }

  /**
   * A Post pressed before the checks have arrived (they start loading when a
   * composer is focused) waits for them, then goes through them; presses in
   * the meantime add nothing. Without them nothing is sent.
   */
  async #afterChecks(anchor: string, send: () => Promise<void> | void): Promise<void> {
    if (this.#awaitingChecks) return;
    this.#awaitingChecks = true;
    try {
      await draftChecks.load();
    } catch {
      const message = this.#t('notSent', { reason: this.#t('error_UNAVAILABLE') });
      if (anchor === NEW_POST) this.#composerError = message;
      else this.#formError = message;
      this.#announcer.announce(message);
      this.requestUpdate();
      return;
    } finally {
      this.#awaitingChecks = false;
    }
    await send();
  }

  #dropWarning(anchor: string): void {
    if (this.#warning?.anchor === anchor) this.#warning = null;
  }

  /** "Edit my post": back into the text with the first thing found selected. */
  async #editDraft(): Promise<void> {
    const warning = this.#warning;
    if (!warning) return;
    this.#warning = null;
    this.requestUpdate();
    await focusSelecting(this, this.#fieldOf(warning.anchor), warning.findings[0]);
  }

  #submitAnyway(postId: string): Promise<void> | void {
    const post = this.#store?.find(postId);
    if (post) return this.#submitForm(post, true);
  }

  #fieldOf(anchor: string): string {
    return anchor === NEW_POST ? '#body' : `#${this.#open?.form ?? 'reply'}-body`;
  }

  async #showSupport(anchor: string, stage: CrisisStage): Promise<void> {
    // The panel comes with the checks, which a send has loaded; if they cannot be had now, the
    // server still holds the post for a person to read.
    if (!draftChecks.value && !(await draftChecks.load().catch(() => null))) return;
    this.#crisis = { anchor, stage };
    this.requestUpdate();
    this.dispatchEvent(
      new CustomEvent('kindred-crisis-support-shown', { detail: { stage }, bubbles: true, composed: true }),
    );
    await this.#focus('[part~="crisis-panel"]');
  }

  /** Closing the panel returns focus to the text it was about, or to the post it sits in. */
  async #closeSupport(): Promise<void> {
    const anchor = this.#crisis?.anchor;
    this.#crisis = null;
    this.requestUpdate();
    await this.updateComplete;
    const field = anchor && this.renderRoot.querySelector<HTMLElement>(this.#fieldOf(anchor));
    await this.#focus(field ? this.#fieldOf(anchor) : `#post-${anchor}`);
  }

  /** Tells the page and the screen reader how a send ended; a failed post stays with Retry and Discard. */
  async #reportSend(
    sending: Promise<ThreadPost | undefined>,
    anchor: string,
    showError?: (error: unknown, message: string) => void,
  ): Promise<void> {
    try {
      const post = await sending;
      if (!post) return;
      this.#crisisSeen.delete(anchor);
      this.dispatchEvent(new CustomEvent('kindred-post-created', { detail: { post }, bubbles: true, composed: true }));
      this.#written(post, anchor, this.#t('sent'));
    } catch (error) {
      const message = this.#t('notSent', { reason: this.#errorText(error) });
      showError?.(error, message);
      this.#announcer.announce(message);
      this.requestUpdate();
    }
  }

  /** What the server did with a post or edit: held for review, and whether it saw crisis language. */
  #written(post: ThreadPost, anchor: string, done = ''): void {
    const held = post.status === 'held';
    if (held) {
      this.dispatchEvent(new CustomEvent('kindred-post-held', { detail: { post }, bubbles: true, composed: true }));
    }
    const message = [done, held ? this.#t('heldNote') : ''].filter(Boolean).join(' ');
    if (message) this.#announcer.announce(message);
    if (post.notices?.includes('crisis')) {
      if (this.#crisis?.anchor === anchor) this.#crisis = { anchor, stage: 'sent' };
      else void this.#showSupport(anchor, 'sent');
    }
    this.requestUpdate();
  }

  async #openForm(postId: string | null, form: PostForm = 'reply'): Promise<void> {
    if (postId && form === 'report' && !reportForm.value) {
      try {
        await reportForm.load();
      } catch {
        // Said beside the Report button (which keeps focus; pressing it again tries again).
        this.#open = { postId, form };
        this.#formError = this.#t('error_UNAVAILABLE');
        this.requestUpdate();
        return;
      }
    }
    if (postId && (form === 'reply' || form === 'edit')) draftChecks.prefetch();
    const closing = this.#open;
    if (closing) this.#dropWarning(closing.postId);
    this.#open = postId ? { postId, form } : null;
    this.#formDraft = (form === 'edit' && postId && this.#store?.find(postId)?.body) || '';
    this.#formError = '';
    this.#reportReason = null;
    this.requestUpdate();
    if (postId) {
      const first = { delete: '[data-autofocus]', report: '[name="report-reason"]' }[form as string];
      await this.#focus(first ?? `#${form}-body`);
    } else if (closing) {
      // A closed form returns focus to the button that opened it (Reply, Edit, Delete, Report), else to its post.
      await this.updateComplete;
      const opener = `#post-${closing.postId} > [part~="actions"] > [part~="${closing.form}-button"]`;
      await this.#focus(this.renderRoot.querySelector(opener) ? opener : `#post-${closing.postId}`);
    }
  }

  async #submitForm(post: ThreadPost, anyway = false): Promise<void> {
    const store = this.#store;
    const form = this.#open?.form;
    if (!store || !form) return;
    const body = this.#formDraft;
    if (form === 'reply' || form === 'edit') {
      this.#formError = this.#bodyError(body);
      this.requestUpdate();
      if (this.#formError) return;
      const checks = draftChecks.value;
      if (!checks) {
        // The visitor may have closed or switched forms while the checks loaded.
        const stillOpen = (): boolean => this.#open?.postId === post.id;
        return this.#afterChecks(post.id, () => (stillOpen() ? this.#submitForm(post, anyway) : undefined));
      }
      if (!this.#mayPost(checks, post.id, body, anyway)) return;
    }
    try {
      if (form === 'reply') {
        const sending = store.post(body, post.id);
        await this.#openForm(null);
        await this.#reportSend(sending, post.id, (error, message) => {
          if (!isFinal(error) || this.#open) return;
          // Nothing to retry: the reply form opens again with the visitor's words.
          this.#open = { postId: post.id, form: 'reply' };
          this.#formDraft = body;
          this.#formError = message;
          void this.#focus('#reply-body');
        });
      } else if (form === 'edit') {
        const edited = await store.edit(post.id, body);
        this.#crisisSeen.delete(post.id);
        await this.#openForm(null);
        this.#written(edited, post.id);
      } else if (form === 'report') {
        await this.#report(store, post);
      } else {
        await store.remove(post.id);
        this.#open = null;
        this.#announcer.announce(this.#t('postDeleted'));
        await this.#focus('[part~="list"]');
      }
    } catch (error) {
      this.#formError = this.#errorText(error);
      this.requestUpdate();
    }
  }

  async #report(store: ThreadStore, post: ThreadPost): Promise<void> {
    const reason = this.#reportReason;
    if (!reason) {
      this.#formError = this.#t('chooseReason');
      this.requestUpdate();
      await this.#focus('[name="report-reason"]');
      return;
    }
    const { hidden } = await store.report(post.id, reason, this.#formDraft);
    this.#open = null;
    this.#announcer.announce(this.#t('reportThanks'));
    this.dispatchEvent(
      new CustomEvent('kindred-post-reported', {
        detail: { postId: post.id, reason, hidden },
        bubbles: true,
        composed: true,
      }),
    );
    await this.#focus(`#post-${post.id}`);
  }

  async #react(post: ThreadPost, reaction: Reaction, on: boolean): Promise<void> {
    try {
      await this.#store?.react(post.id, reaction, on);
    } catch (error) {
      this.#announcer.announce(this.#errorText(error));
    }
  }

  #showPending = async (): Promise<void> => {
    const ids = this.#store?.showPending() ?? [];
    await this.#focus(`#post-${ids[0]}`);
  };

  #loadMore = async (): Promise<void> => {
    try {
      const ids = (await this.#store?.loadMore()) ?? [];
      await this.#focus(`#post-${ids[0]}`);
    } catch (error) {
      this.#announcer.announce(this.#errorText(error));
    }
  };

  #focus(selector: string): Promise<void> {
    return focusRendered(this, selector);
  }

  #siteName(): string {
    return this.#connection.connection?.site?.name || this.#t('thisSite');
  }

  /** The server's message is specific for invalid input (and English: see readsServerWords); other codes get our own words. */
  #errorText(error: unknown): string {
    if (!(error instanceof KindredError)) return this.#t('error_INTERNAL');
    const english = readsServerWords(this.#i18n.locale);
    if (error.code === 'INVALID_INPUT') return english ? error.message : this.#t('error_INVALID_INPUT');
    if (error.code === 'RATE_LIMITED' && error.retryAfterMs) {
      return this.#t('rateLimitedIn', { when: this.#i18n.after(error.retryAfterMs) });
    }
    const key = `error_${error.code}`;
    if (key in en) return this.#t(key as keyof typeof en, { site: this.#siteName(), minutes: LIMITS.editWindowMs / 60_000 });
    return english ? error.message : this.#t('error_INTERNAL');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-thread': KindredThread;
  }
  interface HTMLElementEventMap {
    /** The server stored a post or reply the visitor wrote in a Kindred thread. */
    'kindred-post-created': CustomEvent<{ post: PostView }>;
    /** The visitor's post or edit is waiting for a moderator's review; only they can see it. */
    'kindred-post-held': CustomEvent<{ post: PostView }>;
    /** The crisis support panel opened: before sending a draft, or after the server flagged the post. */
    'kindred-crisis-support-shown': CustomEvent<{ stage: CrisisStage }>;
    /** The visitor reported a post; `hidden` when their report took it past the site's threshold. */
    'kindred-post-reported': CustomEvent<{ postId: string; reason: ReportReason; hidden: boolean }>;
  }
}
