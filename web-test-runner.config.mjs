/**
 * Component tests in real Chromium (Debian's /usr/bin/chromium) against a
 * real Kindred server on SQLite, started here for the run. Tests find the
 * server at `window.KINDRED_TEST_SERVER`; its `demo` site allows this page's
 * origin. The `kindred-match-run` command (see `matchRoundCommand`) runs an
 * introductions round with the real CLI on the same database.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { visualRegressionPlugin } from '@web/test-runner-visual-regression/plugin';
import { chromiumLaunchOptions } from './test/support/chromium.mjs';

const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const [serverPort, pagePort] = [await freePort(), await freePort()];
const dataDir = mkdtempSync(join(tmpdir(), 'kindred-wtr-'));
const dbPath = join(dataDir, 'kindred.db');
const serverUrl = `http://127.0.0.1:${serverPort}`;
// Lets component tests sign real host tokens for the demo site (test-only secret).
const demoSecret = 'component-tests-only-demo-site-signing-secret';
const kindred = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
  env: {
    ...process.env,
    PORT: String(serverPort),
    HOST: '127.0.0.1',
    KINDRED_DB: dbPath,
    KINDRED_DEMO_ORIGINS: `http://localhost:${pagePort},http://127.0.0.1:${pagePort}`,
    KINDRED_DEMO_SECRET: demoSecret,
    // Tests write far faster than people do; the limits themselves are tested in the server and e2e suites.
    KINDRED_RATE_LIMITS: 'posts=500/60,postsPerAddress=1000/60,signIns=500/60,connects=500/60',
    // A guest's first post is public at once here; tests about the hold turn it on for themselves.
    KINDRED_DEMO_HELD_FIRST_POSTS: 'guest:0,member:0',
    // The server notices rounds the CLI ran (see matchRoundCommand) within this long.
    KINDRED_ROUND_POLL_MS: '200',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const stop = () => {
  kindred.kill();
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('exit', stop);

const deadline = Date.now() + 30_000;
for (;;) {
  try {
    if ((await fetch(`${serverUrl}/healthz`)).ok) break;
  } catch {
    // not listening yet
  }
  if (kindred.exitCode !== null || Date.now() > deadline) {
    throw new Error(`the Kindred server did not start on ${serverUrl}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/**
 * `executeServerCommand('kindred-match-run', { community })` from a test: runs
 * `kindred match run demo <community> --json` as the operator would, in its
 * own process on the test server's database, and answers with the round's
 * JSON summary. The running server tells the members within KINDRED_ROUND_POLL_MS.
 */
const matchRoundCommand = {
  name: 'kindred-match-round',
  executeCommand({ command, payload }) {
    if (command !== 'kindred-match-run') return undefined;
    const community = String(payload?.community ?? '');
    if (!/^[a-z0-9-]+$/.test(community)) throw new Error('kindred-match-run needs { community: "<slug>" }');
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [fileURLToPath(new URL('packages/server/bin/kindred.js', import.meta.url)), 'match', 'run', 'demo', community, '--json'],
        { env: { ...process.env, KINDRED_DB: dbPath }, timeout: 30_000 },
        (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(JSON.parse(stdout))),
      );
    });
  },
};

export default {
  files: ['packages/widgets/src/**/*.test.ts'],
  port: pagePort,
  hostname: '127.0.0.1',
  // Not the default 'development' condition: it picks socket.io's debug builds, which import CommonJS.
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.base.json' }),
    matchRoundCommand,
    // Screenshot baselines (styles/screenshots.test.ts). A differing picture fails the run and is written
    // to screenshots/chromium/failed/ with a diff; `--update-visual-baseline` takes new baselines instead.
    visualRegressionPlugin({
      baseDir: 'packages/widgets/screenshots',
      update: process.argv.includes('--update-visual-baseline'),
      // Up to 0.1 % of the pixels may differ (anti-aliasing); a colour or layout change is far more.
      failureThreshold: 0.1,
      failureThresholdType: 'percent',
    }),
  ],
  browsers: [
    playwrightLauncher({ product: 'chromium', launchOptions: chromiumLaunchOptions }),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><script>
    window.KINDRED_TEST_SERVER = ${JSON.stringify(serverUrl)};
    window.KINDRED_TEST_DEMO_SECRET = ${JSON.stringify(demoSecret)};
  </script></head>
  <body><script type="module" src="${testFramework}"></script></body>
</html>`,
};
