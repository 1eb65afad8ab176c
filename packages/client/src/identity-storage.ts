import type { Identity } from '@kindred/protocol';
import type { KindredConfig } from './config.js';

/** What the server issued: a signed token and the identity it stands for. */
export interface StoredIdentity {
  token: string;
  user: Identity;
}

/**
 * Keeps the visitor's token per server and site in localStorage, or in memory
 * when storage is missing or throws (private modes, blocked third-party storage).
 */
export class IdentityStorage {
  readonly key: string;
  #memory: string | null = null;
  #storage: Storage | null;

  constructor(config: KindredConfig, storage: Storage | null = defaultStorage()) {
    this.key = `kindred:v1:${config.server}:${config.site}:identity`;
    this.#storage = storage;
  }

  load(): StoredIdentity | null {
    let raw: string | null = null;
    try {
      raw = this.#storage?.getItem(this.key) ?? null;
    } catch {
      // storage refused: the in-memory copy below is all we have
    }
    raw ??= this.#memory;
    try {
      const value = raw ? (JSON.parse(raw) as StoredIdentity) : null;
      return typeof value?.token === 'string' && value.user ? value : null;
    } catch {
      return null;
    }
  }

  save(value: StoredIdentity): void {
    this.#memory = JSON.stringify(value);
    try {
      this.#storage?.setItem(this.key, this.#memory);
    } catch {
      // kept in memory for this page
    }
  }

  clear(): void {
    this.#memory = null;
    try {
      this.#storage?.removeItem(this.key);
    } catch {
      // nothing stored
    }
  }
}

function defaultStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
