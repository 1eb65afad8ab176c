import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { getConnection, type Connection, type ConnectionStatus, type KindredConfig } from '@kindred/client';
import type { Identity } from '@kindred/protocol';

/**
 * Puts a host element on the page's shared connection: re-renders it when
 * the connection status or the visitor's identity changes, and signs in and
 * out on its behalf (announcing a sign-in with `kindred-signed-in`).
 */
export class ConnectionController implements ReactiveController {
  connection: Connection | null = null;
  #host: ReactiveControllerHost & HTMLElement;
  #unsubscribe: (() => void) | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** Without a configuration the page cannot be served, just as if the server refused it. */
  get status(): ConnectionStatus {
    return this.connection?.status ?? 'refused';
  }

  get identity(): Identity | null {
    return this.connection?.identity ?? null;
  }

  /** Follows the connection for `config` (null when the page has none). */
  use(config: KindredConfig | null): Connection | null {
    this.hostDisconnected();
    this.connection = config && getConnection(config);
    this.#unsubscribe = this.connection?.subscribe(() => this.#host.requestUpdate()) ?? null;
    return this.connection;
  }

  async signInAsGuest(displayName: string): Promise<Identity | undefined> {
    const user = await this.connection?.signInAsGuest(displayName);
    if (user) {
      this.#host.dispatchEvent(
        new CustomEvent('kindred-signed-in', { detail: { user }, bubbles: true, composed: true }),
      );
    }
    return user;
  }

  signOut(): void {
    this.connection?.signOut();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}

declare global {
  interface HTMLElementEventMap {
    /** A visitor took a guest identity in a Kindred widget. */
    'kindred-signed-in': CustomEvent<{ user: Identity }>;
  }
}
