/**
 * Runs the real Kindred server as a child process, exactly as `pnpm demo`
 * does (tsx + src/main.ts on a SQLite file), so the e2e suite exercises the
 * shipped entry point. `restart()` stops it and starts it again on the same
 * database file and port.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './net.js';

const repoRoot = new URL('../../', import.meta.url).pathname;

export interface KindredServer {
  url: string;
  port: number;
  dbPath: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Runs the operator's `kindred` command on this server's database; resolves with what it printed. */
  cli(...args: string[]): Promise<string>;
}

export interface KindredOptions {
  demoOrigins?: string[];
  /** KINDRED_DEMO_SECRET: lets a test's host backend sign members into the demo site. */
  demoSecret?: string;
  /**
   * KINDRED_RATE_LIMITS. A test visitor does in seconds what a person does in
   * an afternoon, so suites that are not about limits get roomy ones.
   */
  rateLimits?: string;
  /**
   * KINDRED_DEMO_HELD_FIRST_POSTS. Suites that are not about moderation turn
   * the first-post hold off so a guest's post is public at once; the
   * moderation suite turns it on where it needs it.
   */
  heldFirstPosts?: string;
  /** KINDRED_SMTP_URL: where alerts and answer notifications are emailed (an in-process SMTP server in tests). */
  smtpUrl?: string;
  /** KINDRED_ROUND_POLL_MS: how soon the server notices a round `cli('match', 'run', …)` made. Default 200 here. */
  roundPollMs?: number;
}

export const ROOMY_RATE_LIMITS = 'posts=200/60,postsPerAddress=400/60,signIns=200/60,connects=200/60';

export async function startKindred(options: KindredOptions = {}): Promise<KindredServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kindred-e2e-'));
  const dbPath = join(dataDir, 'kindred.db');
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        KINDRED_DB: dbPath,
        KINDRED_DEMO_ORIGINS: (options.demoOrigins ?? []).join(','),
        KINDRED_RATE_LIMITS: options.rateLimits ?? ROOMY_RATE_LIMITS,
        KINDRED_DEMO_HELD_FIRST_POSTS: options.heldFirstPosts ?? 'guest:0,member:0',
        ...(options.demoSecret && { KINDRED_DEMO_SECRET: options.demoSecret }),
        ...(options.smtpUrl && { KINDRED_SMTP_URL: options.smtpUrl }),
        KINDRED_ROUND_POLL_MS: String(options.roundPollMs ?? 200),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child = proc;
    await waitFor(async () => {
      if (proc.exitCode !== null) throw new Error(`kindred server exited with ${proc.exitCode}`);
      const response = await fetch(`${url}/healthz`).catch(() => undefined);
      return response?.ok === true;
    }, 30_000);
  };

  const halt = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  };

  await launch();
  return {
    url,
    port,
    dbPath,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
    cli: async (...args) => {
      const { stdout } = await promisify(execFile)(process.execPath, ['packages/server/bin/kindred.js', ...args], {
        cwd: repoRoot,
        env: { ...process.env, KINDRED_DB: dbPath },
      });
      return stdout;
    },
  };
}
