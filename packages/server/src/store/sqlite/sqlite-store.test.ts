import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir.js';
import { describeIntroductionContract } from '../introduction-contract.js';
import { describeStoreContract, type StoreFixture } from '../store-contract.js';
import type { Store } from '../store.js';
import { migrations } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

/** A fresh database file per test, in a folder that does not exist yet. */
const sqliteFixture = async (): Promise<StoreFixture> => {
  const dir = tempDir();
  const path = dir.file('nested/folder/kindred.db');
  let current: Store = openSqliteStore(path);
  return {
    store: current,
    reopen: async () => (current = openSqliteStore(path)),
    dispose: async () => {
      await current.close();
      dir.remove();
    },
  };
};

describeStoreContract('sqlite', sqliteFixture);
describeIntroductionContract('sqlite', sqliteFixture);

describe('SQLite store specifics', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('opens in WAL mode with full sync and foreign keys, and records migrations', async () => {
    const path = dir.file('pragmas.db');
    const store = openSqliteStore(path);
    expect(await store.migrate()).toEqual(migrations.map((migration) => migration.version));
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(migrations.map(({ version, name }) => ({ version, name })));
    db.close();

    const again = openSqliteStore(path);
    expect(await again.migrate()).toEqual([]);
    const raw = (again as unknown as { db: Database.Database }).db;
    expect(raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    await again.close();
  });

  it('refuses a post by a user that does not exist', async () => {
    const store = openSqliteStore(dir.file('fk.db'));
    await store.migrate();
    await store.saveSite({ id: 'site', name: 'Site', origins: [] }, new Date().toISOString());
    await expect(
      store.createPost({
        siteId: 'site', topic: 't', clientId: 'c', authorId: 'ghost', parentId: null, rootId: null,
        depth: 0, replyToName: null, body: 'x', createdAt: new Date().toISOString(),
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await store.topicSeq('site', 't')).toBe(0);
    await store.close();
  });
});
