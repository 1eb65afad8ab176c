import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Store } from '../store/store.js';

/**
 * A visitor's network address, held only in memory and only to be hashed:
 * it has no accessor, and prints as a placeholder if it ever reaches a log.
 */
export class ClientAddress {
  readonly #raw: string;

  constructor(raw: string) {
    this.#raw = raw;
  }

  /** Only the hasher reads it. */
  static rawOf(address: ClientAddress): string {
    return address.#raw;
  }

  toString(): string {
    return '[client address]';
  }

  toJSON(): string {
    return '[client address]';
  }
}

/**
 * The address a request came from. Behind a reverse proxy (`trustProxy`,
 * KINDRED_TRUST_PROXY=1) the first X-Forwarded-For entry is the visitor;
 * otherwise that header is anyone's to forge, so the socket's peer is used.
 */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): ClientAddress {
  let raw = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    if (first) raw = first;
  }
  return new ClientAddress(raw.startsWith('::ffff:') ? raw.slice('::ffff:'.length) : raw);
}

/**
 * Turns addresses into keys for rate limits (and later bans): HMAC-SHA256
 * with a salt that changes every UTC day. The salt lives in the store so
 * nodes agree; yesterday's is deleted, so yesterday's keys cannot be linked
 * back to an address by anyone who later reads the database.
 */
export class AddressHasher {
  private current: { day: string; salt: Promise<string> } | undefined;

  constructor(private readonly deps: { store: Store; now: () => Date }) {}

  async key(address: ClientAddress): Promise<string> {
    const day = this.deps.now().toISOString().slice(0, 10);
    if (this.current?.day !== day) {
      const salt = this.deps.store.dailySalt(day, () => randomBytes(32).toString('base64url'));
      this.current = { day, salt };
      salt.catch(() => {
        if (this.current?.salt === salt) this.current = undefined;
      });
    }
    const salt = await this.current.salt;
    return createHmac('sha256', salt).update(ClientAddress.rawOf(address)).digest('base64url');
  }
}
