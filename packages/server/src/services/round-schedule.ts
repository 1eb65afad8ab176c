import type { Store } from '../store/store.js';
import type { IntroductionService } from './introductions.js';
import type { MatchRounds } from './match-rounds.js';

/** How often the server looks for communities whose scheduled round is due. */
const DUE_CHECK_MS = 60_000;

export interface RoundScheduleDeps {
  store: Store;
  rounds: MatchRounds;
  introductions: IntroductionService;
  now: () => Date;
  log: Pick<Console, 'error'>;
  /** How often to look for rounds another process ran (`kindred match run`), to tell their members live. */
  pollMs: number;
}

/**
 * Runs each community's scheduled rounds when they fall due (the store makes
 * sure only one process takes a round), and tells members of every new
 * proposal live — whether this process or the operator's CLI made it — by
 * following the store's round numbers. Its timers never keep the process alive.
 */
export class RoundSchedule {
  private seen = 0;
  private timers: ReturnType<typeof setInterval>[] = [];
  private checking: Promise<void> | null = null;

  constructor(private readonly deps: RoundScheduleDeps) {}

  async start(): Promise<void> {
    this.seen = await this.deps.store.latestRoundN();
    this.every(this.deps.pollMs, () => this.announceNewRounds());
    this.every(DUE_CHECK_MS, () => this.runDueRounds());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Runs every round that is due now; returns how many ran. */
  async runDueRounds(): Promise<number> {
    const { store, rounds, introductions } = this.deps;
    const now = this.deps.now().toISOString();
    let ran = 0;
    for (const community of await store.listCommunities()) {
      if (!community.nextRoundAt || community.nextRoundAt > now) continue;
      if (!(await store.claimScheduledRound(community.siteId, community.id, now))) continue;
      const outcome = await rounds.run(community.siteId, community.id, 'schedule');
      introductions.announceLapsed(outcome.expired);
      ran++;
    }
    if (ran) await this.announceNewRounds();
    return ran;
  }

  /** Tells the members of proposals made since the last look; one look at a time, so nobody hears twice. */
  announceNewRounds(): Promise<void> {
    this.checking ??= (async () => {
      try {
        const latest = await this.deps.store.latestRoundN();
        if (latest <= this.seen) return;
        const proposals = await this.deps.store.introductionsAfterRound(this.seen);
        this.seen = latest;
        await this.deps.introductions.announceProposals(proposals.filter((introduction) => introduction.roundN <= latest));
      } finally {
        this.checking = null;
      }
    })();
    return this.checking;
  }

  private every(ms: number, job: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      job().catch((error: unknown) => this.deps.log.error('kindred: introduction rounds failed', error));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
