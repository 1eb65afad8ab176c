import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_DEMO_DIR, DEFAULT_WIDGETS_DIR, SERVER_VERSION } from './paths.js';
import { createRequestListener } from './http/routes.js';
import { AccessService } from './services/access.js';
import { AddressHasher } from './services/client-address.js';
import { CrisisAlerts } from './services/crisis-alerts.js';
import { HostTokenVerifier } from './services/host-token.js';
import { IdentityService, loadSigningSecret } from './services/identity.js';
import { RateLimits, type LimitName } from './services/rate-limits.js';
import { ModerationService } from './services/moderation.js';
import { SessionService } from './services/session.js';
import { SiteService } from './services/sites.js';
import { ThreadService } from './services/thread.js';
import { WritePipeline } from './services/write-pipeline.js';
import { createSocketServer, handleConnections, moderatorNotifier, publisherFor } from './socket/socket-server.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import type { RateLimitSetting, Store } from './store/store.js';

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
  let alerts: CrisisAlerts | undefined;
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
    const publish = publisherFor(io, sites);
    alerts = new CrisisAlerts({
      log,
      ...(options.smtpUrl && { smtpUrl: options.smtpUrl }),
      ...(options.smtpFrom && { smtpFrom: options.smtpFrom }),
      ...(options.publicUrl && { publicUrl: options.publicUrl }),
    });
    const moderation = new ModerationService({ store, sites, access, pipeline, publish, notify: moderatorNotifier(io), alerts, now, log });
    const threads = new ThreadService({ store, now, publish, access, pipeline, moderation });
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
    handleConnections(io, { sites, sessions, access, threads, moderation, trustProxy, log });

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

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        // Stops accepting, disconnects every socket and closes the HTTP server once requests finish.
        const closed = new Promise<void>((resolve) => void io.close(() => resolve()));
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        force.unref();
        await closed;
        clearTimeout(force);
        alerts?.close();
        await store.close();
      })());

    return { url: `http://${urlHost(host)}:${port}`, port, store, close };
  } catch (error) {
    httpServer?.close();
    await store.close();
    throw error;
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
