import type { Identity } from '@kindred/protocol';
import type { SiteRecord } from '../store/store.js';
import type { AccessService, WriteTarget } from './access.js';
import type { Caller } from './caller.js';
import type { AddressHasher } from './client-address.js';
import { LIMITS_FOR_WRITE, type RateLimits, type WriteKind } from './rate-limits.js';

export interface WriteRequest extends WriteTarget {
  caller: Caller;
  kind: WriteKind;
  /** Rules that need the author and the thing written to (e.g. only the author edits); runs in the authorise phase. */
  authorise?: (author: Identity) => void;
}

/** What each phase sees once the write is authorised. */
export interface WriteContext extends WriteRequest {
  site: SiteRecord;
  author: Identity;
}

type Phase = (write: WriteContext) => Promise<void> | void;

export interface WritePipelineDeps {
  access: AccessService;
  limits: RateLimits;
  hasher: AddressHasher;
}

/**
 * The one ordered path every write takes:
 *   validate (the shared schema, in the transport, before anything else)
 *   → authorise → rate-limit → [safety phases] → store → fan out.
 * Store and fan-out are the `commit` the caller passes. The safety pipeline
 * (identifier scan, crisis scan, word lists, trust level) goes into `phases`
 * after 'rate-limit', in that order.
 */
export class WritePipeline {
  private readonly phases: Array<[name: string, run: Phase]>;

  constructor(private readonly deps: WritePipelineDeps) {
    this.phases = [['rate-limit', (write) => this.chargeLimits(write)]];
  }

  async run<T>(request: WriteRequest, commit: (write: WriteContext) => Promise<T>): Promise<T> {
    const { site, author } = await this.deps.access.authoriseWrite(request.caller, request);
    request.authorise?.(author);
    const write: WriteContext = { ...request, site, author };
    for (const [, run] of this.phases) await run(write);
    return commit(write);
  }

  private async chargeLimits(write: WriteContext): Promise<void> {
    const names = LIMITS_FOR_WRITE[write.kind];
    if (names.length === 0) return;
    const addressKey = write.caller.address ? await this.deps.hasher.key(write.caller.address) : undefined;
    await this.deps.limits.consume(write.site, names, { identity: write.author.id, ...(addressKey && { addressKey }) });
  }
}
