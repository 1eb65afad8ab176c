import type {
  AuditEntry,
  ClientEvents,
  Identity,
  ModerationItem,
  ModerationServerEvents,
  ModerationSettings,
  ReportReason,
} from '@kindred/protocol';
import type { ParsedRequest } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import type { AuditQuery, AuditRecord, ModerationChange, ModerationItemRecord, NewAuditEntry, PostRecord, SiteRecord, Store } from '../store/store.js';
import { standingAt, type AccessService } from './access.js';
import type { Caller } from './caller.js';
import { alertExcerpt, type CrisisAlerts } from './crisis-alerts.js';
import { checkedModerationChange, moderationOf, publicSettings } from './moderation-settings.js';
import { toPostView, toTopicEvent } from './post-view.js';
import type { CrisisFinding } from './safety-phases.js';
import type { SiteService } from './sites.js';
import type { ModerationAnnouncer, Publish } from './thread.js';
import type { WritePipeline } from './write-pipeline.js';

/** Sends a `mod:event` to the moderators of a site who are connected. */
export type NotifyModerators = (siteId: string, event: ModerationServerEvents['mod:event']) => void;

export interface ModerationDeps {
  store: Store;
  sites: SiteService;
  access: AccessService;
  pipeline: WritePipeline;
  publish: Publish;
  notify: NotifyModerators;
  alerts: CrisisAlerts;
  now: () => Date;
  log: Pick<Console, 'error'>;
  /** Whether this person may report this post at all (a private conversation's messages: only its other member). */
  mayReport?: (post: PostRecord, user: Identity) => Promise<boolean>;
}

type Result<K extends keyof ClientEvents> = Promise<ClientEvents[K]['res']>;

const QUEUE_PAGE = 20;
const AUDIT_PAGE = 50;
const EXPORT_MAX = 100_000;

/** What the moderator console can ask for; the rules of reports, queues, decisions, standing, settings and the audit log. */
export class ModerationService implements ModerationAnnouncer {
  constructor(private readonly deps: ModerationDeps) {}

  /** A held post: moderators see it arrive; a crisis also raises an alert, live and by the site's webhook and email. */
  held(siteId: string, postId: string, crisis: CrisisFinding | null): void {
    void this.announceHeld(siteId, postId, crisis).catch((error: unknown) => this.deps.log.error('kindred: announcing a held post failed', error));
  }

  resolved(siteId: string, postId: string): void {
    void this.announce(siteId, postId, 'item.resolved').catch((error: unknown) => this.deps.log.error('kindred: announcing a resolved item failed', error));
  }

  /** One report per person per post; past the site's threshold the post is hidden until a moderator decides. */
  async report(caller: Caller, request: ParsedRequest<'post:report'>): Result<'post:report'> {
    const post = await this.deps.store.findPost(request.postId);
    if (!post || post.siteId !== caller.siteId || post.deletedAt || post.status !== 'published') throw postNotFound();
    if (caller.user && this.deps.mayReport && !(await this.deps.mayReport(post, caller.user))) throw postNotFound();
    const authorise = (user: Identity) => {
      if (post.author.id === user.id) throw new ServiceError('NOT_AUTHORISED', "You can't report your own post; you can edit or delete it.");
    };
    return this.deps.pipeline.run({ caller, kind: 'report', topic: post.topic, action: 'report posts', authorise }, async (write) => {
      const outcome = await this.deps.store.reportPost({
        postId: post.id,
        reporterId: write.author.id,
        reason: request.reason satisfies ReportReason,
        note: request.note ?? null,
        at: this.now(),
        threshold: moderationOf(write.site).reportThreshold,
      });
      if (!outcome) throw postNotFound();
      if (outcome.change.event) this.deps.publish(caller.siteId, toTopicEvent(outcome.change.event));
      if (outcome.added) await this.announce(caller.siteId, post.id, outcome.reports === 1 ? 'item.added' : 'item.updated');
      return { hidden: outcome.hidden };
    });
  }

  async queue(caller: Caller, request: ParsedRequest<'mod:queue'>): Result<'mod:queue'> {
    const { site } = await this.requireModerator(caller);
    const page = await this.deps.store.moderationQueue({
      siteId: site.id,
      queue: request.queue,
      order: request.order,
      after: decodeQueueCursor(request.cursor),
      limit: QUEUE_PAGE,
    });
    const items: ModerationItem[] = [];
    for (const record of page.items) {
      const post = await this.deps.store.findPost(record.postId);
      if (post) items.push(await this.itemView(post, record));
    }
    const last = page.items[page.items.length - 1];
    return { items, nextCursor: page.hasMore && last ? encodeCursor(`${last.n}.${last.urgency}`) : null, counts: page.counts };
  }

  /** Approve, reject, edit or remove a post; the audit entry is written with the change. */
  async decide(caller: Caller, request: ParsedRequest<'mod:decide'>): Result<'mod:decide'> {
    const { site, actor } = await this.requireModerator(caller);
    const post = await this.deps.store.findPost(request.postId);
    if (!post || post.siteId !== site.id || post.deletedAt) throw postNotFound();
    const at = this.now();
    const audit = (fields: Pick<NewAuditEntry, 'reason' | 'before' | 'after'>): NewAuditEntry => ({
      siteId: site.id,
      at,
      actor,
      action: request.action,
      target: { kind: 'post', id: post.id },
      ...fields,
    });
    let change: ModerationChange | null;
    switch (request.action) {
      case 'approve':
        change = await this.deps.store.approvePost({ postId: post.id, at }, audit({ reason: request.reason ?? null, before: { status: post.status }, after: { status: 'published' } }));
        break;
      case 'reject':
      case 'remove': {
        const status = request.action === 'reject' ? 'rejected' : 'removed';
        const reason = request.reason!;
        change = await this.deps.store.takeDownPost(
          { postId: post.id, status, reason, at },
          audit({ reason, before: { status: post.status }, after: { status, reason } }),
        );
        break;
      }
      case 'edit':
        change = await this.deps.store.moderatorEditPost(
          { postId: post.id, body: request.body!, at },
          audit({ reason: request.note ?? null, before: { body: post.body }, after: { body: request.body } }),
        );
        break;
    }
    if (!change) throw postNotFound();
    if (change.event) this.deps.publish(site.id, toTopicEvent(change.event));
    const item = await this.itemView(change.post, change.item);
    if (change.item) this.deps.notify(site.id, { type: change.item.resolvedAt ? 'item.resolved' : 'item.updated', item });
    return { item };
  }

  /** Suspend for some days, ban, or reinstate a member; a ban or suspension applies to their next write, on any connection. */
  async member(caller: Caller, request: ParsedRequest<'mod:member'>): Result<'mod:member'> {
    const { site, actor } = await this.requireModerator(caller);
    const user = await this.deps.store.findUser(request.userId);
    if (!user || user.siteId !== site.id) throw new ServiceError('NOT_FOUND', 'There is no such member on this site.', 'userId');
    if (user.id === actor.id) throw new ServiceError('NOT_AUTHORISED', "You can't change your own standing; ask another moderator.");
    const now = this.deps.now();
    const before = await this.deps.store.standingOf(user.id);
    const beforeStanding = standingAt(before, now);
    let until: string | null = null;
    if (request.action === 'suspend') {
      if (request.days === undefined) throw new ServiceError('INVALID_INPUT', 'Say for how many days to suspend (days).', 'days');
      until = new Date(now.getTime() + request.days * 24 * 60 * 60 * 1000).toISOString();
    }
    const standing = request.action === 'suspend' ? 'suspended' : request.action === 'ban' ? 'banned' : 'active';
    await this.deps.store.setStanding(
      { userId: user.id, standing, until, reason: request.reason, at: now.toISOString() },
      {
        siteId: site.id,
        at: now.toISOString(),
        actor,
        action: request.action,
        target: { kind: 'member', id: user.id },
        reason: request.reason,
        before: { standing: beforeStanding, until: beforeStanding === 'active' ? null : (before?.until ?? null) },
        after: { standing, until },
      },
    );
    return { standing };
  }

  async getSettings(caller: Caller): Result<'mod:settings:get'> {
    const { site } = await this.requireModerator(caller);
    return { settings: publicSettings(moderationOf(site)) };
  }

  async setSettings(caller: Caller, request: ParsedRequest<'mod:settings:set'>): Result<'mod:settings:set'> {
    const { site, actor } = await this.requireModerator(caller);
    const stored = checkedModerationChange(site.moderation, request.settings as Partial<ModerationSettings>);
    const before = publicSettings(moderationOf(site));
    const after = publicSettings(moderationOf({ moderation: stored }));
    const saved = await this.deps.store.saveModerationSettings(site.id, stored, {
      siteId: site.id,
      at: this.now(),
      actor,
      action: 'settings',
      target: { kind: 'site', id: site.id },
      reason: null,
      before,
      after,
    });
    if (!saved) throw new ServiceError('UNKNOWN_SITE', `There is no site "${site.id}" on this server.`);
    return { settings: publicSettings(moderationOf(saved)) };
  }

  async audit(caller: Caller, request: ParsedRequest<'mod:audit'>): Result<'mod:audit'> {
    const { site } = await this.requireModerator(caller);
    const before = decodeAuditCursor(request.cursor);
    const page = await this.deps.store.auditLog({ ...auditFilters(site.id, request), ...(before !== undefined && { before }), limit: AUDIT_PAGE });
    const last = page.entries[page.entries.length - 1];
    return { entries: page.entries.map(toAuditEntry), nextCursor: page.hasMore && last ? encodeCursor(String(last.n)) : null };
  }

  /** Every entry matching the filters, newest first, for the CSV export. */
  async exportAudit(caller: Caller, filters: Omit<ParsedRequest<'mod:audit'>, 'cursor'>): Promise<AuditEntry[]> {
    const { site } = await this.requireModerator(caller);
    const entries: AuditEntry[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await this.deps.store.auditLog({ ...auditFilters(site.id, filters), ...(before !== undefined && { before }), limit: 500 });
      entries.push(...page.entries.map(toAuditEntry));
      const last = page.entries[page.entries.length - 1];
      if (!page.hasMore || !last || entries.length >= EXPORT_MAX) return entries;
      before = last.n;
    }
  }

  /** Whether this connection's identity holds the moderator or admin role for its site (as it signed in). */
  static isModerator(user: Identity | null): boolean {
    return !!user?.roles?.some((role) => role === 'moderator' || role === 'admin');
  }

  /**
   * Moderator or admin of the site, from the server's role records (read now,
   * so taking a role away holds at once), or from the token on a site that trusts token roles.
   */
  private async requireModerator(caller: Caller): Promise<{ site: SiteRecord; actor: AuditEntry['actor'] }> {
    const site = await this.deps.sites.get(caller.siteId);
    const user = caller.user;
    if (user && this.deps.access.isMember(caller)) {
      const record = await this.deps.store.findUser(user.id);
      const grants = record?.externalId ? await this.deps.store.rolesOf(site.id, record.externalId) : [];
      const granted = grants.some((grant) => grant.topic === '' && (grant.role === 'moderator' || grant.role === 'admin'));
      if (granted || (site.trustTokenRoles && ModerationService.isModerator(user))) return { site, actor: { id: user.id, name: user.name } };
    }
    throw new ServiceError('NOT_AUTHORISED', `Only moderators of ${site.name} can do this. Sign in with a moderator account.`);
  }

  private async announceHeld(siteId: string, postId: string, crisis: CrisisFinding | null): Promise<void> {
    const item = await this.announce(siteId, postId, 'item.added');
    if (!item || !crisis) return;
    this.deps.notify(siteId, { type: 'alert', item });
    const site = await this.deps.sites.get(siteId);
    const settings = moderationOf(site);
    await this.deps.alerts.send(
      {
        type: 'kindred.crisis',
        site: { id: site.id, name: site.name },
        topic: item.post.topic,
        postId,
        language: crisis.language,
        excerpt: alertExcerpt(item.post.body, settings),
        at: item.enteredAt,
        consoleUrl: this.deps.alerts.consoleUrl(),
      },
      settings,
    );
  }

  private async announce(siteId: string, postId: string, type: 'item.added' | 'item.updated' | 'item.resolved'): Promise<ModerationItem | null> {
    const post = await this.deps.store.findPost(postId);
    if (!post) return null;
    const item = await this.itemView(post, await this.deps.store.moderationItem(postId));
    this.deps.notify(siteId, { type, item });
    return item;
  }

  /** The console's view of a post and its queue entry: full text, reports grouped by reason, the author's standing and history. */
  private async itemView(post: PostRecord, record: ModerationItemRecord | null): Promise<ModerationItem> {
    const [reports, standing, history] = await Promise.all([
      this.deps.store.openReports(post.id),
      this.deps.store.standingOf(post.author.id),
      this.deps.store.authorHistory(post.author.id),
    ]);
    const grouped = new Map<ReportReason, { reason: ReportReason; count: number; notes: string[] }>();
    for (const report of reports) {
      const group = grouped.get(report.reason) ?? { reason: report.reason, count: 0, notes: [] };
      group.count++;
      if (report.note) group.notes.push(report.note);
      grouped.set(report.reason, group);
    }
    return {
      post: { ...toPostView(post), status: post.status },
      queue: record?.queue ?? 'held',
      reasons: record?.reasons ?? [],
      findings: record?.findings ?? [],
      reports: [...grouped.values()],
      urgency: record && !record.resolvedAt ? record.urgency : 0,
      enteredAt: record?.at ?? post.createdAt,
      author: { ...post.author, standing: standingAt(standing, this.deps.now()), ...history },
    };
  }

  private now(): string {
    return this.deps.now().toISOString();
  }
}

function toAuditEntry(record: AuditRecord): AuditEntry {
  const { n: _n, siteId: _siteId, ...entry } = record;
  return entry;
}

function auditFilters(siteId: string, request: Omit<ParsedRequest<'mod:audit'>, 'cursor'>): Omit<AuditQuery, 'limit'> {
  return {
    siteId,
    ...(request.actorId !== undefined && { actorId: request.actorId }),
    ...(request.action !== undefined && { action: request.action }),
    ...(request.since !== undefined && { since: new Date(request.since).toISOString() }),
    ...(request.until !== undefined && { until: new Date(request.until).toISOString() }),
  };
}

function encodeCursor(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function decodeQueueCursor(cursor: string | undefined): { n: number; urgency: number } | null {
  if (cursor === undefined) return null;
  const match = /^(\d{1,15})\.(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badCursor();
  return { n: Number(match[1]), urgency: Number(match[2]) };
}

function decodeAuditCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badCursor();
  return Number(match[1]);
}

function badCursor(): ServiceError {
  return new ServiceError('INVALID_INPUT', 'That page cursor is not one this server gave out; start from the first page.', 'cursor');
}

function postNotFound(): ServiceError {
  return new ServiceError('NOT_FOUND', 'That post has been deleted or does not exist.', 'postId');
}
