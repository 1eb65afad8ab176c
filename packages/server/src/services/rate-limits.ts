import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ServiceError } from '../errors.js';
import type { RateLimitSetting, SiteRecord } from '../store/store.js';

/**
 * Every limit the server applies, whom it counts (one identity or one hashed
 * client address) and its default. Sites override any of them by name
 * (`kindred site update <id> --rate-limit posts=5/60`).
 */
export const LIMITS_BY_NAME = {
  connects: { per: 'address', points: 30, durationSec: 60, doing: 'connecting' },
  connectsPerIdentity: { per: 'identity', points: 30, durationSec: 60, doing: 'connecting' },
  signIns: { per: 'address', points: 20, durationSec: 60, doing: 'signing in' },
  posts: { per: 'identity', points: 5, durationSec: 60, doing: 'posting' },
  postsDaily: { per: 'identity', points: 60, durationSec: 24 * 60 * 60, doing: 'posting' },
  postsPerAddress: { per: 'address', points: 20, durationSec: 60, doing: 'posting' },
  reactions: { per: 'identity', points: 60, durationSec: 60, doing: 'reacting' },
  reactionsPerAddress: { per: 'address', points: 120, durationSec: 60, doing: 'reacting' },
  // Reports arrive with the moderation work; the limits and their settings exist already.
  reports: { per: 'identity', points: 10, durationSec: 60 * 60, doing: 'reporting posts' },
  reportsPerAddress: { per: 'address', points: 30, durationSec: 60 * 60, doing: 'reporting posts' },
} as const satisfies Record<string, RateLimitSetting & { per: 'identity' | 'address'; doing: string }>;

export type LimitName = keyof typeof LIMITS_BY_NAME;
export const LIMIT_NAMES = Object.keys(LIMITS_BY_NAME) as LimitName[];

/** What a write costs, by kind. Deleting is free: it only ever makes things safer. */
export const LIMITS_FOR_WRITE = {
  post: ['posts', 'postsDaily', 'postsPerAddress'],
  reaction: ['reactions', 'reactionsPerAddress'],
  report: ['reports', 'reportsPerAddress'],
  delete: [],
} as const satisfies Record<string, readonly LimitName[]>;
export type WriteKind = keyof typeof LIMITS_FOR_WRITE;

export function isLimitName(name: string): name is LimitName {
  return Object.hasOwn(LIMITS_BY_NAME, name);
}

/** `posts=5/60` → five per 60 seconds; durations may be fractional (`2/0.5`). Throws a message an operator can act on. */
export function parseLimitSetting(text: string): { name: LimitName; setting: RateLimitSetting } {
  const match = /^([A-Za-z]+)=(\d{1,9})\/(\d{1,9}(?:\.\d{1,3})?)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a rate limit; write name=count/seconds, e.g. posts=5/60.`);
  const [, name, points, seconds] = match as unknown as [string, string, string, string];
  if (!isLimitName(name)) throw new Error(`There is no rate limit called "${name}"; use one of ${LIMIT_NAMES.join(', ')}.`);
  const setting = { points: Number(points), durationSec: Number(seconds) };
  if (setting.points < 1 || setting.durationSec <= 0) throw new Error(`"${text}": the count and the seconds must be above zero.`);
  return { name, setting };
}

export function formatLimit(setting: RateLimitSetting): string {
  return `${setting.points}/${setting.durationSec}`;
}

/** The limit in force for a site: its override, else the server's default. */
export function limitFor(name: LimitName, site: Pick<SiteRecord, 'rateLimits'>, defaults: Partial<Record<LimitName, RateLimitSetting>> = {}): RateLimitSetting {
  const { points, durationSec } = site.rateLimits[name] ?? defaults[name] ?? LIMITS_BY_NAME[name];
  return { points, durationSec };
}

/** Who is counted: the identity (user id) and the keyed hash of the client address, whichever a limit needs. */
export interface LimitSubject {
  identity?: string;
  addressKey?: string;
}

/**
 * Counters in process memory (rate-limiter-flexible's memory store). Several
 * nodes will swap in its Redis store with the same calls. A limiter exists per
 * (limit, setting), so changing a site's setting takes effect at once.
 */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterMemory>();

  constructor(private readonly defaults: Partial<Record<LimitName, RateLimitSetting>> = {}) {}

  /**
   * Charges one action to every named limit; throws RATE_LIMITED with
   * `retryAfterMs` when any is spent. A limit whose subject is unknown (no
   * identity yet) is skipped.
   */
  async consume(site: Pick<SiteRecord, 'id' | 'rateLimits'>, names: readonly LimitName[], subject: LimitSubject): Promise<void> {
    for (const name of names) {
      const rule = LIMITS_BY_NAME[name];
      const key = rule.per === 'identity' ? subject.identity : subject.addressKey;
      if (key === undefined) continue;
      const setting = limitFor(name, site, this.defaults);
      try {
        await this.limiter(name, setting).consume(`${site.id}:${key}`);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const retryAfterMs = Math.max(1, Math.ceil(error.msBeforeNext));
        throw new ServiceError('RATE_LIMITED', `You're ${rule.doing} faster than this site allows. Try again in ${describeWait(retryAfterMs)}.`, undefined, retryAfterMs);
      }
    }
  }

  private limiter(name: LimitName, setting: RateLimitSetting): RateLimiterMemory {
    const id = `${name}:${setting.points}/${setting.durationSec}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: id, points: setting.points, duration: setting.durationSec });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}
