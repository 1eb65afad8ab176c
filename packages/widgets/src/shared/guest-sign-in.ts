import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ConnectionController } from '../controllers/connection-controller.js';
import type { MessageParams } from '../i18n/index.js';

/** The words the sign-in uses; each element's localizer has them, in its own table or the shared one. */
type SignInKey =
  | 'nameHint'
  | 'displayName'
  | 'continue'
  | 'signOut'
  | 'memberOf'
  | 'thisSite'
  | 'signInRefused'
  | 'guestsDenied'
  | 'error_NOT_SIGNED_IN';

export interface SignInLocalizer {
  t(key: SignInKey, params?: MessageParams): string;
}

export interface GuestSignInOptions {
  i18n: SignInLocalizer;
  /** Words a refusal of the display name. */
  errorText(error: unknown): string;
  /** Moves focus on once the visitor has a guest identity. */
  signedIn(): Promise<void>;
}

/**
 * Who the visitor is, for an element they take part in: the display-name
 * form that gives a visitor without an identity a guest one (or the note
 * that the site allows no guests), the line saying whom they are signed in
 * as, with Sign out for a guest, and the note when the server refused the
 * host site's sign-in. Holds the name being typed and its error.
 */
export class GuestSignIn {
  #host: ReactiveControllerHost;
  #connection: ConnectionController;
  #i18n: SignInLocalizer;
  #errorText: (error: unknown) => string;
  #signedIn: () => Promise<void>;
  #name = '';
  #error = '';

  constructor(host: ReactiveControllerHost, connection: ConnectionController, { i18n, errorText, signedIn }: GuestSignInOptions) {
    this.#host = host;
    this.#connection = connection;
    this.#i18n = i18n;
    this.#errorText = errorText;
    this.#signedIn = signedIn;
  }

  /** The host site's name, as the sign-in words it. */
  get siteName(): string {
    return this.#connection.connection?.site?.name || this.#i18n.t('thisSite');
  }

  /** "We couldn't confirm your sign-in": the server refused the host site's token. */
  renderRefusal(): TemplateResult | typeof nothing {
    return this.#connection.connection?.signInError
      ? html`<p part="sign-in-error" role="alert">${this.#i18n.t('signInRefused', { site: this.siteName })}</p>`
      : nothing;
  }

  renderForm(): TemplateResult | typeof nothing {
    const i18n = this.#i18n;
    const connection = this.#connection.connection;
    // The host's token is on its way to the server: the visitor is a member, not a would-be guest.
    if (connection?.hostAuth?.token && !connection.signInError) return nothing;
    if (connection?.site?.guestsAllowed === false) {
      return html`<p part="guests-denied">${i18n.t('guestsDenied', { site: this.siteName })}</p>`;
    }
    return html`<form part="sign-in" novalidate @submit=${this.#signIn}>
      <p id="name-hint">${i18n.t('nameHint')}</p>
      <label for="name">${i18n.t('displayName')}</label>
      <div class="row">
        <input
          id="name"
          part="name-input"
          autocomplete="nickname"
          .value=${live(this.#name)}
          aria-describedby="name-hint name-error"
          aria-invalid=${this.#error ? 'true' : 'false'}
          @input=${(event: InputEvent) => (this.#name = (event.target as HTMLInputElement).value)}
        />
        <button part="button" class="primary">${i18n.t('continue')}</button>
      </div>
      <p id="name-error" part="error" role="alert">${this.#error}</p>
    </form>`;
  }

  /** "Signed in as …" in the element's words; a member signs out on the host site, so only a guest gets Sign out. */
  renderIdentity(signedInAs: (name: string) => string): TemplateResult {
    const i18n = this.#i18n;
    const identity = this.#connection.identity;
    return html`<div class="row">
      <span part="identity">${signedInAs(identity?.name ?? '')}</span>
      ${identity?.kind === 'member'
        ? html`<span part="member-note">${i18n.t('memberOf', { site: this.siteName })}</span>`
        : html`<button part="button sign-out" @click=${() => this.#connection.signOut()}>${i18n.t('signOut')}</button>`}
    </div>`;
  }

  #signIn = async (event: Event): Promise<void> => {
    event.preventDefault();
    const name = this.#name.trim().replace(/\s+/g, ' ');
    this.#error = name ? '' : this.#i18n.t('error_NOT_SIGNED_IN');
    this.#host.requestUpdate();
    if (this.#error) return;
    try {
      await this.#connection.signInAsGuest(name);
      this.#name = '';
      await this.#signedIn();
    } catch (error) {
      this.#error = this.#errorText(error);
      this.#host.requestUpdate();
    }
  };
}
