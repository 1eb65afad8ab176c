import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const REPO_ROOT = resolve(packageDir, '../..');
export const DEFAULT_DB_PATH = resolve(REPO_ROOT, 'data/kindred.db');
export const DEFAULT_WIDGETS_DIR = resolve(REPO_ROOT, 'packages/widgets/dist');
export const DEFAULT_DEMO_DIR = resolve(REPO_ROOT, 'demo');

export const SERVER_VERSION = (JSON.parse(readFileSync(resolve(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
