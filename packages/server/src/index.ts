import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_DEMO_DIR, DEFAULT_WIDGETS_DIR, SERVER_VERSION } from './paths.js';
import { createRequestListener } from './http/routes.js';
import { AccessService } from './services/access.js';
import { AddressHasher } from './services/client-address.js';
import { CrisisAlerts } from './services/crisis-alerts.js';
import { HostTokenVerifier } from './services/host-token.js';
import { IdentityService, loadSigningSecret } from './services/identity.js';
import { IntroductionService } from './services/introductions.js';
import { MatchRounds } from './services/match-rounds.js';
import { RoundSchedule } from './services/round-schedule.js';
import { RateLimits, type LimitName } from './services/rate-limits.js';
import { ModerationService } from './services/moderation.js';
import { Mailer } from './services/mailer.js';
import { QuestionMail } from './services/question-mail.js';
import { QuestionService } from './services/questions.js';
import { SessionService } from './services/session.js';
import { SiteService } from './services/sites.js';
import { ThreadService, type Publish } from './services/thread.js';
import { WritePipeline } from './services/write-pipeline.js';
import { createSocketServer, handleConnections, memberNotifier, moderatorNotifier, publisherFor, questionRelay } from './socket/socket-server.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import { isThreadTopic, QUESTION_TOPIC_PREFIX, type RateLimitSetting, type Store } from './store/store.js';

export type { Store } from './store/store.js';
export { ServiceError } from './errors.js';

export type Logger = Pick<Console, 'info' | 'error'>;

export interface StartOptions {
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Default 127.0.0.1; `main.ts` passes HOST (default 0.0.0.0). */
  host?: string;
  /** SQLite file; created with its folder when missing. */
  dbPath: string;
  /** The built widget bundle, served at `/`. Default `<repo>/packages/widgets/dist`. */
  widgetsDir?: string;
  /** The demo site, served at `/demo/`. Default `<repo>/demo`. */
  demoDir?: string;
  /** Extra origins the `demo` site accepts, besides this server's own. */
  demoOrigins?: string[];
  /** Where visitors reach this server when it sits behind a proxy; its origin is allowed for `demo`. */
  publicUrl?: string;
  /** Session-token key (KINDRED_SECRET); generated and kept in the store when absent. */
  secret?: string;
  /** HS256 secret for host tokens of the `demo` site (KINDRED_DEMO_SECRET), so a demo backend can sign members in. */
  demoSecret?: string;
  /** Behind a reverse proxy (KINDRED_TRUST_PROXY=1): the client address is the first X-Forwarded-For entry. */
  trustProxy?: boolean;
  /** Server-wide defaults for rate limits, by name; sites override them. */
  rateLimits?: Partial<Record<LimitName, RateLimitSetting>>;
  /**
   * How many first posts of the `demo` site are held for review, applied on
   * every start (KINDRED_DEMO_HELD_FIRST_POSTS). Tests that are not about
   * moderation pass `{ guest: 0, member: 0 }`; the demo's default holds a guest's first post.
   */
  demoHeldFirstPosts?: { guest: number; member: number };
  /** KINDRED_SMTP_URL: crisis alerts are emailed through it to a site's `alertEmail`. */
  smtpUrl?: string;
  /** KINDRED_SMTP_FROM: the sender of alert emails. */
  smtpFrom?: string;
  /** KINDRED_EXPERT_DIGEST_HOUR: the hour (UTC, 0–23) experts are emailed the questions waiting more than a day; off when unset or without SMTP. */
  expertDigestHour?: number;
  /** KINDRED_ROUND_POLL_MS: how often the server looks for introduction rounds the CLI ran, to tell members live. Default 5000. */
  roundPollMs?: number;
  now?: () => Date;
  log?: Logger;
}

export interface RunningServer {
  /** Base URL to reach the server from this machine, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

/** Opens the store, applies migrations, seeds the demo site and listens. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? console;
  const host = options.host ?? '127.0.0.1';
  const store = openSqliteStore(options.dbPath);
  let httpServer: HttpServer | undefined;
  let mailer: Mailer | undefined;
  let stopDigests: (() => void) | undefined;
  let schedule: RoundSchedule | undefined;
  try {
    await store.migrate();
    const trustProxy = options.trustProxy ?? false;
    const sites = new SiteService(store);
    const limits = new RateLimits(options.rateLimits);
    const hasher = new AddressHasher({ store, now });
    const io = createSocketServer({ sites, limits, hasher, trustProxy, log });
    const identity = new IdentityService({
      store,
      now,
      secret: await loadSigningSecret(store, options.secret),
      hostTokens: new HostTokenVerifier({ store, now, log }),
    });
    const access = new AccessService({ sites, store, now });
    const pipeline = new WritePipeline({ access, limits, hasher, store });
    const publishThread = publisherFor(io, sites);
    // Questions, about-mes and conversation messages are posts too: their changes (a moderator's approval,
    // a report, a deletion) go to the service that knows who may see them.
    const publish: Publish = (siteId, event) => {
      if (isThreadTopic(event.topic)) return publishThread(siteId, event);
      const owner = event.topic.startsWith(QUESTION_TOPIC_PREFIX) ? questions : introductions;
      owner.storedChange(siteId, event).catch((error: unknown) => log.error('kindred: relaying a change failed', error));
    };
    mailer = new Mailer({ log, ...(options.smtpUrl && { smtpUrl: options.smtpUrl }), ...(options.smtpFrom && { smtpFrom: options.smtpFrom }) });
    const alerts = new CrisisAlerts({ log, mailer, ...(options.publicUrl && { publicUrl: options.publicUrl }) });
    const mayReport: IntroductionService['mayReport'] = (post, user) => introductions.mayReport(post, user);
    const moderation = new ModerationService({ store, sites, access, pipeline, publish, notify: moderatorNotifier(io), alerts, now, log, mayReport });
    const threads = new ThreadService({ store, now, publish, access, pipeline, moderation });
    const questionMail = new QuestionMail({ store, mailer, now });
    const questions = new QuestionService({ store, access, pipeline, moderation, relay: questionRelay(io, log), mail: questionMail, now, log });
    const introductions = new IntroductionService({ store, access, pipeline, moderation, notify: memberNotifier(io), now });
    schedule = new RoundSchedule({ store, rounds: new MatchRounds({ store, now }), introductions, now, log, pollMs: options.roundPollMs ?? 5_000 });
    const sessions = new SessionService({ sites, identity, access, limits, hasher });

    const server = createServer(
      createRequestListener({
        store,
        sites,
        threads,
        identity,
        moderation,
        version: SERVER_VERSION,
        widgetsDir: options.widgetsDir ?? DEFAULT_WIDGETS_DIR,
        demoDir: options.demoDir ?? DEFAULT_DEMO_DIR,
        log,
      }),
    );
    httpServer = server;
    // Attached after the request listener exists, so socket.io can route /socket.io/ ahead of it.
    io.attach(server);
    handleConnections(io, { sites, sessions, access, threads, moderation, questions, introductions, trustProxy, log });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8080, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    await sites.ensureDemoSite(
      [
        `http://localhost:${port}`,
        `http://127.0.0.1:${port}`,
        `http://[::1]:${port}`,
        ...(options.publicUrl ? [options.publicUrl] : []),
        ...(options.demoOrigins ?? []),
      ],
      now(),
      options.demoSecret,
      options.demoHeldFirstPosts ? { heldFirstPosts: options.demoHeldFirstPosts } : {},
    );

    await schedule.start();
    if (mailer.enabled && options.expertDigestHour !== undefined) {
      stopDigests = scheduleDaily(options.expertDigestHour, now, async () => {
        for (const site of await store.listSites()) await questionMail.sendDigests(site.id);
      }, log);
    }

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        // Stops accepting, disconnects every socket and closes the HTTP server once requests finish.
        const closed = new Promise<void>((resolve) => void io.close(() => resolve()));
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        force.unref();
        await closed;
        clearTimeout(force);
        stopDigests?.();
        schedule?.stop();
        mailer?.close();
        await store.close();
      })());

    return { url: `http://${urlHost(host)}:${port}`, port, store, close };
  } catch (error) {
    schedule?.stop();
    httpServer?.close();
    await store.close();
    throw error;
  }
}

/** Runs `job` every day at `hour` UTC until stopped; the timer never keeps the process alive. */
function scheduleDaily(hour: number, now: () => Date, job: () => Promise<void>, log: Logger): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const next = new Date(now());
    next.setUTCHours(hour, 0, 0, 0);
    if (next.getTime() <= now().getTime()) next.setUTCDate(next.getUTCDate() + 1);
    timer = setTimeout(() => {
      job()
        .catch((error: unknown) => log.error('kindred: the expert digest failed', error))
        .finally(arm);
    }, next.getTime() - now().getTime());
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
