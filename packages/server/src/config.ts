import { resolve } from 'node:path';
import type { StartOptions } from './index.js';
import { DEFAULT_DB_PATH } from './paths.js';
import { parseLimitSetting, type LimitName } from './services/rate-limits.js';
import type { RateLimitSetting } from './store/store.js';
import { normaliseOrigin } from './services/sites.js';

/** Server options from the environment (PORT, HOST, KINDRED_*); throws with a message an operator can act on. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): StartOptions & { port: number; host: string } {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}".`);
  const demoOrigins = (env.KINDRED_DEMO_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of [...demoOrigins, ...(env.KINDRED_PUBLIC_URL ? [env.KINDRED_PUBLIC_URL] : [])]) {
    try {
      normaliseOrigin(origin);
    } catch {
      throw new Error(`"${origin}" is not an http(s) URL; use e.g. http://localhost:5173.`);
    }
  }
  const trustProxy = ['1', 'true', 'yes'].includes((env.KINDRED_TRUST_PROXY ?? '').toLowerCase());
  if (env.KINDRED_DEMO_SECRET !== undefined && env.KINDRED_DEMO_SECRET !== '' && env.KINDRED_DEMO_SECRET.length < 32) {
    throw new Error('KINDRED_DEMO_SECRET must be at least 32 characters long.');
  }
  // Server-wide defaults for every site, e.g. "posts=10/60,postsDaily=200/86400"; sites still override them.
  const rateLimits: Partial<Record<LimitName, RateLimitSetting>> = {};
  for (const item of (env.KINDRED_RATE_LIMITS ?? '').split(',').filter((text) => text.trim())) {
    const { name, setting } = parseLimitSetting(item);
    rateLimits[name] = setting;
  }
  const demoHeldFirstPosts = heldFirstPostsOf(env.KINDRED_DEMO_HELD_FIRST_POSTS);
  const digestHour = env.KINDRED_EXPERT_DIGEST_HOUR;
  if (digestHour !== undefined && digestHour !== '' && !/^(?:[01]?\d|2[0-3])$/.test(digestHour)) {
    throw new Error('KINDRED_EXPERT_DIGEST_HOUR must be an hour from 0 to 23 (UTC).');
  }
  const roundPoll = env.KINDRED_ROUND_POLL_MS;
  if (roundPoll !== undefined && roundPoll !== '' && !/^\d{2,7}$/.test(roundPoll)) {
    throw new Error('KINDRED_ROUND_POLL_MS must be a number of milliseconds, e.g. 5000.');
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    // pnpm runs scripts in the package folder; INIT_CWD is where the operator typed the command.
    dbPath: env.KINDRED_DB ? resolve(env.INIT_CWD ?? process.cwd(), env.KINDRED_DB) : DEFAULT_DB_PATH,
    demoOrigins,
    ...(env.KINDRED_PUBLIC_URL && { publicUrl: env.KINDRED_PUBLIC_URL }),
    ...(env.KINDRED_SECRET && { secret: env.KINDRED_SECRET }),
    ...(env.KINDRED_DEMO_SECRET && { demoSecret: env.KINDRED_DEMO_SECRET }),
    ...(trustProxy && { trustProxy }),
    ...(Object.keys(rateLimits).length > 0 && { rateLimits }),
    ...(demoHeldFirstPosts && { demoHeldFirstPosts }),
    ...(env.KINDRED_SMTP_URL && { smtpUrl: smtpUrlOrThrow(env.KINDRED_SMTP_URL) }),
    ...(env.KINDRED_SMTP_FROM && { smtpFrom: env.KINDRED_SMTP_FROM }),
    ...(digestHour && { expertDigestHour: Number(digestHour) }),
    ...(roundPoll && { roundPollMs: Number(roundPoll) }),
  };
}

/** `guest:0,member:0` → how many first posts the demo site holds; either part may be left out (it stays as seeded). */
function heldFirstPostsOf(text: string | undefined): { guest: number; member: number } | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const counts = { guest: 1, member: 0 };
  for (const part of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const match = /^(guest|member)[:=](\d{1,3})$/.exec(part);
    if (!match) throw new Error(`KINDRED_DEMO_HELD_FIRST_POSTS: "${part}" is not kind:count; write e.g. guest:0,member:0.`);
    counts[match[1] as 'guest' | 'member'] = Number(match[2]);
  }
  return counts;
}

function smtpUrlOrThrow(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('KINDRED_SMTP_URL must be a URL such as smtps://user:password@smtp.example.org:465.');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('KINDRED_SMTP_URL must start with smtp:// or smtps://.');
  return text;
}
