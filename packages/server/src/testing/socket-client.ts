import type { Ack, ServerEvents } from '@kindred/protocol';
import Database from 'better-sqlite3';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

export type TestClient = Socket & {
  /** Emits and resolves with the acknowledgement (any event name, any arguments). */
  ask<T = unknown>(event: string, ...args: unknown[]): Promise<Ack<T>>;
};

/** A socket.io client for one test: no reconnection, its own connection. */
export function client(
  url: string,
  options: { site?: string; token?: string; query?: Record<string, string> } & Partial<ManagerOptions & SocketOptions> = {},
): TestClient {
  const { site = 'demo', token, query, ...rest } = options;
  const socket = io(url, {
    forceNew: true,
    reconnection: false,
    query: { site, v: '1', ...query },
    ...(token !== undefined && { auth: { token } }),
    ...rest,
  }) as TestClient;
  socket.ask = <T>(event: string, ...args: unknown[]) =>
    socket.timeout(15_000).emitWithAck(event, ...args) as Promise<Ack<T>>;
  return socket;
}

/** The data of a successful acknowledgement; throws with the code and message of a refusal. */
export function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Resolves with the `session` event, or rejects with the connect error. */
export function session(socket: Socket): Promise<ServerEvents['session']> {
  return new Promise((resolve, reject) => {
    socket.once('session', resolve);
    socket.once('connect_error', reject);
  });
}

export function connectError(socket: Socket): Promise<Error & { description?: unknown; context?: unknown; data?: unknown }> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
  });
}

export function nextEvent<T>(socket: Socket, name: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${name}" within ${timeoutMs} ms`)), timeoutMs);
    socket.once(name, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Row counts read straight from the database file, to prove a refusal wrote nothing. */
export function countRows(dbPath: string): { users: number; posts: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { users: count('users'), posts: count('posts') };
  } finally {
    db.close();
  }
}
