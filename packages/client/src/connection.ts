import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClientEventName,
  type ClientEvents,
  type ErrorCode,
  type Identity,
  type ServerEvents,
  type SiteInfo,
  type TopicEvent,
} from '@kindred/protocol';
import type { KindredConfig } from './config.js';
import { KindredError, toKindredError } from './errors.js';
import { HostAuth, type HostAuthOptions } from './host-auth.js';
import { IdentityStorage } from './identity-storage.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'refused';
/** Why the server refused this page: the site id is unknown, or it does not allow this origin. */
export type Refusal = 'ORIGIN_NOT_ALLOWED' | 'UNKNOWN_SITE';

export interface RequestOptions {
  /** How long to wait for the acknowledgement; a timeout throws code `UNAVAILABLE`. */
  timeoutMs?: number;
}

export interface ConnectionOptions {
  /** Test seams for the auth-URL follower (fetch, the window's events, the clock). */
  hostAuth?: Omit<HostAuthOptions, 'onChange'>;
  /** How long the first connect waits for the auth URL before going ahead without a token. */
  authWaitMs?: number;
}

type Listener = () => void;
type TopicListener = (event: TopicEvent) => void;
export type QuestionEvent = ServerEvents['qa:event'];

/**
 * One socket to one Kindred server for one site, shared by every widget on the
 * page. Tracks the connection status and the visitor's identity, sends typed
 * requests and routes live topic events to their subscribers. With an auth
 * URL it follows the visitor's sign-in on the host site (see HostAuth) and
 * signs the socket in and out to match.
 */
export class Connection {
  status: ConnectionStatus = 'connecting';
  refusal: Refusal | null = null;
  /** The server turned the connection away for now (too many from this network); socket.io keeps retrying. */
  rateLimited = false;
  /** Who the server says this visitor is; null for an anonymous reader. */
  identity: Identity | null = null;
  /** The site as the server describes it; null until the first session. */
  site: SiteInfo | null = null;
  /** Why the server refused the host site's sign-in token (e.g. `TOKEN_EXPIRED`); null once one is accepted. */
  signInError: ErrorCode | null = null;
  /** Follows the host site's sign-in when the configuration has an auth URL. */
  readonly hostAuth: HostAuth | null = null;
  readonly config: KindredConfig;
  /** The underlying socket.io socket (exposed for tests and diagnostics). */
  readonly socket: Socket;
  #storage: IdentityStorage;
  #listeners = new Set<Listener>();
  #topics = new Map<string, Set<TopicListener>>();
  /** The host token to present (memory only), what the server last saw, and one it refused. */
  #hostToken: string | null = null;
  #sentHostToken: string | null = null;
  #refusedToken: string | null = null;
  #hostSync: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(config: KindredConfig, storage?: Storage | null, options: ConnectionOptions = {}) {
    this.config = config;
    this.#storage = new IdentityStorage(config, storage);
    this.socket = io(config.server, {
      query: { site: config.site, v: String(PROTOCOL_VERSION) },
      // A function, so every reconnect sends the tokens held at that moment.
      auth: (cb) => {
        this.#sentHostToken = this.#hostToken;
        cb({ token: this.#storage.load()?.token, ...(this.#hostToken ? { hostToken: this.#hostToken } : {}) });
      },
      autoConnect: !config.authUrl,
    });
    this.socket.on('session', this.#onSession);
    this.socket.on('disconnect', () => this.#set('offline'));
    this.socket.on('connect_error', (error) => {
      const code = connectErrorCode(error);
      this.rateLimited = code === 'RATE_LIMITED';
      this.refusal = code === 'ORIGIN_NOT_ALLOWED' || code === 'UNKNOWN_SITE' ? code : null;
      if (this.rateLimited && !this.socket.active) {
        // Refused after the handshake (too many connections for this identity): socket.io does not retry that itself.
        const wait = (error as { data?: { retryAfterMs?: number } }).data?.retryAfterMs ?? 5000;
        setTimeout(this.#connectUnlessClosed, Math.max(wait, 1000));
        this.#set('offline');
      } else if (this.refusal) {
        // Retrying cannot help until the site's settings change.
        this.socket.disconnect();
        this.#set('refused');
      } else {
        this.#set('offline');
      }
    });
    if (config.authUrl) {
      const hostAuth = new HostAuth(config.authUrl, { ...options.hostAuth, onChange: this.#onHostToken });
      this.hostAuth = hostAuth;
      // Connect once the host has answered, so the first handshake already says who the visitor is.
      const wait = new Promise((resolve) => setTimeout(resolve, options.authWaitMs ?? 3000));
      void Promise.race([hostAuth.ready, wait]).then(this.#connectUnlessClosed);
    }
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

  /** Calls `listener` for each live question event of `topic` (the topic must also be watched with `question:watch`). */
  onQuestionEvent(topic: string, listener: (event: QuestionEvent) => void): () => void {
    // Filtered per listener: a page watches a topic or two, and the thread page carries no routing table.
    const route = (event: QuestionEvent): void => {
      if (event.topic === topic) listener(event);
    };
    this.socket.on('qa:event', route);
    return () => void this.socket.off('qa:event', route);
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

  /** Forgets the guest token and reconnects, so the server forgets this socket's identity too. */
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
    this.#closed = true;
    this.hostAuth?.close();
    this.socket.disconnect();
    connections.delete(keyOf(this.config));
    this.#set('offline');
  }

  #connectUnlessClosed = (): void => {
    if (!this.#closed && !this.socket.active) this.socket.connect();
  };

  #onSession = ({ user, site, reason }: ServerEvents['session']): void => {
    const sent = this.#sentHostToken;
    // The server looks only at the host token when there is one: the guest token was not in question.
    if (sent && reason && user?.kind !== 'member') this.#refuse(sent, reason);
    // A guest token the server no longer accepts (expired, revoked) is of no further use.
    else if (!user) this.#storage.clear();
    if (user?.kind === 'member') this.#signedInAsMember();
    this.identity = user;
    this.site = site ?? this.site;
    this.rateLimited = false;
    this.#set('online');
    this.#syncHostToken();
  };

  #onHostToken = (token: string | null): void => {
    // A token already refused is not sent again; the next one from the host may be good.
    if (token && token === this.#refusedToken) return;
    this.#hostToken = token;
    if (!token) this.signInError = null;
    this.#syncHostToken();
  };

  /** Brings the server in line with the host token (one request at a time): sign in, refresh or sign out. */
  #syncHostToken(): void {
    this.#hostSync = this.#hostSync.then(async () => {
      const token = this.#hostToken;
      if (!this.socket.connected || token === this.#sentHostToken) return;
      this.#sentHostToken = token;
      if (token) {
        try {
          const { user } = await this.request('session:member', { token });
          this.#signedInAsMember();
          this.identity = user;
        } catch (error) {
          const failure = toKindredError(error);
          // No answer: the next handshake carries the token anyway.
          if (failure.code === 'UNAVAILABLE') this.#sentHostToken = null;
          else {
            this.#refuse(token, failure.code);
            if (this.identity?.kind === 'member') await this.#signOutOnServer();
          }
        }
      } else if (this.identity?.kind === 'member') {
        await this.#signOutOnServer();
      }
      this.#emit();
    });
  }

  async #signOutOnServer(): Promise<void> {
    this.identity = null;
    this.#sentHostToken = null;
    await this.request('session:signout', {}).catch(() => {});
  }

  #refuse(token: string, code: ErrorCode): void {
    this.#refusedToken = token;
    if (this.#hostToken === token) this.#hostToken = null;
    this.#sentHostToken = null;
    this.signInError = code;
  }

  /** A member is never also shown as the guest this browser once was. */
  #signedInAsMember(): void {
    this.#storage.clear();
    this.signInError = null;
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
 * A refused origin, unknown site or too many connections fails the polling
 * handshake with HTTP 403 and a JSON body whose `message` is the code; a
 * namespace middleware refusal carries the code as the error message or in `data.code`.
 */
function connectErrorCode(error: Error & { description?: unknown; context?: unknown; data?: unknown }): unknown {
  let code: unknown = (error.data as { code?: unknown } | undefined)?.code ?? error.message;
  if (error.description === 403) {
    try {
      code = JSON.parse((error.context as XMLHttpRequest).responseText).message;
    } catch {
      // not the JSON body we expect: keep what we have
    }
  }
  return code;
}

const connections = new Map<string, Connection>();
const keyOf = ({ server, site, authUrl }: KindredConfig): string => `${server} ${site} ${authUrl ?? ''}`;

/**
 * The page's one connection to `config.server` for `config.site` (and its
 * auth URL: a page normally has one, so widgets still share one socket).
 */
export function getConnection(config: KindredConfig): Connection {
  const key = keyOf(config);
  let connection = connections.get(key);
  if (!connection) connections.set(key, (connection = new Connection(config)));
  return connection;
}
