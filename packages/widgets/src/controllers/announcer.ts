import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** Quiet time that ends a burst, and the longest a burst may hold its news back. */
const SETTLE_MS = 500;
const MAX_WAIT_MS = 2000;

interface Tally {
  count: number;
  describe: (count: number) => string;
}

/**
 * A polite live region that batches: messages arriving in a burst become one
 * announcement, and counted news ("3 new replies") is summed, not repeated.
 * The host renders `announcer.render()` somewhere in its shadow root.
 */
export class Announcer implements ReactiveController {
  message = '';
  #host: ReactiveControllerHost;
  #tallies = new Map<string, Tally>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #burstStart = 0;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Adds `count` items of one kind to the burst; `describe` words the total when it is announced. */
  tally(key: string, count: number, describe: (count: number) => string): void {
    this.#tallies.set(key, { count: (this.#tallies.get(key)?.count ?? 0) + count, describe });
    clearTimeout(this.#timer);
    const now = Date.now();
    this.#burstStart ||= now;
    this.#timer = setTimeout(() => this.#flush(), Math.min(SETTLE_MS, this.#burstStart + MAX_WAIT_MS - now));
  }

  announce(text: string): void {
    this.tally(text, 1, () => text);
  }

  render(): TemplateResult {
    return html`<div class="visually-hidden" role="status" part="announcer">${this.message}</div>`;
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#tallies.clear();
    this.#burstStart = 0;
  }

  #flush(): void {
    const text = [...this.#tallies.values()].map(({ count, describe }) => describe(count)).join(' ');
    this.#tallies.clear();
    this.#burstStart = 0;
    // Screen readers skip an unchanged region; a trailing no-break space makes a repeat a change.
    this.message = text === this.message ? `${text}\u00a0` : text;
    this.#host.requestUpdate();
  }
}
