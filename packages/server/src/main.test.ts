import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { optionsFromEnv } from './config.js';
import { DEFAULT_DB_PATH } from './paths.js';
import { tempDir } from './testing/temp-dir.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('optionsFromEnv', () => {
  it('has operator defaults', () => {
    expect(optionsFromEnv({})).toEqual({ port: 8080, host: '0.0.0.0', dbPath: DEFAULT_DB_PATH, demoOrigins: [] });
  });

  it('reads every variable', () => {
    const options = optionsFromEnv({
      PORT: '9000',
      HOST: '127.0.0.1',
      KINDRED_DB: '/tmp/k.db',
      KINDRED_DEMO_ORIGINS: 'http://127.0.0.1:5173, http://localhost:3000,',
      KINDRED_PUBLIC_URL: 'https://kindred.riverside.example',
      KINDRED_SECRET: 's'.repeat(40),
      KINDRED_DEMO_HELD_FIRST_POSTS: 'guest:0,member:2',
      KINDRED_SMTP_URL: 'smtp://127.0.0.1:2525',
      KINDRED_SMTP_FROM: 'alerts@riverside.example',
    });
    expect(options).toEqual({
      port: 9000,
      host: '127.0.0.1',
      dbPath: '/tmp/k.db',
      demoOrigins: ['http://127.0.0.1:5173', 'http://localhost:3000'],
      publicUrl: 'https://kindred.riverside.example',
      secret: 's'.repeat(40),
      demoHeldFirstPosts: { guest: 0, member: 2 },
      smtpUrl: 'smtp://127.0.0.1:2525',
      smtpFrom: 'alerts@riverside.example',
    });
  });

  it('resolves a relative database path from where the command was typed', () => {
    expect(optionsFromEnv({ KINDRED_DB: 'data/x.db', INIT_CWD: '/srv/kindred' }).dbPath).toBe('/srv/kindred/data/x.db');
  });

  it('refuses values it cannot use, saying which', () => {
    expect(() => optionsFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => optionsFromEnv({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => optionsFromEnv({ KINDRED_DEMO_ORIGINS: 'localhost:3000' })).toThrow(/localhost:3000/);
    expect(() => optionsFromEnv({ KINDRED_RATE_LIMITS: 'posts=lots' })).toThrow(/posts=lots/);
    expect(() => optionsFromEnv({ KINDRED_RATE_LIMITS: 'likes=5/60' })).toThrow(/likes/);
    expect(() => optionsFromEnv({ KINDRED_DEMO_HELD_FIRST_POSTS: 'guests=0' })).toThrow(/guest:0,member:0/);
    expect(() => optionsFromEnv({ KINDRED_SMTP_URL: 'https://mail.example' })).toThrow(/smtp:\/\//);
  });

  it('reads server-wide rate-limit defaults', () => {
    expect(optionsFromEnv({ KINDRED_RATE_LIMITS: 'posts=10/60, postsDaily=200/86400' }).rateLimits).toEqual({
      posts: { points: 10, durationSec: 60 },
      postsDaily: { points: 200, durationSec: 86400 },
    });
  });
});

describe('the server process', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('starts from the environment, answers /healthz and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: packageDir,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KINDRED_DB: dir.file('data/kindred.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Kindred listening on (http:\/\/\S+) \(store: sqlite (.+)\)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect(output).toContain(dir.file('data/kindred.db'));
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits with a message when the port is taken', async () => {
    const env = { ...process.env, HOST: '127.0.0.1', KINDRED_DB: dir.file('a.db') };
    const first = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: packageDir, env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const port = await new Promise<string>((resolve) => {
      let out = '';
      first.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /:(\d+) \(store/.exec(out);
        if (match) resolve(match[1]!);
      });
    });
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: packageDir,
      env: { ...env, PORT: port, KINDRED_DB: dir.file('b.db') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    first.kill('SIGTERM');
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/could not start.*EADDRINUSE/);
  });

  it('`kindred migrate` applies migrations once', () => {
    const env = { ...process.env, KINDRED_DB: dir.file('cli.db') };
    const first = spawnSync(process.execPath, ['bin/kindred.js', 'migrate'], { cwd: packageDir, env, encoding: 'utf8' });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Applied migrations 1, 2, 3, 4, 5 to .*cli\.db/);
    const second = spawnSync(process.execPath, ['bin/kindred.js', 'migrate'], { cwd: packageDir, env, encoding: 'utf8' });
    expect(second.stdout).toMatch(/up to date/);
    const unknown = spawnSync(process.execPath, ['bin/kindred.js', 'frobnicate'], { cwd: packageDir, env, encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
  });
});
