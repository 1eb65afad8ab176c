import { LIMITS } from '@kindred/protocol';

export interface HostAuthOptions {
  /** Called when the token changes: a new token, or null when the visitor is signed out on the host. */
  onChange(token: string | null): void;
  fetch?: typeof fetch;
  /** Where `focus` and `visibilitychange` arrive (the window); none in Node. */
  events?: EventTarget | null;
  isVisible?: () => boolean;
  now?: () => number;
}

/** Refresh this long before the token's `exp`, so the socket never holds an expired one. */
const REFRESH_BEFORE_MS = 60_000;
/** A token without a readable (future) `exp` is asked for again after this long. */
const NO_EXPIRY_REFRESH_MS = 10 * 60_000;
/** Back-off after a failed fetch (network error, 5xx, unexpected answer) doubles up to the last. */
const RETRY_MIN_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
/** Focus and visibilitychange often fire together: one fetch for both. */
const EVENT_GAP_MS = 5_000;

/**
 * Follows the visitor's sign-in on the host site through its auth URL: 200
 * JSON `{token}` is signed in, 204 or 401 signed out, anything else leaves
 * the state as it is and tries again later with back-off. Asks again shortly
 * before the token expires, and when the page becomes visible or focused
 * (the visitor may have signed in or out in another tab). The token is held
 * in memory only.
 */
export class HostAuth {
  readonly url: string;
  /** undefined until the first answer; then the token, or null when signed out. */
  token: string | null | undefined = undefined;
  /** Settles after the first answer (or failure) from the auth URL. */
  readonly ready: Promise<void>;
  #options: Required<HostAuthOptions>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | null = null;
  #failures = 0;
  #lastFetch = -Infinity;
  #closed = false;
  #settle!: () => void;

  constructor(url: string, options: HostAuthOptions) {
    this.url = new URL(url, globalThis.location?.href).href;
    this.#options = {
      fetch: (...args) => globalThis.fetch(...args),
      events: (globalThis as { window?: EventTarget }).window ?? null,
      isVisible: () => globalThis.document?.visibilityState !== 'hidden',
      now: Date.now,
      ...options,
    };
    this.ready = new Promise((resolve) => (this.#settle = resolve));
    this.#options.events?.addEventListener('focus', this.#onWake);
    this.#options.events?.addEventListener('visibilitychange', this.#onWake);
    void this.refresh();
  }

  /** Asks the auth URL now (one request at a time); resolves when the answer is applied. */
  refresh(): Promise<void> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = null;
      this.#settle();
    });
    return this.#inFlight;
  }

  /** Stops refreshing and removes the listeners. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#options.events?.removeEventListener('focus', this.#onWake);
    this.#options.events?.removeEventListener('visibilitychange', this.#onWake);
  }

  #onWake = (): void => {
    if (this.#options.isVisible() && this.#options.now() - this.#lastFetch >= EVENT_GAP_MS) void this.refresh();
  };

  async #fetch(): Promise<void> {
    clearTimeout(this.#timer);
    this.#lastFetch = this.#options.now();
    let token: string | null;
    try {
      const response = await this.#options.fetch(this.url, {
        credentials: 'include',
        headers: { accept: 'application/json' },
      });
      if (response.status === 204 || response.status === 401) token = null;
      else if (response.status === 200) token = tokenOf(await response.json());
      else throw new Error(`auth URL answered ${response.status}`);
    } catch {
      // Not an answer about the visitor: keep what we know and ask again later.
      if (!this.#closed) this.#schedule(Math.min(RETRY_MIN_MS * 2 ** this.#failures++, RETRY_MAX_MS));
      return;
    }
    if (this.#closed) return;
    this.#failures = 0;
    if (token) this.#schedule(refreshDelay(token, this.#options.now()));
    if (token !== this.token) {
      this.token = token;
      this.#options.onChange(token);
    }
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), ms);
  }
}

function tokenOf(body: unknown): string {
  const token = (body as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || !token || token.length > LIMITS.hostTokenMax) {
    throw new Error('the auth URL did not answer with {"token": "<jwt>"}');
  }
  return token;
}

/** The token's `exp` in milliseconds, read without verifying (the server verifies); null when unreadable. */
export function expiryOf(token: string): number | null {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const exp = (JSON.parse(atob(payload)) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * A minute before expiry; for short-lived tokens, half-way through what is
 * left (at least 5 s). A token that looks expired already (or this clock is
 * wrong) is not chased in a loop: the server has the last word on it.
 */
function refreshDelay(token: string, now: number): number {
  const exp = expiryOf(token);
  const left = exp === null ? 0 : exp - now;
  if (left <= 0) return NO_EXPIRY_REFRESH_MS;
  const delay = left - REFRESH_BEFORE_MS;
  return Math.min(delay >= 1000 ? delay : Math.max(5000, left / 2), LIMITS.hostTokenMaxLifetimeMs);
}
