import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@kindred/server';
import { readConfig, CONFIG_KEY } from './config.js';
import { Connection, getConnection } from './connection.js';
import { IdentityStorage } from './identity-storage.js';

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kindred-connection-'));
  // Posts are public at once here; the first-post hold is the server's to test.
  server = await startServer({
    port: 0,
    dbPath: join(dir, 'kindred.db'),
    log: { info() {}, error: console.error },
    demoHeldFirstPosts: { guest: 0, member: 0 },
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A Storage whose every call throws, like Safari's blocked third-party storage. */
const throwingStorage = new Proxy({} as Storage, {
  get: () => () => {
    throw new DOMException('denied', 'SecurityError');
  },
});

class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  map = new Map<string, string>();
  getItem = (key: string) => this.map.get(key) ?? null;
  setItem = (key: string, value: string) => void this.map.set(key, value);
  removeItem = (key: string) => void this.map.delete(key);
}

describe('Connection', () => {
  it('reports a refused site from the handshake', async () => {
    const connection = new Connection({ server: server.url, site: 'nowhere' }, null);
    await until(() => connection.status !== 'connecting');
    expect(connection.status).toBe('refused');
    expect(connection.refusal).toBe('UNKNOWN_SITE');
    connection.close();
  });

  it('keeps the guest token per server and site, resumes with it, and forgets it on sign-out', async () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const config = { server: server.url, site: 'demo' };
    const first = new Connection(config, storage);
    await until(() => first.status === 'online');
    const user = await first.signInAsGuest('  Carol   Ann ');
    expect(user).toMatchObject({ name: 'Carol Ann', kind: 'guest' });
    const key = `kindred:v1:${server.url}:demo:identity`;
    expect(JSON.parse(storage.getItem(key)!)).toMatchObject({ user });
    first.close();

    const second = new Connection(config, storage);
    await until(() => second.status === 'online');
    expect(second.identity).toEqual(user);
    second.signOut();
    expect(storage.getItem(key)).toBeNull();
    await until(() => second.status === 'online');
    expect(second.identity).toBeNull();
    second.close();
  });

  it('forgets a token the server no longer accepts', async () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const config = { server: server.url, site: 'demo' };
    new IdentityStorage(config, storage).save({ token: 'forged', user: { id: 'x', name: 'X', kind: 'guest' } });
    const connection = new Connection(config, storage);
    await until(() => connection.status === 'online');
    expect(connection.identity).toBeNull();
    expect(new IdentityStorage(config, storage).load()).toBeNull();
    connection.close();
  });

  it('shares one connection per server, site and auth URL', () => {
    const config = { server: server.url, site: 'demo' };
    const shared = getConnection(config);
    expect(getConnection({ ...config })).toBe(shared);
    expect(getConnection({ ...config, site: 'other' })).not.toBe(shared);
    const withAuth = getConnection({ ...config, authUrl: 'http://127.0.0.1:9/token' });
    expect(withAuth).not.toBe(shared);
    expect(getConnection({ ...config, authUrl: 'http://127.0.0.1:9/token' })).toBe(withAuth);
    for (const connection of [withAuth, getConnection({ ...config, site: 'other' }), shared]) connection.close();
  });
});

describe('IdentityStorage', () => {
  it('falls back to memory when storage throws', () => {
    const storage = new IdentityStorage({ server: 'https://k.example', site: 'demo' }, throwingStorage);
    const value = { token: 't', user: { id: 'u', name: 'Una', kind: 'guest' as const } };
    storage.save(value);
    expect(storage.load()).toEqual(value);
    storage.clear();
    expect(storage.load()).toBeNull();
  });
});

describe('readConfig', () => {
  it("prefers the element's attributes over the loader's page configuration", () => {
    const page = globalThis as unknown as Record<symbol, unknown>;
    page[CONFIG_KEY] = { server: 'https://kindred.example', site: 'riverside' };
    expect(readConfig()).toEqual({ server: 'https://kindred.example', site: 'riverside' });
    expect(readConfig({ site: 'other', server: '' })).toEqual({ server: 'https://kindred.example', site: 'other' });
    page[CONFIG_KEY] = { server: 'https://kindred.example', site: 'riverside', authUrl: '/kindred-token' };
    expect(readConfig()).toEqual({ server: 'https://kindred.example', site: 'riverside', authUrl: '/kindred-token' });
    expect(readConfig({ authUrl: '/other-token' })?.authUrl).toBe('/other-token');
    page[CONFIG_KEY] = { server: 'https://kindred.example', site: '' };
    expect(readConfig()).toBeNull();
    delete page[CONFIG_KEY];
  });
});
