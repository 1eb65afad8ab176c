import type { Identity, ModerationServerEvents, TopicEvent } from '@kindred/protocol';
import { AccessService } from '../services/access.js';
import type { Caller } from '../services/caller.js';
import { AddressHasher } from '../services/client-address.js';
import { CrisisAlerts } from '../services/crisis-alerts.js';
import { HostTokenVerifier } from '../services/host-token.js';
import { IdentityService } from '../services/identity.js';
import { LIMIT_NAMES, RateLimits } from '../services/rate-limits.js';
import { ModerationService } from '../services/moderation.js';
import { SiteService } from '../services/sites.js';
import { ThreadService } from '../services/thread.js';
import { WritePipeline } from '../services/write-pipeline.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { tempDir } from './temp-dir.js';

export interface ServiceFixture {
  store: Store;
  threads: ThreadService;
  identity: IdentityService;
  sites: SiteService;
  /** Everything published, in order, with its site. */
  published: Array<{ siteId: string; event: TopicEvent }>;
  moderation: ModerationService;
  /** Every `mod:event` sent to a site's moderators, in order. */
  modEvents: Array<{ siteId: string; event: ModerationServerEvents['mod:event'] }>;
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
  for (const id of ['riverside', 'elsewhere']) {
    await store.saveSite({ id, name: id, origins: [] }, now().toISOString());
    // Thread rules are tested here; holding a guest's first post is tested with moderation.
    await store.updateSite(id, { moderation: { heldFirstPosts: { guest: 0, member: 0 } } });
  }
  const published: ServiceFixture['published'] = [];
  const modEvents: ServiceFixture['modEvents'] = [];
  const sites = new SiteService(store);
  const access = new AccessService({ sites, store, now });
  // Thread rules are tested here; rate limits have their own tests, so these never engage.
  const limits = new RateLimits(Object.fromEntries(LIMIT_NAMES.map((name) => [name, { points: 1_000_000, durationSec: 1 }])));
  const pipeline = new WritePipeline({ access, limits, hasher: new AddressHasher({ store, now }), store });
  const publish = (siteId: string, event: TopicEvent) => void published.push({ siteId, event });
  const moderation = new ModerationService({
    store,
    sites,
    access,
    pipeline,
    publish,
    notify: (siteId, event) => void modEvents.push({ siteId, event }),
    alerts: new CrisisAlerts({ log: { error: () => {} } }),
    now,
    log: { error: () => {} },
  });
  const threads = new ThreadService({ store, now, publish, access, pipeline, moderation });
  const identity = new IdentityService({
    store,
    now,
    secret: new TextEncoder().encode('x'.repeat(32)),
    hostTokens: new HostTokenVerifier({ store, now, log: { error: () => {} } }),
  });
  return {
    store,
    threads,
    identity,
    sites,
    published,
    moderation,
    modEvents,
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
