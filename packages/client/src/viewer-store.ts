import type { ReportReason } from '@kindred/protocol';
import type { Connection } from './connection.js';
import { KindredError } from './errors.js';

export type ViewerStoreStatus = 'loading' | 'ready' | 'error';

/**
 * What the question and introduction stores share: state that belongs to
 * one viewer and has no sequence numbers, so it is loaded again whenever the
 * connection comes back or the viewer changes, with the live events that
 * arrive meanwhile held until the load has answered. Reference-counted
 * start/stop, listeners, and reports (`post:report`) of what the viewer sees.
 * Subclasses say how to follow their events, what to load and how an event
 * changes the state.
 */
export abstract class ViewerStore<Event, Change> {
  status: ViewerStoreStatus = 'loading';
  error: KindredError | null = null;
  timeoutMs: number;
  readonly connection: Connection;

  #noChange: Change;
  #listeners = new Set<(change: Change) => void>();
  #unsubscribe: (() => void)[] = [];
  #refs = 0;
  #online = false;
  #viewer: string | null | undefined = undefined;
  /** Increases with every load (and with stop), so an answer to an older one is dropped. */
  #generation = 0;
  #loading = false;
  #buffer: Event[] = [];
  #reported = new Set<string>();

  constructor(connection: Connection, timeoutMs: number, noChange: Change) {
    this.connection = connection;
    this.timeoutMs = timeoutMs;
    this.#noChange = noChange;
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Follows the connection and the live events, and loads; reference-counted with stop(). */
  start(): void {
    if (this.#refs++ > 0) return;
    this.#unsubscribe = [this.connection.subscribe(this.#onConnection), this.follow(this.#onEvent)];
    this.#viewer = undefined;
    this.#online = false;
    this.#onConnection();
  }

  stop(): void {
    if (this.#refs === 0 || --this.#refs > 0) return;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#generation++;
    if (this.#online) this.unfollow();
    this.#online = false;
  }

  /** Loads from scratch, e.g. after an error; also what a reconnect or a new viewer does. */
  abstract reload(): Promise<void>;

  /** Reports something by someone else to the moderators; `hidden`: this report took it past the threshold. */
  async report(postId: string, reason: ReportReason, note?: string): Promise<{ hidden: boolean }> {
    const trimmed = note?.trim();
    const res = await this.connection.request(
      'post:report',
      { postId, reason, ...(trimmed ? { note: trimmed } : {}) },
      this.options(),
    );
    this.#reported.add(postId);
    this.emit();
    return res;
  }

  /** Whether this viewer reported it during this page's life. */
  hasReported(postId: string): boolean {
    return this.#reported.has(postId);
  }

  /** Subscribes `onEvent` to the live events; returns the unsubscribe. */
  protected abstract follow(onEvent: (event: Event) => void): () => void;

  /** Tells the server the page no longer follows (on the last stop, while online). */
  protected unfollow(): void {}

  /** Drops what only the previous viewer could see, before the server answers for the new one. */
  protected abstract forgetViewer(): void;

  /** Takes in one live event; returns what it brought that is news. */
  protected abstract applyEvent(event: Event): Change;

  protected abstract mergeChanges(a: Change, b: Change): Change;

  /** Runs after a load that was not overtaken by a newer one, once listeners have heard of it. */
  protected loaded(): void {}

  /**
   * Loads the state: `fetch` asks the server and resolves with what takes
   * the answer in, which runs unless a newer load (or a stop) came since.
   * Events that arrived meanwhile are applied after it.
   */
  protected async load(fetch: () => Promise<() => void>): Promise<void> {
    const generation = ++this.#generation;
    this.status = 'loading';
    this.error = null;
    this.#loading = true;
    this.emit();
    try {
      const takeIn = await fetch();
      if (generation !== this.#generation) return;
      takeIn();
      this.status = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.status = 'error';
      this.error = asKindredError(error);
    }
    this.#loading = false;
    const buffered = this.#buffer;
    this.#buffer = [];
    let change = this.#noChange;
    if (this.status === 'ready') for (const event of buffered) change = this.mergeChanges(change, this.applyEvent(event));
    this.emit(change);
    this.loaded();
  }

  /** Which load (or stop) came last: work begun under another one is out of date. */
  protected get generation(): number {
    return this.#generation;
  }

  /** Forgets what the viewer reported (for a store whose reports belong to one viewer). */
  protected forgetReports(): void {
    this.#reported.clear();
  }

  protected options(): { timeoutMs: number } {
    return { timeoutMs: this.timeoutMs };
  }

  protected emit(change: Change = this.#noChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }

  #onConnection = (): void => {
    const { status, identity } = this.connection;
    const online = status === 'online';
    const viewer = identity?.id ?? null;
    const changedViewer = viewer !== this.#viewer;
    const cameOnline = online && !this.#online;
    this.#online = online;
    if (changedViewer) {
      this.#viewer = viewer;
      this.forgetViewer();
    }
    if (online && (changedViewer || cameOnline)) void this.reload();
    else this.emit();
  };

  #onEvent = (event: Event): void => {
    if (this.#loading) this.#buffer.push(event);
    else if (this.status === 'ready') this.emit(this.applyEvent(event));
  };
}

/** Not the client's `toKindredError`: importing it here would make the thread page's shared chunk export it. */
export function asKindredError(error: unknown): KindredError {
  return error instanceof KindredError ? error : new KindredError('INTERNAL', String(error));
}

/** One store per connection and key (a topic, a community), shared by every element on the page that shows it. */
export function storesByKey<Store>(create: (connection: Connection, key: string) => Store): (connection: Connection, key: string) => Store {
  const stores = new WeakMap<Connection, Map<string, Store>>();
  return (connection, key) => {
    let byKey = stores.get(connection);
    if (!byKey) stores.set(connection, (byKey = new Map()));
    let store = byKey.get(key);
    if (!store) byKey.set(key, (store = create(connection, key)));
    return store;
  };
}
