import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { readConfig, type Connection } from '@kindred/client';
import type { ConnectionController } from '../controllers/connection-controller.js';

/** What the controller needs of a store: the page's one for an id, started and stopped by each element showing it. */
export interface SharedStore<Change> {
  subscribe(listener: (change: Change) => void): () => void;
  start(): void;
  stop(): void;
}

/** The attributes that override where the loader said the Kindred server is. */
export interface ConnectionAttributes {
  server: string;
  site: string;
  authUrl: string;
}

/**
 * Keeps a host element on the page's store for its connection and one id
 * (a topic, a community): follows it while the element is in the document,
 * lets it go when the element leaves or points somewhere else, and passes
 * each change on. The host calls `follow` from `willUpdate`.
 */
export class StoreController<Store extends SharedStore<Change>, Change> implements ReactiveController {
  store: Store | null = null;
  #host: ReactiveControllerHost;
  #connection: ConnectionController;
  #storeFor: (connection: Connection, id: string) => Store;
  #onChange: (change: Change) => void;
  #unsubscribe: (() => void) | null = null;
  #key = '';

  constructor(
    host: ReactiveControllerHost,
    connection: ConnectionController,
    storeFor: (connection: Connection, id: string) => Store,
    onChange: (change: Change) => void,
  ) {
    this.#host = host;
    this.#connection = connection;
    this.#storeFor = storeFor;
    this.#onChange = onChange;
    host.addController(this);
  }

  /** The store for the element's configuration and `id`; none without either. */
  follow({ server, site, authUrl }: ConnectionAttributes, id: string): void {
    const config = readConfig({ server, site, authUrl });
    const key = config && id ? `${config.server} ${config.site} ${config.authUrl} ${id}` : '';
    if (key === this.#key) return;
    this.#detach();
    this.#key = key;
    const connection = this.#connection.use(key ? config : null);
    if (!connection) return;
    const store = (this.store = this.#storeFor(connection, id));
    this.#unsubscribe = store.subscribe(this.#onChange);
    store.start();
  }

  /** Back in the document after a move: the next update follows the store again. */
  hostConnected(): void {
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#detach();
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.store?.stop();
    this.#connection.hostDisconnected();
    this.#unsubscribe = this.store = null;
    this.#key = '';
  }
}
