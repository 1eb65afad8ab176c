#!/usr/bin/env node
/**
 * Installs the workspace on a machine that has only Node and npm: runs pnpm
 * through npx, so nothing needs to be installed globally first.
 *
 * better-sqlite3 compiles from source when its prebuilt binary cannot be
 * downloaded (offline machines, new Node versions). node-gyp would then
 * download Node's headers too; when the running Node ships its headers
 * (`<prefix>/include/node`), point node-gyp at them so the build works offline.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const env = { ...process.env };
const prefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node.h'))) {
  env.npm_config_nodedir = prefix;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const result = spawnSync(npx, ['--yes', 'pnpm@12', 'install', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
