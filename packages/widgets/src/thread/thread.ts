import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { LIMITS, SORTS, characterCount, type PostView, type Reaction, type Sort } from '@kindred/protocol';
import { KindredError, getThreadStore, readConfig, type ThreadPost, type ThreadStore } from '@kindred/client';
import { Announcer } from '../controllers/announcer.js';
import { ConnectionController } from '../controllers/connection-controller.js';
import { Localizer, en } from '../i18n/index.js';
import { renderComposer } from './composer.js';
import { renderPost, type PostContext } from './post-item.js';
import { threadStyles } from './thread.styles.js';

type FormKind = 'reply' | 'edit' | 'delete';

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
 *
 * @fires kindred-post-created - The server stored a post or reply the visitor wrote. `detail: { post }`.
 * @fires kindred-signed-in - The visitor took a guest identity. `detail: { user }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart status - The loading, offline or "too many connections" line.
 * @csspart error - An error message (loading, refusal, composer, send).
 * @csspart retry - The Retry button after a failure.
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
 * @csspart send-button - The Post, Reply and Save buttons.
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
 * @csspart reactions - The group of reactions.
 * @csspart reaction-button - One reaction toggle.
 * @csspart reaction-count - A reaction count shown without a button (own posts, signed out).
 * @csspart actions - Reply, Edit and Delete.
 * @csspart confirm - The inline delete confirmation.
 * @csspart replies - The replies under a post.
 * @csspart load-more - The "Load more" button.
 * @csspart announcer - The visually hidden live region.
 *
 * @cssprop --kindred-color-text - Text colour (default #1f2328).
 * @cssprop --kindred-color-muted - Secondary text (default #57606a).
 * @cssprop --kindred-color-surface - Post and field background (default #fff).
 * @cssprop --kindred-color-accent - Links, primary buttons, pressed reactions (default #0b5cad).
 * @cssprop --kindred-color-on-accent - Text on accent (default #fff).
 * @cssprop --kindred-color-border - Borders of posts and fields (default #6e7781).
 * @cssprop --kindred-color-danger - Errors (default #b3261e).
 * @cssprop --kindred-color-focus - Focus outline (default: the accent).
 * @cssprop --kindred-space-m - Base spacing (default 1rem).
 * @cssprop --kindred-thread-gap - Space between posts (default: --kindred-space-m).
 * @cssprop --kindred-post-padding - Padding inside a post (default: the gap).
 * @cssprop --kindred-radius - Corner radius (default 0.5rem).
 */
export class KindredThread extends LitElement {
  static override styles = threadStyles;

  static override properties = {
    topic: { type: String },
    server: { type: String },
    site: { type: String },
    authUrl: { type: String, attribute: 'auth-url' },
  };

  declare topic: string;
  declare server: string;
  declare site: string;
  declare authUrl: string;

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
    return html`${statusLine}
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
        onInput: (value) => {
          this.#draft = value;
          this.requestUpdate();
        },
        onSubmit: () => void this.#send(),
      })}`;
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
      input: (value) => {
        this.#formDraft = value;
        this.requestUpdate();
      },
      submit: (post) => void this.#submitForm(post),
      react: (post, reaction, on) => void this.#react(post, reaction, on),
      retry: (post) => void this.#reportSend(store.retry(post.clientId), () => {}),
    };
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

  async #send(): Promise<void> {
    const store = this.#store;
    if (!store) return;
    this.#composerError = this.#bodyError(this.#draft);
    this.requestUpdate();
    if (this.#composerError) return;
    const sending = store.post(this.#draft);
    this.#draft = '';
    await this.#focus('#body');
    await this.#reportSend(sending, (message) => (this.#composerError = message));
  }

  /** Tells the page and the screen reader how a send ended; a failed post stays with Retry and Discard. */
  async #reportSend(sending: Promise<PostView | undefined>, showError: (message: string) => void): Promise<void> {
    try {
      const post = await sending;
      if (!post) return;
      this.dispatchEvent(new CustomEvent('kindred-post-created', { detail: { post }, bubbles: true, composed: true }));
      this.#announcer.announce(this.#t('sent'));
    } catch (error) {
      const message = this.#t('notSent', { reason: this.#errorText(error) });
      showError(message);
      this.#announcer.announce(message);
      this.requestUpdate();
    }
  }

  async #openForm(postId: string | null, form: FormKind = 'reply'): Promise<void> {
    const closing = this.#open;
    this.#open = postId ? { postId, form } : null;
    this.#formDraft = (form === 'edit' && postId && this.#store?.find(postId)?.body) || '';
    this.#formError = '';
    this.requestUpdate();
    if (postId) await this.#focus(form === 'delete' ? '[data-autofocus]' : `#${form}-body`);
    else if (closing) await this.#focus(`#post-${closing.postId}`);
  }

  async #submitForm(post: ThreadPost): Promise<void> {
    const store = this.#store;
    const form = this.#open?.form;
    if (!store || !form) return;
    if (form !== 'delete') {
      this.#formError = this.#bodyError(this.#formDraft);
      this.requestUpdate();
      if (this.#formError) return;
    }
    try {
      if (form === 'reply') {
        const sending = store.post(this.#formDraft, post.id);
        await this.#openForm(null);
        await this.#reportSend(sending, () => {});
      } else if (form === 'edit') {
        await store.edit(post.id, this.#formDraft);
        await this.#openForm(null);
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

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #siteName(): string {
    return this.#connection.connection?.site?.name || this.#t('thisSite');
  }

  /** The server's message is specific for invalid input; other codes get our own words. */
  #errorText(error: unknown): string {
    if (!(error instanceof KindredError)) return this.#t('error_INTERNAL');
    if (error.code === 'INVALID_INPUT') return error.message;
    if (error.code === 'RATE_LIMITED' && error.retryAfterMs) {
      return this.#t('rateLimitedIn', { when: this.#i18n.after(error.retryAfterMs) });
    }
    const key = `error_${error.code}`;
    return key in en ? this.#t(key as keyof typeof en, { site: this.#siteName() }) : error.message;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kindred-thread': KindredThread;
  }
  interface HTMLElementEventMap {
    /** The server stored a post or reply the visitor wrote in a Kindred thread. */
    'kindred-post-created': CustomEvent<{ post: PostView }>;
  }
}
