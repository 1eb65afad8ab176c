/**
 * The client's tests run against the real Kindred server on a temporary
 * SQLite file. `useRealServer()` registers the hooks that start it, close
 * every connection after each test and stop it; the helpers are what a test
 * does with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '@kindred/server';
import { Connection } from '../connection.js';
import { ThreadStore } from '../thread-store.js';

export async function until(check: () => boolean, what = 'condition', ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RealServer {
  /** A visitor on their own socket; signed in as a guest when given a name. */
  visitor(name?: string): Promise<Connection>;
  /** A started thread store, once its first page is loaded. */
  thread(connection: Connection, topic: string): Promise<ThreadStore>;
  /** A topic no other test uses. */
  newTopic(): string;
}

export function useRealServer(prefix: string): RealServer {
  let server: RunningServer;
  let dir: string;
  const open: Connection[] = [];
  let topicCount = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `kindred-${prefix}-`));
    // Posts are public at once here; the first-post hold is the server's to test.
    server = await startServer({
      port: 0,
      dbPath: join(dir, 'kindred.db'),
      log: { info() {}, error: console.error },
      demoHeldFirstPosts: { guest: 0, member: 0 },
    });
  });
  afterEach(() => {
    for (const connection of open.splice(0)) connection.close();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    visitor: async (name) => {
      const connection = new Connection({ server: server.url, site: 'demo' }, null);
      open.push(connection);
      await until(() => connection.status === 'online', 'online');
      if (name) await connection.signInAsGuest(name);
      return connection;
    },
    thread: async (connection, topic) => {
      const store = new ThreadStore(connection, topic);
      store.start();
      await until(() => store.status === 'ready', 'the first page');
      return store;
    },
    newTopic: () => `${prefix}-${Date.now().toString(36)}-${++topicCount}`,
  };
}
