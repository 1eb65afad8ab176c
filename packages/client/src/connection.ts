import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClientEventName,
  type ClientEvents,
  type Identity,
  type ServerEvents,
  type TopicEvent,
} from '@kindred/protocol';
import type { KindredConfig } from './config.js';
import { KindredError } from './errors.js';
import { IdentityStorage } from './identity-storage.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'refused';
/** Why the server refused this page: the site id is unknown, or it does not allow this origin. */
export type Refusal = 'ORIGIN_NOT_ALLOWED' | 'UNKNOWN_SITE';

export interface RequestOptions {
  /** How long to wait for the acknowledgement; a timeout throws code `UNAVAILABLE`. */
  timeoutMs?: number;
}

type Listener = () => void;
type TopicListener = (event: TopicEvent) => void;

/**
 * One socket to one Kindred server for one site, shared by every widget on the
 * page. Tracks the connection status and the visitor's identity, sends typed
 * requests and routes live topic events to their subscribers.
 */
export class Connection {
  status: ConnectionStatus = 'connecting';
  refusal: Refusal | null = null;
  /** Who the server says this visitor is; null for an anonymous reader. */
  identity: Identity | null = null;
  readonly config: KindredConfig;
  /** The underlying socket.io socket (exposed for tests and diagnostics). */
  readonly socket: Socket;
  #storage: IdentityStorage;
  #listeners = new Set<Listener>();
  #topics = new Map<string, Set<TopicListener>>();

  constructor(config: KindredConfig, storage?: Storage | null) {
    this.config = config;
    this.#storage = new IdentityStorage(config, storage);
    this.socket = io(config.server, {
      query: { site: config.site, v: String(PROTOCOL_VERSION) },
      // A function, so every reconnect sends the token held at that moment.
      auth: (cb) => cb({ token: this.#storage.load()?.token }),
    });
    this.socket.on('session', ({ user }: ServerEvents['session']) => {
      // A token the server no longer accepts (expired, revoked) is of no further use.
      if (!user) this.#storage.clear();
      this.identity = user;
      this.#set('online');
    });
    this.socket.on('disconnect', () => this.#set('offline'));
    this.socket.on('connect_error', (error) => {
      this.refusal = refusalOf(error);
      if (this.refusal) {
        // Retrying cannot help until the site's settings change.
        this.socket.disconnect();
        this.#set('refused');
      } else {
        this.#set('offline');
      }
    });
    this.socket.on('topic:event', (event: TopicEvent) => {
      for (const listener of this.#topics.get(event.topic) ?? []) listener(event);
    });
  }

  /** Calls `listener` after any change of status or identity; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` for each live event of `topic` (the topic must also be joined). */
  onTopicEvent(topic: string, listener: TopicListener): () => void {
    const listeners = this.#topics.get(topic) ?? new Set();
    this.#topics.set(topic, listeners.add(listener));
    return () => {
      listeners.delete(listener);
      if (!listeners.size) this.#topics.delete(topic);
    };
  }

  /** Sends one request; resolves with the acknowledged data or throws a KindredError. */
  async request<K extends ClientEventName>(
    name: K,
    req: ClientEvents[K]['req'],
    { timeoutMs = 10_000 }: RequestOptions = {},
  ): Promise<ClientEvents[K]['res']> {
    let ack: Ack<ClientEvents[K]['res']>;
    try {
      ack = await this.socket.timeout(timeoutMs).emitWithAck(name, req);
    } catch {
      throw new KindredError('UNAVAILABLE', 'The server did not answer in time.');
    }
    if (ack.ok) return ack.data;
    throw new KindredError(ack.error.code, ack.error.message, ack.error);
  }

  /** Asks the server for a guest identity under `displayName` and keeps its token. */
  async signInAsGuest(displayName: string): Promise<Identity> {
    const { token, user } = await this.request('session:guest', { displayName });
    this.#storage.save({ token, user });
    this.identity = user;
    this.#emit();
    return user;
  }

  /** Forgets the token and reconnects, so the server forgets this socket's identity too. */
  signOut(): void {
    this.#storage.clear();
    this.identity = null;
    this.reconnect();
  }

  /** Connects again at once (after a refusal, or to skip the reconnection back-off). */
  reconnect(): void {
    this.socket.disconnect();
    this.refusal = null;
    this.#set('connecting');
    this.socket.connect();
  }

  /** Closes the socket and removes this connection from the page's registry. */
  close(): void {
    this.socket.disconnect();
    connections.delete(keyOf(this.config));
    this.#set('offline');
  }

  #set(status: ConnectionStatus): void {
    this.status = status;
    this.#emit();
  }

  #emit(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/**
 * A refused origin or unknown site fails the polling handshake with HTTP 403
 * and a JSON body whose `message` is the code; a namespace middleware refusal
 * carries the code as the error message or in `data.code`.
 */
function refusalOf(error: Error & { description?: unknown; context?: unknown; data?: unknown }): Refusal | null {
  let code: unknown = (error.data as { code?: unknown } | undefined)?.code ?? error.message;
  if (error.description === 403) {
    try {
      code = JSON.parse((error.context as XMLHttpRequest).responseText).message;
    } catch {
      // not the JSON body we expect: keep what we have
    }
  }
  return code === 'ORIGIN_NOT_ALLOWED' || code === 'UNKNOWN_SITE' ? code : null;
}

const connections = new Map<string, Connection>();
const keyOf = ({ server, site }: KindredConfig): string => `${server} ${site}`;

/** The page's one connection to `config.server` for `config.site`. */
export function getConnection(config: KindredConfig): Connection {
  const key = keyOf(config);
  let connection = connections.get(key);
  if (!connection) connections.set(key, (connection = new Connection(config)));
  return connection;
}
