import type { Identity, IntroductionServerEvents, ModerationServerEvents, TopicEvent } from '@kindred/protocol';
import { AccessService } from '../services/access.js';
import type { Caller } from '../services/caller.js';
import { AddressHasher } from '../services/client-address.js';
import { CrisisAlerts } from '../services/crisis-alerts.js';
import { HostTokenVerifier } from '../services/host-token.js';
import { IdentityService } from '../services/identity.js';
import { IntroductionService } from '../services/introductions.js';
import { MatchRounds } from '../services/match-rounds.js';
import { LIMIT_NAMES, RateLimits } from '../services/rate-limits.js';
import { Mailer } from '../services/mailer.js';
import { QuestionMail } from '../services/question-mail.js';
import { QuestionService } from '../services/questions.js';
import { ModerationService } from '../services/moderation.js';
import { SiteService } from '../services/sites.js';
import { ThreadService } from '../services/thread.js';
import { WritePipeline } from '../services/write-pipeline.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { isThreadTopic, QUESTION_TOPIC_PREFIX, type QuestionRecord, type Store } from '../store/store.js';
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
  questions: QuestionService;
  questionMail: QuestionMail;
  /** Every question the relay was asked to fan out, in order, with its site. */
  relayed: Array<{ siteId: string; question: QuestionRecord }>;
  introductions: IntroductionService;
  rounds: MatchRounds;
  /** Every `intro:event`, in order, with the member it was for. */
  introEvents: Array<{ siteId: string; userId: string; event: IntroductionServerEvents['intro:event'] }>;
  clock: { now: Date; advance(ms: number): void };
  guest(name: string, siteId?: string): Promise<Caller & { user: Identity }>;
  dispose(): Promise<void>;
}

/** Real services on a real SQLite file, with a clock the test moves and a publish that records. */
export async function serviceFixture(options: { smtpUrl?: string } = {}): Promise<ServiceFixture> {
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
  const relayed: ServiceFixture['relayed'] = [];
  // As in the server: changes to questions and introductions made elsewhere (moderation, deletion) go to their service.
  const publish = (siteId: string, event: TopicEvent) => {
    published.push({ siteId, event });
    if (isThreadTopic(event.topic)) return;
    void (event.topic.startsWith(QUESTION_TOPIC_PREFIX) ? questions : introductions).storedChange(siteId, event);
  };
  const introEvents: ServiceFixture['introEvents'] = [];
  const mailer = new Mailer({ log: { error: () => {} }, ...(options.smtpUrl && { smtpUrl: options.smtpUrl }) });
  const moderation = new ModerationService({
    store,
    sites,
    access,
    pipeline,
    publish,
    notify: (siteId, event) => void modEvents.push({ siteId, event }),
    alerts: new CrisisAlerts({ log: { error: () => {} }, mailer }),
    now,
    log: { error: () => {} },
    mayReport: (post, user) => introductions.mayReport(post, user),
  });
  const threads = new ThreadService({ store, now, publish, access, pipeline, moderation });
  const questionMail = new QuestionMail({ store, mailer, now });
  const questions = new QuestionService({
    store,
    access,
    pipeline,
    moderation,
    relay: (siteId, question) => void relayed.push({ siteId, question }),
    mail: questionMail,
    now,
    log: { error: () => {} },
  });
  const introductions: IntroductionService = new IntroductionService({
    store,
    access,
    pipeline,
    moderation,
    notify: (siteId, userId, event) => void introEvents.push({ siteId, userId, event }),
    now,
  });
  const rounds = new MatchRounds({ store, now });
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
    questions,
    questionMail,
    relayed,
    introductions,
    rounds,
    introEvents,
    clock,
    async guest(name, siteId = 'riverside') {
      const { user } = await identity.signInGuest(siteId, { displayName: name });
      return { siteId, user };
    },
    async dispose() {
      mailer.close();
      await store.close();
      dir.remove();
    },
  };
}
