import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { REPO_ROOT } from '../paths.js';
import { client, session } from '../testing/socket-client.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';
import { SiteService } from './sites.js';

const snippets = join(REPO_ROOT, 'docs/snippets');
const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.warn('python3 is not installed here: the Python token snippet (docs/snippets/sign_token.py) is not run.');

/** The installed jose package folder (…/node_modules/jose), found from its entry point. */
function joseDir(): string {
  const entry = fileURLToPath(import.meta.resolve('jose'));
  return entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`));
}

/** The documented token-signing snippets, run as a hospital's backend would, must sign a member into a real server. */
describe('host token snippets in docs/snippets', () => {
  const dir = tempDir();
  let server: RunningServer;
  let secret: string;
  let nodeToken = '';

  beforeAll(async () => {
    server = await startServer({ port: 0, dbPath: dir.file('kindred.db'), log: silentLog });
    ({ secret } = await new SiteService(server.store).create({ id: 'riverside', origins: ['https://www.riverside.example'] }, new Date()));
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  const run = (command: string, script: string, name: string) => {
    const result = spawnSync(command, [script], {
      env: { ...process.env, SITE_ID: 'riverside', SITE_SECRET: secret, USER_ID: 'ehr-1001', USER_NAME: name },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout.trim();
  };

  const signsIn = async (token: string, name: string) => {
    const socket = client(server.url, { site: 'riverside', auth: { hostToken: token } });
    try {
      expect(await session(socket)).toMatchObject({ user: { kind: 'member', name }, site: { id: 'riverside' } });
    } finally {
      socket.disconnect();
    }
  };

  it('sign-token.mjs (Node, jose)', async () => {
    // As in a hospital's own project: the snippet beside a node_modules that has jose.
    const project = join(dir.path, 'node-backend');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    copyFileSync(join(snippets, 'sign-token.mjs'), join(project, 'sign-token.mjs'));
    symlinkSync(joseDir(), join(project, 'node_modules/jose'), 'dir');
    nodeToken = run(process.execPath, join(project, 'sign-token.mjs'), 'Maria Lopez');
    await signsIn(nodeToken, 'Maria Lopez');
  });

  it.skipIf(!python)('sign_token.py (Python standard library)', async () => {
    await signsIn(run('python3', join(snippets, 'sign_token.py'), 'Zoë Ångström'), 'Zoë Ångström');
  });

  it('the server checks what the snippets sign: a changed signature does not sign in', async () => {
    expect(nodeToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const socket = client(server.url, { site: 'riverside', auth: { hostToken: `${nodeToken.slice(0, -6)}AAAAAA` } });
    try {
      expect(await session(socket)).toMatchObject({ user: null, reason: 'TOKEN_INVALID' });
    } finally {
      socket.disconnect();
    }
  });
});
