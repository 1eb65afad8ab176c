import type { Identity } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import type { SiteRecord, Store } from '../store/store.js';
import type { AccessService, WriteTarget } from './access.js';
import type { Caller } from './caller.js';
import type { AddressHasher } from './client-address.js';
import { moderationOf } from './moderation-settings.js';
import { LIMITS_FOR_WRITE, type RateLimits, type WriteKind } from './rate-limits.js';
import { SAFETY_PHASES, SafetyRefusal, runSafetyPhases, type SafetyVerdict } from './safety-phases.js';

export interface WriteRequest extends WriteTarget {
  caller: Caller;
  kind: WriteKind;
  /** Rules that need the author and the thing written to (e.g. only the author edits); runs in the authorise phase. */
  authorise?: (author: Identity) => void;
  /**
   * Text a person wrote for others to read (posts, replies, edits, questions, answers): the safety
   * phases run on it. `expertAnswer`: a topic expert's answer, published without the new-member
   * hold but checked for a patient disclosure.
   */
  text?: { body: string; write: 'create' | 'edit'; expertAnswer?: boolean };
}

/** What each phase sees once the write is authorised. */
export interface WriteContext extends WriteRequest {
  site: SiteRecord;
  author: Identity;
  /** What the safety phases decided about `text`; null for writes without text. */
  safety: SafetyVerdict | null;
}

type Phase = (write: WriteContext) => Promise<void> | void;

export interface WritePipelineDeps {
  access: AccessService;
  limits: RateLimits;
  hasher: AddressHasher;
  store: Pick<Store, 'authorHistory'>;
}

/** The whole order, for documentation and tests; `WritePipeline` runs it. */
export const WRITE_ORDER = ['validate', 'authorise', 'rate-limit', ...SAFETY_PHASES.map(([name]) => name), 'store', 'fan-out'] as const;

/**
 * The one ordered path every write takes:
 *   validate (the shared schema, in the transport, before anything else)
 *   → authorise (access rules, suspended and banned members)
 *   → rate-limit
 *   → identifier scan → crisis scan → word lists → trust level (`SAFETY_PHASES`)
 *   → store → fan out (the `commit` the caller passes, with the verdict in `write.safety`).
 */
export class WritePipeline {
  private readonly phases: Array<[name: string, run: Phase]>;

  constructor(private readonly deps: WritePipelineDeps) {
    this.phases = [
      ['rate-limit', (write) => this.chargeLimits(write)],
      ['safety', (write) => this.judge(write)],
    ];
  }

  async run<T>(request: WriteRequest, commit: (write: WriteContext) => Promise<T>): Promise<T> {
    const { site, author } = await this.deps.access.authoriseWrite(request.caller, request);
    request.authorise?.(author);
    const write: WriteContext = { ...request, site, author, safety: null };
    for (const [, run] of this.phases) await run(write);
    return commit(write);
  }

  private async chargeLimits(write: WriteContext): Promise<void> {
    const names = LIMITS_FOR_WRITE[write.kind];
    if (names.length === 0) return;
    const addressKey = write.caller.address ? await this.deps.hasher.key(write.caller.address) : undefined;
    await this.deps.limits.consume(write.site, names, { identity: write.author.id, ...(addressKey && { addressKey }) });
  }

  private async judge(write: WriteContext): Promise<void> {
    if (!write.text) return;
    const roles = write.author.roles ?? [];
    const history = write.text.write === 'create' ? await this.deps.store.authorHistory(write.author.id) : { approvedPosts: 0 };
    try {
      write.safety = runSafetyPhases({
        text: write.text.body,
        write: write.text.write,
        author: {
          kind: write.author.kind,
          trusted: roles.includes('moderator') || roles.includes('admin') || !!write.text.expertAnswer,
          approvedPosts: history.approvedPosts,
        },
        expertAnswer: !!write.text.expertAnswer,
        settings: moderationOf(write.site),
      });
    } catch (error) {
      if (error instanceof SafetyRefusal) throw new ServiceError(error.code, error.message, 'body');
      throw error;
    }
  }
}

/** The safety verdict of a write with text, once the pipeline has run. */
export function verdictOf(write: WriteContext): SafetyVerdict {
  if (!write.safety) throw new Error('a write with text reached the store without a safety verdict');
  return write.safety;
}
