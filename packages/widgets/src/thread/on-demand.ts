/**
 * Code the thread needs only once a visitor writes or reports, kept off a
 * reader's first paint: each is its own chunk, imported the first time it is
 * wanted and shared by every thread on the page.
 */
export class OnDemand<T> {
  /** The module, once it has arrived: callers stay synchronous from then on. */
  value: T | undefined;
  #loading: Promise<T> | undefined;
  readonly #import: () => Promise<T>;

  constructor(load: () => Promise<T>) {
    this.#import = load;
  }

  /** Imports the module (once; again after a failure, e.g. when the visitor was offline). */
  load(): Promise<T> {
    this.#loading ??= this.#import().then(
      (module) => (this.value = module),
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  /** Starts loading ahead of need; a failure here is tried again by the `load()` that needs the module. */
  prefetch(): void {
    this.load().catch(() => undefined);
  }
}

/** The safety checks a draft goes through before it is sent, and the notes they lead to. */
export const draftChecks = new OnDemand(() => import('./draft-checks.js'));

/** The inline form for reporting a post. */
export const reportForm = new OnDemand(() => import('./report-form.js'));
