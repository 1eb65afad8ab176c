import type { Identity, TopicEvent } from '@kindred/protocol';
import { IdentityService } from '../services/identity.js';
import type { Caller } from '../services/caller.js';
import { ThreadService } from '../services/thread.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { tempDir } from './temp-dir.js';

export interface ServiceFixture {
  store: Store;
  threads: ThreadService;
  identity: IdentityService;
  /** Everything published, in order, with its site. */
  published: Array<{ siteId: string; event: TopicEvent }>;
  clock: { now: Date; advance(ms: number): void };
  guest(name: string, siteId?: string): Promise<Caller & { user: Identity }>;
  dispose(): Promise<void>;
}

/** Real services on a real SQLite file, with a clock the test moves and a publish that records. */
export async function serviceFixture(): Promise<ServiceFixture> {
  const dir = tempDir();
  const store = openSqliteStore(dir.file('kindred.db'));
  await store.migrate();
  const clock = {
    now: new Date('2026-03-01T10:00:00.000Z'),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const now = () => clock.now;
  for (const id of ['riverside', 'elsewhere']) await store.saveSite({ id, name: id, origins: [] }, now().toISOString());
  const published: ServiceFixture['published'] = [];
  const threads = new ThreadService({ store, now, publish: (siteId, event) => published.push({ siteId, event }) });
  const identity = new IdentityService({ store, now, secret: new TextEncoder().encode('x'.repeat(32)) });
  return {
    store,
    threads,
    identity,
    published,
    clock,
    async guest(name, siteId = 'riverside') {
      const { user } = await identity.signInGuest(siteId, { displayName: name });
      return { siteId, user };
    },
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
}
