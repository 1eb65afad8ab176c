import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  MODERATION_QUEUES,
  type AuditEntry,
  type HoldReason,
  type IdentityKind,
  type ModerationQueue,
  type PostStatus,
  type Reaction,
  type ReportReason,
  type Role,
  type Sort,
  type TopicEventType,
} from '@kindred/protocol';
import type {
  AuditQuery,
  AuditRecord,
  AuthorHistory,
  HoldRecord,
  ModerationChange,
  ModerationItemRecord,
  NewAuditEntry,
  QueueQuery,
  ReportOutcome,
  ReportRecord,
  StandingRecord,
  StoredModerationSettings,
  NewPost,
  RoleGrant,
  SiteChanges,
  NewUser,
  PostChange,
  PostRecord,
  SiteRecord,
  Store,
  ThreadPage,
  ThreadPageQuery,
  TopicEventRecord,
  TopicEventsSince,
  UserRecord,
  AnswerNotification,
  ExpertProfile,
  NewAnswer,
  NewQuestion,
  QuestionListQuery,
  QuestionRecord,
  CommunityRecord,
  CommunitySettings,
  IntroductionRecord,
  NewIntroduction,
  NewProfile,
  ProfileRecord,
  RoundRecord,
} from '../store.js';
import { ABOUT_TOPIC_PREFIX, INTRO_TOPIC_PREFIX, QUESTION_TOPIC_PREFIX } from '../store.js';
import {
  ANSWER_COLUMNS,
  CLAIM_ROUND,
  FROM_INTRODUCTIONS,
  FROM_PROFILES,
  INTRODUCTION_COLUMNS,
  MATCHABLE,
  OF_MEMBER,
  PROFILE_COLUMNS,
  VISIBLE_TO_MEMBER,
  firstRoundAt,
  memberIndex,
  toCommunity,
  toIntroduction,
  toProfile,
  toRound,
  type CommunityRow,
  type IntroductionRow,
  type ProfileRow,
  type RoundRow,
} from './introduction-sql.js';
import { applyMigrations } from './migrations.js';
import { ANSWERED_AT, QUESTION_COLUMNS, questionListSql, toExpert, type AnswerRow, type ExpertRow, type QuestionRow } from './question-sql.js';

interface PostRow {
  n: number;
  id: string;
  site_id: string;
  topic: string;
  client_id: string;
  author_id: string;
  author_name: string;
  author_kind: IdentityKind;
  parent_id: string | null;
  root_id: string | null;
  depth: number;
  reply_to_name: string | null;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  helpful: number;
  thanks: number;
  metoo: number;
  reply_count: number;
  status: PostStatus;
  moderation_reason: string | null;
}

interface ItemRow {
  n: number;
  post_id: string;
  site_id: string;
  queue: ModerationQueue;
  reasons: string;
  findings: string;
  urgency: number;
  entered_at: string;
  resolved_at: string | null;
}

interface AuditRow {
  n: number;
  id: string;
  site_id: string;
  at: string;
  actor_id: string;
  actor_name: string;
  action: AuditEntry['action'];
  target_kind: AuditEntry['target']['kind'];
  target_id: string;
  reason: string | null;
  before: string;
  after: string;
}

interface UserRow {
  id: string;
  site_id: string;
  kind: IdentityKind;
  external_id: string | null;
  display_name: string;
  created_at: string;
}

interface SiteRow {
  id: string;
  name: string;
  origins: string;
  created_at: string;
  guests_allowed: number;
  members_only_topics: string;
  disclaimer: string | null;
  rate_limits: string;
  jwks_url: string | null;
  trust_token_roles: number;
  moderation: string;
}

const SITE_COLUMNS =
  'id, name, origins, created_at, guests_allowed, members_only_topics, disclaimer, rate_limits, jwks_url, trust_token_roles, moderation';

/** Column and encoding of each changeable site field; the only names that reach built SQL. */
const SITE_FIELDS: { [K in keyof Required<SiteChanges>]: { column: string; encode: (value: Required<SiteChanges>[K]) => unknown } } = {
  name: { column: 'name', encode: (value) => value },
  origins: { column: 'origins', encode: (value) => JSON.stringify(value) },
  guestsAllowed: { column: 'guests_allowed', encode: (value) => (value ? 1 : 0) },
  membersOnlyTopics: { column: 'members_only_topics', encode: (value) => JSON.stringify(value) },
  disclaimer: { column: 'disclaimer', encode: (value) => value },
  rateLimits: { column: 'rate_limits', encode: (value) => JSON.stringify(value) },
  jwksUrl: { column: 'jwks_url', encode: (value) => value },
  trustTokenRoles: { column: 'trust_token_roles', encode: (value) => (value ? 1 : 0) },
  moderation: { column: 'moderation', encode: (value) => JSON.stringify(value) },
};

interface EventRow {
  site_id: string;
  topic: string;
  seq: number;
  type: TopicEventType;
  payload: string;
  created_at: string;
}

const POST_COLUMNS = `p.n, p.id, p.site_id, p.topic, p.client_id, p.author_id, u.display_name AS author_name,
  u.kind AS author_kind, p.parent_id, p.root_id, p.depth, p.reply_to_name, p.body, p.created_at, p.edited_at,
  p.deleted_at, p.helpful, p.thanks, p.metoo, p.reply_count, p.status, p.moderation_reason`;
const FROM_POSTS = `FROM posts p JOIN users u ON u.id = p.author_id`;

/** Reaction names are also column names; this map keeps them out of string-built SQL otherwise. */
const REACTION_COLUMN: Record<Reaction, string> = { helpful: 'helpful', thanks: 'thanks', metoo: 'metoo' };

const PAGE_ORDER: Record<Sort, { after: string; order: string }> = {
  newest: { after: 'p.n < @n', order: 'p.n DESC' },
  oldest: { after: 'p.n > @n', order: 'p.n ASC' },
  helpful: { after: '(p.helpful < @helpful OR (p.helpful = @helpful AND p.n < @n))', order: 'p.helpful DESC, p.n DESC' },
};

function toPost(row: PostRow): PostRecord {
  return {
    n: row.n,
    id: row.id,
    siteId: row.site_id,
    topic: row.topic,
    clientId: row.client_id,
    author: { id: row.author_id, name: row.author_name, kind: row.author_kind },
    parentId: row.parent_id,
    rootId: row.root_id,
    depth: row.depth,
    replyToName: row.reply_to_name,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    reactions: { helpful: row.helpful, thanks: row.thanks, metoo: row.metoo },
    replyCount: row.reply_count,
    status: row.status,
    moderationReason: row.moderation_reason,
  };
}

function toItem(row: ItemRow): ModerationItemRecord {
  return {
    n: row.n,
    postId: row.post_id,
    siteId: row.site_id,
    queue: row.queue,
    reasons: JSON.parse(row.reasons) as HoldReason[],
    findings: JSON.parse(row.findings) as string[],
    urgency: row.urgency,
    at: row.entered_at,
    resolvedAt: row.resolved_at,
  };
}

function toAudit(row: AuditRow): AuditRecord {
  return {
    n: row.n,
    id: row.id,
    siteId: row.site_id,
    at: row.at,
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { kind: row.target_kind, id: row.target_id },
    reason: row.reason,
    before: JSON.parse(row.before) as unknown,
    after: JSON.parse(row.after) as unknown,
  };
}

/** The crisis queue outranks the others when one post qualifies for several. */
const QUEUE_RANK: Record<ModerationQueue, number> = { reported: 0, held: 1, crisis: 2 };

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    siteId: row.site_id,
    kind: row.kind,
    externalId: row.external_id,
    displayName: row.display_name,
    createdAt: row.created_at,
  };
}

function toSite(row: SiteRow): SiteRecord {
  return {
    id: row.id,
    name: row.name,
    origins: JSON.parse(row.origins) as string[],
    createdAt: row.created_at,
    guestsAllowed: row.guests_allowed === 1,
    membersOnlyTopics: JSON.parse(row.members_only_topics) as string[],
    disclaimer: row.disclaimer,
    rateLimits: JSON.parse(row.rate_limits) as SiteRecord['rateLimits'],
    jwksUrl: row.jwks_url,
    trustTokenRoles: row.trust_token_roles === 1,
    moderation: JSON.parse(row.moderation) as StoredModerationSettings,
  };
}

function toEvent(row: EventRow): TopicEventRecord {
  return {
    siteId: row.site_id,
    topic: row.topic,
    seq: row.seq,
    type: row.type,
    post: JSON.parse(row.payload) as PostRecord,
    createdAt: row.created_at,
  };
}

/** The embedded default store: one better-sqlite3 connection in WAL mode. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly pageStatements = new Map<string, Database.Statement<Record<string, unknown>, PostRow>>();

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
  ) {}

  async migrate(): Promise<number[]> {
    return applyMigrations(this.db);
  }

  async check(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async findSite(id: string): Promise<SiteRecord | null> {
    const row = this.db.prepare<[string], SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = ?`).get(id);
    return row ? toSite(row) : null;
  }

  async listSites(): Promise<SiteRecord[]> {
    return this.db.prepare<[], SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY id`).all().map(toSite);
  }

  async updateSite(id: string, changes: SiteChanges): Promise<SiteRecord | null> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(changes) as Array<[keyof SiteChanges, never]>) {
      if (value === undefined) continue;
      const field = SITE_FIELDS[key];
      sets.push(`${field.column} = ?`);
      values.push(field.encode(value));
    }
    if (sets.length) this.db.prepare(`UPDATE sites SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.findSite(id);
  }

  async siteSecret(id: string): Promise<string | null> {
    return this.db.prepare<[string], { signing_secret: string | null }>('SELECT signing_secret FROM sites WHERE id = ?').get(id)?.signing_secret ?? null;
  }

  async setSiteSecret(id: string, secret: string): Promise<void> {
    const result = this.db.prepare('UPDATE sites SET signing_secret = ? WHERE id = ?').run(secret, id);
    if (result.changes === 0) throw new Error(`no site "${id}"`);
  }

  async dailySalt(day: string, generate: () => string): Promise<string> {
    return this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO address_salts (day, salt, created_at) VALUES (?, ?, ?)').run(day, generate(), new Date().toISOString());
      this.db.prepare('DELETE FROM address_salts WHERE day <> ?').run(day);
      return this.db.prepare<[string], { salt: string }>('SELECT salt FROM address_salts WHERE day = ?').get(day)!.salt;
    }).immediate();
  }

  async upsertMember(member: { siteId: string; externalId: string; displayName: string; at: string }): Promise<UserRecord> {
    const row = this.db
      .prepare<[string, string, string, string, string], UserRow>(
        `INSERT INTO users (id, site_id, kind, external_id, display_name, created_at) VALUES (?, ?, 'member', ?, ?, ?)
         ON CONFLICT (site_id, external_id) WHERE external_id IS NOT NULL DO UPDATE SET display_name = excluded.display_name
         RETURNING *`,
      )
      .get(randomUUID(), member.siteId, member.externalId, member.displayName, member.at)!;
    return toUser(row);
  }

  async rolesOf(siteId: string, externalId: string): Promise<RoleGrant[]> {
    return this.db
      .prepare<[string, string], { role: Role; topic: string }>(
        'SELECT role, topic FROM user_roles WHERE site_id = ? AND external_id = ? ORDER BY topic, role',
      )
      .all(siteId, externalId)
      .map((row) => ({ siteId, externalId, role: row.role, topic: row.topic }));
  }

  async grantRole(grant: RoleGrant, at: string): Promise<void> {
    this.db
      .prepare('INSERT OR IGNORE INTO user_roles (site_id, external_id, role, topic, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(grant.siteId, grant.externalId, grant.role, grant.topic, at);
  }

  async revokeRole(grant: RoleGrant): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM user_roles WHERE site_id = ? AND external_id = ? AND role = ? AND topic = ?')
      .run(grant.siteId, grant.externalId, grant.role, grant.topic);
    return result.changes > 0;
  }

  async saveSite(site: { id: string; name: string; origins: string[] }, at: string): Promise<SiteRecord> {
    this.db
      .prepare(
        `INSERT INTO sites (id, name, origins, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, origins = excluded.origins`,
      )
      .run(site.id, site.name, JSON.stringify(site.origins), at);
    const saved = await this.findSite(site.id);
    if (!saved) throw new Error(`site ${site.id} vanished after saving`);
    return saved;
  }

  async secret(name: string, generate: () => string): Promise<string> {
    return this.db.transaction(() => {
      this.db
        .prepare('INSERT OR IGNORE INTO server_secrets (name, value, created_at) VALUES (?, ?, ?)')
        .run(name, generate(), new Date().toISOString());
      return this.db.prepare<[string], { value: string }>('SELECT value FROM server_secrets WHERE name = ?').get(name)!.value;
    }).immediate();
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO users (id, site_id, kind, external_id, display_name, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, user.siteId, user.kind, user.externalId, user.displayName, user.createdAt);
    return { id, ...user };
  }

  async findUser(id: string): Promise<UserRecord | null> {
    const row = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return row ? toUser(row) : null;
  }

  async findPost(id: string): Promise<PostRecord | null> {
    return this.selectPost(id);
  }

  async findPostByClientId(siteId: string, authorId: string, clientId: string): Promise<PostRecord | null> {
    return this.selectPostByClientId(siteId, authorId, clientId);
  }

  async createPost(post: NewPost, hold?: HoldRecord): Promise<PostChange> {
    return this.db.transaction((): PostChange => {
      const existing = this.selectPostByClientId(post.siteId, post.authorId, post.clientId);
      if (existing) return { post: existing, event: null };
      return this.insertPost(post, hold);
    }).immediate();
  }

  async editPost(edit: { postId: string; body: string; editedAt: string; hold?: HoldRecord }): Promise<PostChange | null> {
    return this.db.transaction((): PostChange | null => {
      const post = this.selectPost(edit.postId);
      if (!post || post.deletedAt || (post.status !== 'published' && post.status !== 'held')) return null;
      const holdNow = post.status === 'held' || edit.hold !== undefined;
      this.db
        .prepare("UPDATE posts SET body = ?, edited_at = ?, status = ? WHERE id = ?")
        .run(edit.body, edit.editedAt, holdNow ? 'held' : 'published', edit.postId);
      if (edit.hold) this.enterQueue(post.id, post.siteId, edit.hold);
      // Older snapshots must not keep text the author replaced, nor text others may no longer see.
      this.scrubEventBodies(edit.postId, holdNow ? '' : edit.body);
      if (post.status === 'held') return { post: this.selectPost(post.id)!, event: null };
      if (holdNow) {
        this.countReply(post.parentId, -1);
        return this.recordChange('post.deleted', edit.postId, edit.editedAt);
      }
      return this.recordChange('post.edited', edit.postId, edit.editedAt);
    }).immediate();
  }

  async deletePost(deletion: { postId: string; deletedAt: string }): Promise<PostChange | null> {
    return this.db.transaction((): PostChange | null => {
      const post = this.selectPost(deletion.postId);
      if (!post) return null;
      if (post.deletedAt) return { post, event: null };
      return this.wipePost(post, deletion.deletedAt);
    }).immediate();
  }

  async setReaction(change: { postId: string; userId: string; reaction: Reaction; on: boolean; at: string }): Promise<PostChange | null> {
    const column = REACTION_COLUMN[change.reaction];
    return this.db.transaction((): PostChange | null => {
      const post = this.selectPost(change.postId);
      if (!post || post.deletedAt) return null;
      const result = change.on
        ? this.db
            .prepare('INSERT OR IGNORE INTO reactions (post_id, user_id, reaction, created_at) VALUES (?, ?, ?, ?)')
            .run(change.postId, change.userId, change.reaction, change.at)
        : this.db
            .prepare('DELETE FROM reactions WHERE post_id = ? AND user_id = ? AND reaction = ?')
            .run(change.postId, change.userId, change.reaction);
      if (result.changes === 0) return { post, event: null };
      this.db
        .prepare(`UPDATE posts SET ${column} = ${column} + ? WHERE id = ?`)
        .run(change.on ? 1 : -1, change.postId);
      return this.recordChange('post.reacted', change.postId, change.at);
    }).immediate();
  }

  async reactionsBy(userId: string, postIds: string[]): Promise<Map<string, Reaction[]>> {
    const rows = this.db
      .prepare<[string, string], { post_id: string; reaction: Reaction }>(
        `SELECT post_id, reaction FROM reactions
         WHERE user_id = ? AND post_id IN (SELECT value FROM json_each(?))
         ORDER BY post_id, reaction`,
      )
      .all(userId, JSON.stringify(postIds));
    const mine = new Map<string, Reaction[]>();
    for (const row of rows) {
      const list = mine.get(row.post_id) ?? [];
      list.push(row.reaction);
      mine.set(row.post_id, list);
    }
    return mine;
  }

  async readThreadPage(query: ThreadPageQuery): Promise<ThreadPage> {
    // One read transaction, so the posts and the sequence number describe the same moment.
    return this.db.transaction((): ThreadPage => {
      const rows = this.pageStatement(query.sort, query.after !== null).all({
        viewer: query.viewerId,
        siteId: query.siteId,
        topic: query.topic,
        limit: query.limit + 1,
        n: query.after?.n ?? 0,
        helpful: query.after?.helpful ?? 0,
      });
      const hasMore = rows.length > query.limit;
      const roots = rows.slice(0, query.limit).map(toPost);
      const replies = roots.length
        ? this.db
            .prepare<[string], PostRow>(
              `SELECT ${POST_COLUMNS} ${FROM_POSTS}
               WHERE p.root_id IN (SELECT value FROM json_each(?)) ORDER BY p.n ASC`,
            )
            .all(JSON.stringify(roots.map((root) => root.id)))
            .map(toPost)
        : [];
      return { roots, replies, hasMore, seq: this.selectTopicSeq(query.siteId, query.topic) };
    })();
  }

  async topicSeq(siteId: string, topic: string): Promise<number> {
    return this.selectTopicSeq(siteId, topic);
  }

  async eventsSince(siteId: string, topic: string, since: number, limit: number): Promise<TopicEventsSince> {
    return this.db.transaction((): TopicEventsSince => {
      const events = this.db
        .prepare<[string, string, number, number], EventRow>(
          `SELECT site_id, topic, seq, type, payload, created_at FROM topic_events
           WHERE site_id = ? AND topic = ? AND seq > ? ORDER BY seq ASC LIMIT ?`,
        )
        .all(siteId, topic, since, limit)
        .map(toEvent);
      return { seq: this.selectTopicSeq(siteId, topic), events };
    })();
  }

  async authorHistory(authorId: string): Promise<AuthorHistory> {
    const row = this.db
      .prepare<[string], { approved: number | null; held: number | null }>(
        `SELECT sum(status = 'published') AS approved, sum(status = 'held' AND deleted_at IS NULL) AS held
         FROM posts WHERE author_id = ?`,
      )
      .get(authorId);
    return { approvedPosts: row?.approved ?? 0, heldPosts: row?.held ?? 0 };
  }

  async standingOf(userId: string): Promise<StandingRecord | null> {
    const row = this.db
      .prepare<[string], { user_id: string; standing: StandingRecord['standing']; until: string | null; reason: string; at: string }>(
        'SELECT * FROM member_standing WHERE user_id = ?',
      )
      .get(userId);
    return row ? { userId: row.user_id, standing: row.standing, until: row.until, reason: row.reason, at: row.at } : null;
  }

  async setStanding(
    change: { userId: string; standing: StandingRecord['standing'] | 'active'; until: string | null; reason: string; at: string },
    audit: NewAuditEntry,
  ): Promise<void> {
    this.db.transaction(() => {
      if (change.standing === 'active') {
        this.db.prepare('DELETE FROM member_standing WHERE user_id = ?').run(change.userId);
      } else {
        this.db
          .prepare(
            `INSERT INTO member_standing (user_id, standing, until, reason, at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (user_id) DO UPDATE SET standing = excluded.standing, until = excluded.until, reason = excluded.reason, at = excluded.at`,
          )
          .run(change.userId, change.standing, change.until, change.reason, change.at);
      }
      this.writeAudit(audit);
    }).immediate();
  }

  async reportPost(report: {
    postId: string;
    reporterId: string;
    reason: ReportReason;
    note: string | null;
    at: string;
    threshold: number;
  }): Promise<ReportOutcome | null> {
    return this.db.transaction((): ReportOutcome | null => {
      const post = this.selectPost(report.postId);
      if (!post || post.deletedAt) return null;
      const added =
        this.db
          .prepare('INSERT OR IGNORE INTO reports (post_id, reporter_id, reason, note, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(report.postId, report.reporterId, report.reason, report.note, report.at).changes > 0;
      const reports = this.countOpenReports(report.postId);
      if (!added) return { added, reports, hidden: false, change: { post, event: null, item: this.selectItem(post.id) } };
      const hidden = post.status === 'published' && reports >= report.threshold;
      // Reports rank above ordinary holds and grow with their number; a hidden post waits ahead of a visible one.
      const urgency = 20 + Math.min(reports, 30) + (hidden ? 30 : 0);
      const item = this.enterQueue(post.id, post.siteId, { queue: 'reported', reasons: ['reports'], findings: [], urgency, at: report.at });
      if (!hidden) return { added, reports, hidden, change: { post, event: null, item } };
      this.db.prepare("UPDATE posts SET status = 'held' WHERE id = ?").run(post.id);
      this.countReply(post.parentId, -1);
      this.scrubEventBodies(post.id, '');
      return { added, reports, hidden, change: { ...this.recordChange('post.deleted', post.id, report.at), item } };
    }).immediate();
  }

  async openReports(postId: string): Promise<ReportRecord[]> {
    return this.db
      .prepare<[string], { reporter_id: string; reason: ReportReason; note: string | null; created_at: string }>(
        'SELECT reporter_id, reason, note, created_at FROM reports WHERE post_id = ? AND settled_at IS NULL ORDER BY created_at, reporter_id',
      )
      .all(postId)
      .map((row) => ({ reporterId: row.reporter_id, reason: row.reason, note: row.note, createdAt: row.created_at }));
  }

  async moderationItem(postId: string): Promise<ModerationItemRecord | null> {
    return this.selectItem(postId);
  }

  async moderationQueue(query: QueueQuery): Promise<{ items: ModerationItemRecord[]; hasMore: boolean; counts: Record<ModerationQueue, number> }> {
    return this.db.transaction(() => {
      const urgent = query.order === 'urgent';
      const after = query.after
        ? urgent
          ? 'AND (urgency < @urgency OR (urgency = @urgency AND n > @n))'
          : 'AND n > @n'
        : '';
      const rows = this.db
        .prepare<Record<string, unknown>, ItemRow>(
          `SELECT * FROM moderation_items
           WHERE site_id = @siteId AND queue = @queue AND resolved_at IS NULL ${after}
           ORDER BY ${urgent ? 'urgency DESC, n ASC' : 'n ASC'} LIMIT @limit`,
        )
        .all({ siteId: query.siteId, queue: query.queue, n: query.after?.n ?? 0, urgency: query.after?.urgency ?? 0, limit: query.limit + 1 });
      const counts = Object.fromEntries(MODERATION_QUEUES.map((queue) => [queue, 0])) as Record<ModerationQueue, number>;
      const grouped = this.db
        .prepare<[string], { queue: ModerationQueue; count: number }>(
          'SELECT queue, count(*) AS count FROM moderation_items WHERE site_id = ? AND resolved_at IS NULL GROUP BY queue',
        )
        .all(query.siteId);
      for (const row of grouped) counts[row.queue] = row.count;
      return { items: rows.slice(0, query.limit).map(toItem), hasMore: rows.length > query.limit, counts };
    })();
  }

  async approvePost(decision: { postId: string; at: string }, audit: NewAuditEntry): Promise<ModerationChange | null> {
    return this.db.transaction((): ModerationChange | null => {
      const post = this.selectPost(decision.postId);
      if (!post || post.deletedAt) return null;
      let change: PostChange = { post, event: null };
      if (post.status !== 'published') {
        this.db.prepare("UPDATE posts SET status = 'published', moderation_reason = NULL WHERE id = ?").run(post.id);
        this.countReply(post.parentId, +1);
        // Viewers never saw it (or lost it): to them it arrives now, with a new seq.
        change = this.recordChange('post.created', post.id, decision.at);
      }
      return this.concludeDecision(post.id, decision.at, audit, change);
    }).immediate();
  }

  async takeDownPost(
    decision: { postId: string; status: 'rejected' | 'removed'; reason: string; at: string },
    audit: NewAuditEntry,
  ): Promise<ModerationChange | null> {
    return this.db.transaction((): ModerationChange | null => {
      const post = this.selectPost(decision.postId);
      if (!post || post.deletedAt) return null;
      this.db.prepare('UPDATE posts SET status = ?, moderation_reason = ? WHERE id = ?').run(decision.status, decision.reason, post.id);
      this.scrubEventBodies(post.id, '');
      let change: PostChange = { post: this.selectPost(post.id)!, event: null };
      if (post.status === 'published') {
        this.countReply(post.parentId, -1);
        change = this.recordChange('post.deleted', post.id, decision.at);
      }
      return this.concludeDecision(post.id, decision.at, audit, change);
    }).immediate();
  }

  async moderatorEditPost(edit: { postId: string; body: string; at: string }, audit: NewAuditEntry): Promise<ModerationChange | null> {
    return this.db.transaction((): ModerationChange | null => {
      const post = this.selectPost(edit.postId);
      if (!post || post.deletedAt) return null;
      this.db.prepare('UPDATE posts SET body = ?, edited_at = ? WHERE id = ?').run(edit.body, edit.at, post.id);
      const published = post.status === 'published';
      this.scrubEventBodies(post.id, published ? edit.body : '');
      this.writeAudit(audit);
      const change = published ? this.recordChange('post.edited', post.id, edit.at) : { post: this.selectPost(post.id)!, event: null };
      return { ...change, item: this.selectItem(post.id) };
    }).immediate();
  }

  async saveModerationSettings(siteId: string, settings: StoredModerationSettings, audit: NewAuditEntry): Promise<SiteRecord | null> {
    return this.db.transaction((): SiteRecord | null => {
      const changed = this.db.prepare('UPDATE sites SET moderation = ? WHERE id = ?').run(JSON.stringify(settings), siteId).changes;
      if (changed === 0) return null;
      this.writeAudit(audit);
      const row = this.db.prepare<[string], SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = ?`).get(siteId);
      return row ? toSite(row) : null;
    }).immediate();
  }

  async auditLog(query: AuditQuery): Promise<{ entries: AuditRecord[]; hasMore: boolean }> {
    const where = ['site_id = @siteId'];
    if (query.actorId !== undefined) where.push('actor_id = @actorId');
    if (query.action !== undefined) where.push('action = @action');
    if (query.since !== undefined) where.push('at >= @since');
    if (query.until !== undefined) where.push('at <= @until');
    if (query.before !== undefined) where.push('n < @before');
    const rows = this.db
      .prepare<Record<string, unknown>, AuditRow>(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY n DESC LIMIT @limit`)
      .all({
        siteId: query.siteId,
        actorId: query.actorId ?? null,
        action: query.action ?? null,
        since: query.since ?? null,
        until: query.until ?? null,
        before: query.before ?? null,
        limit: query.limit + 1,
      });
    return { entries: rows.slice(0, query.limit).map(toAudit), hasMore: rows.length > query.limit };
  }

  async saveExpert(profile: ExpertProfile): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO experts (site_id, external_id, topic, credential, npi, email, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (site_id, external_id, topic) DO UPDATE SET credential = excluded.credential, npi = excluded.npi, email = excluded.email`,
      )
      .run(profile.siteId, profile.externalId, profile.topic, profile.credential, profile.npi, profile.email, profile.createdAt);
  }

  async removeExpert(siteId: string, externalId: string, topic: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM experts WHERE site_id = ? AND external_id = ? AND topic = ?').run(siteId, externalId, topic).changes > 0;
  }

  async listExperts(siteId: string, topic?: string): Promise<ExpertProfile[]> {
    return this.db
      .prepare<{ siteId: string; topic: string | null }, ExpertRow>(
        'SELECT * FROM experts WHERE site_id = @siteId AND (@topic IS NULL OR topic = @topic) ORDER BY topic, external_id',
      )
      .all({ siteId, topic: topic ?? null })
      .map(toExpert);
  }

  async createQuestion(question: NewQuestion, hold?: HoldRecord): Promise<{ question: QuestionRecord; change: PostChange }> {
    return this.db.transaction(() => {
      const existing = this.selectPostByClientId(question.siteId, question.authorId, question.clientId);
      if (existing) return { question: this.selectQuestion(existing.rootId ?? existing.id)!, change: { post: existing, event: null } };
      const change = this.insertPost(
        {
          siteId: question.siteId,
          topic: `${QUESTION_TOPIC_PREFIX}${question.topic}`,
          clientId: question.clientId,
          authorId: question.authorId,
          parentId: null,
          rootId: null,
          depth: 0,
          replyToName: null,
          body: question.body,
          createdAt: question.createdAt,
        },
        hold,
      );
      this.db
        .prepare('INSERT INTO questions (post_id, site_id, topic, visibility, notify_email, notify_page) VALUES (?, ?, ?, ?, ?, ?)')
        .run(change.post.id, question.siteId, question.topic, question.visibility, question.notify?.email ?? null, question.notify?.page ?? null);
      return { question: this.selectQuestion(change.post.id)!, change };
    }).immediate();
  }

  async addAnswer(answer: NewAnswer, hold?: HoldRecord): Promise<{ question: QuestionRecord; change: PostChange } | null> {
    return this.db.transaction(() => {
      const question = this.selectQuestion(answer.questionId);
      if (!question) return null;
      const existing = this.selectPostByClientId(question.post.siteId, answer.authorId, answer.clientId);
      // The same clientId under another question is not this answer.
      if (existing) return existing.rootId === question.post.id ? { question, change: { post: existing, event: null } } : null;
      if (question.post.deletedAt || question.post.status !== 'published') return null;
      const change = this.insertPost(
        {
          siteId: question.post.siteId,
          topic: question.post.topic,
          clientId: answer.clientId,
          authorId: answer.authorId,
          parentId: question.post.id,
          rootId: question.post.id,
          depth: 1,
          replyToName: null,
          body: answer.body,
          createdAt: answer.createdAt,
        },
        hold,
      );
      this.db
        .prepare('INSERT INTO answers (post_id, question_id, by_expert, credential) VALUES (?, ?, ?, ?)')
        .run(change.post.id, question.post.id, answer.expert ? 1 : 0, answer.expert?.credential ?? null);
      return { question: this.selectQuestion(question.post.id)!, change };
    }).immediate();
  }

  async findQuestion(postId: string): Promise<QuestionRecord | null> {
    const answer = this.db.prepare<[string], { question_id: string }>('SELECT question_id FROM answers WHERE post_id = ?').get(postId);
    return this.selectQuestion(answer?.question_id ?? postId);
  }

  async listQuestions(query: QuestionListQuery): Promise<{ questions: QuestionRecord[]; hasMore: boolean }> {
    return this.db.transaction(() => {
      const ids = this.db
        .prepare<Record<string, unknown>, { post_id: string }>(questionListSql(query.tab, query.after !== null))
        .all({
          siteId: query.siteId,
          topic: query.topic,
          viewer: query.viewerId,
          expert: query.viewerIsExpert ? 1 : 0,
          after: query.after ?? 0,
          limit: query.limit + 1,
        });
      const questions = ids.slice(0, query.limit).map((row) => this.selectQuestion(row.post_id)!);
      return { questions, hasMore: ids.length > query.limit };
    })();
  }

  async similarQuestions(query: { siteId: string; topic: string; terms: string[]; limit: number }): Promise<QuestionRecord[]> {
    if (query.terms.length === 0) return [];
    // Each term is quoted, so FTS5 reads it as a word and never as query syntax.
    const match = query.terms.map((term) => `"${term.replaceAll('"', '')}"`).join(' OR ');
    const rows = this.db
      .prepare<Record<string, unknown>, { post_id: string }>(
        `SELECT q.post_id FROM question_text f
         JOIN posts p ON p.n = f.rowid JOIN questions q ON q.post_id = p.id
         WHERE question_text MATCH @match AND q.site_id = @siteId AND q.topic = @topic AND q.visibility = 'public'
           AND p.status = 'published' AND p.deleted_at IS NULL AND ${ANSWERED_AT} IS NOT NULL
         ORDER BY bm25(question_text) LIMIT @limit`,
      )
      .all({ match, siteId: query.siteId, topic: query.topic, limit: query.limit });
    return rows.map((row) => this.selectQuestion(row.post_id)!);
  }

  async responseDelays(query: { siteId: string; topic: string; since: string }): Promise<number[]> {
    return this.db
      .prepare<[string, string, string], { asked_at: string; answered_at: string }>(
        `SELECT asked_at, answered_at FROM (
           SELECT p.created_at AS asked_at, ${ANSWERED_AT} AS answered_at FROM questions q JOIN posts p ON p.id = q.post_id
           WHERE q.site_id = ? AND q.topic = ? AND p.status = 'published' AND p.deleted_at IS NULL
         ) WHERE answered_at >= ?`,
      )
      .all(query.siteId, query.topic, query.since)
      .map((row) => Date.parse(row.answered_at) - Date.parse(row.asked_at));
  }

  async setAskerHelped(change: { answerId: string; on: boolean }): Promise<QuestionRecord | null> {
    const row = this.db
      .prepare<[number, string], { question_id: string }>('UPDATE answers SET helped_asker = ? WHERE post_id = ? RETURNING question_id')
      .get(change.on ? 1 : 0, change.answerId);
    return row ? this.selectQuestion(row.question_id) : null;
  }

  async takeAnswerNotification(questionId: string): Promise<AnswerNotification | null> {
    return this.db.transaction((): AnswerNotification | null => {
      const row = this.db
        .prepare<[string], { notify_email: string | null; notify_page: string | null }>('SELECT notify_email, notify_page FROM questions WHERE post_id = ?')
        .get(questionId);
      if (!row?.notify_email) return null;
      this.db.prepare('UPDATE questions SET notify_email = NULL, notify_page = NULL WHERE post_id = ?').run(questionId);
      return { email: row.notify_email, page: row.notify_page };
    }).immediate();
  }

  async waitingQuestions(query: { siteId: string; before: string }): Promise<{ topic: string; count: number; oldestAt: string }[]> {
    return this.db
      .prepare<[string, string], { topic: string; count: number; oldest_at: string }>(
        `SELECT q.topic, count(*) AS count, min(p.created_at) AS oldest_at FROM questions q JOIN posts p ON p.id = q.post_id
         WHERE q.site_id = ? AND p.status = 'published' AND p.deleted_at IS NULL AND p.created_at < ? AND ${ANSWERED_AT} IS NULL
         GROUP BY q.topic ORDER BY oldest_at`,
      )
      .all(query.siteId, query.before)
      .map((row) => ({ topic: row.topic, count: row.count, oldestAt: row.oldest_at }));
  }

  async saveCommunity(community: CommunitySettings, at: string): Promise<CommunityRecord> {
    return this.db.transaction((): CommunityRecord => {
      const existing = this.selectCommunity(community.siteId, community.id);
      // Only a new or changed schedule restarts the clock: renaming a topic must not move the next round.
      const nextRoundAt =
        existing && existing.roundEveryHours === community.roundEveryHours ? existing.nextRoundAt : firstRoundAt(at, community.roundEveryHours);
      this.db
        .prepare(
          `INSERT INTO communities (site_id, id, name, topics, stages, languages, round_every_hours, next_round_at, created_at)
           VALUES (@siteId, @id, @name, @topics, @stages, @languages, @roundEveryHours, @nextRoundAt, @at)
           ON CONFLICT (site_id, id) DO UPDATE SET name = excluded.name, topics = excluded.topics, stages = excluded.stages,
             languages = excluded.languages, round_every_hours = excluded.round_every_hours, next_round_at = excluded.next_round_at`,
        )
        .run({
          siteId: community.siteId,
          id: community.id,
          name: community.name,
          topics: JSON.stringify(community.topics),
          stages: JSON.stringify(community.stages),
          languages: JSON.stringify(community.languages),
          roundEveryHours: community.roundEveryHours,
          nextRoundAt,
          at,
        });
      return this.selectCommunity(community.siteId, community.id)!;
    }).immediate();
  }

  async findCommunity(siteId: string, id: string): Promise<CommunityRecord | null> {
    return this.selectCommunity(siteId, id);
  }

  async listCommunities(siteId?: string): Promise<CommunityRecord[]> {
    return this.db
      .prepare<{ siteId: string | null }, CommunityRow>('SELECT * FROM communities WHERE @siteId IS NULL OR site_id = @siteId ORDER BY site_id, id')
      .all({ siteId: siteId ?? null })
      .map(toCommunity);
  }

  async claimScheduledRound(siteId: string, community: string, now: string): Promise<boolean> {
    return this.db.prepare(CLAIM_ROUND).run({ siteId, community, now }).changes === 1;
  }

  async findProfile(siteId: string, community: string, userId: string): Promise<ProfileRecord | null> {
    return this.selectProfile(siteId, community, userId);
  }

  async saveProfile(profile: NewProfile): Promise<ProfileRecord> {
    return this.db.transaction((): ProfileRecord => {
      // A member who edits their profile keeps their place (joined_at) and their pause.
      this.db
        .prepare(
          `INSERT INTO intro_profiles (site_id, community, user_id, role, wants, topics, languages, about_post_id, joined_at, updated_at)
           VALUES (@siteId, @community, @userId, @role, @wants, @topics, @languages, @aboutPostId, @at, @at)
           ON CONFLICT (site_id, community, user_id) DO UPDATE SET role = excluded.role, wants = excluded.wants,
             topics = excluded.topics, languages = excluded.languages, about_post_id = excluded.about_post_id, updated_at = excluded.updated_at`,
        )
        .run({
          siteId: profile.siteId,
          community: profile.community,
          userId: profile.userId,
          role: profile.role,
          wants: profile.wants,
          topics: JSON.stringify(profile.topics),
          languages: JSON.stringify(profile.languages),
          aboutPostId: profile.aboutPostId,
          at: profile.at,
        });
      return this.selectProfile(profile.siteId, profile.community, profile.userId)!;
    }).immediate();
  }

  async setProfilePaused(change: { siteId: string; community: string; userId: string; pausedAt: string | null; at: string }): Promise<ProfileRecord | null> {
    const { changes } = this.db
      .prepare('UPDATE intro_profiles SET paused_at = ?, updated_at = ? WHERE site_id = ? AND community = ? AND user_id = ?')
      .run(change.pausedAt, change.at, change.siteId, change.community, change.userId);
    return changes === 0 ? null : this.selectProfile(change.siteId, change.community, change.userId);
  }

  async leaveCommunity(leave: { siteId: string; community: string; userId: string; at: string }): Promise<IntroductionRecord[] | null> {
    const { siteId, community, userId, at } = leave;
    return this.db.transaction((): IntroductionRecord[] | null => {
      const profile = this.selectProfile(siteId, community, userId);
      if (!profile) return null;
      const introductions = this.selectIntroductions(`WHERE ${OF_MEMBER} ORDER BY i.proposed_at DESC, i.id`, { siteId, community, userId });
      // Leaving deletes the match history: both sides of every conversation go, as a deletion would take them.
      for (const introduction of introductions) this.wipeLivePosts({ siteId, topic: `${INTRO_TOPIC_PREFIX}${introduction.id}`, authorId: null }, at);
      // Earlier about-me texts the member replaced go too, not only the one the profile points at.
      this.wipeLivePosts({ siteId, topic: `${ABOUT_TOPIC_PREFIX}${community}`, authorId: userId }, at);
      // Read again: the sweep above has usually wiped it already, and a post is wiped once.
      const about = profile.about && this.selectPost(profile.about.id);
      if (about && !about.deletedAt) this.wipePost(about, at);
      this.db.prepare('DELETE FROM introductions WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(introductions.map((introduction) => introduction.id)));
      this.db.prepare('DELETE FROM intro_profiles WHERE site_id = ? AND community = ? AND user_id = ?').run(siteId, community, userId);
      // Blocks others made against the leaver stay: they are the other person's wish, not the leaver's history.
      this.db.prepare('DELETE FROM intro_blocks WHERE site_id = ? AND community = ? AND blocker_id = ?').run(siteId, community, userId);
      return introductions;
    }).immediate();
  }

  async matchableProfiles(siteId: string, community: string, now: string): Promise<ProfileRecord[]> {
    // One read transaction, so the profiles and their about-me posts describe the same moment.
    return this.db.transaction((): ProfileRecord[] => {
      const rows = this.db
        .prepare<Record<string, unknown>, ProfileRow>(
          `SELECT ${PROFILE_COLUMNS} ${FROM_PROFILES} WHERE f.site_id = @siteId AND f.community = @community AND ${MATCHABLE} ORDER BY f.user_id`,
        )
        .all({ siteId, community, now });
      return this.withAbout(rows);
    })();
  }

  async pastPairs(siteId: string, community: string): Promise<[string, string][]> {
    return this.db
      .prepare<[string, string], { member_a: string; member_b: string }>(
        'SELECT DISTINCT member_a, member_b FROM introductions WHERE site_id = ? AND community = ? ORDER BY member_a, member_b',
      )
      .all(siteId, community)
      .map((row) => [row.member_a, row.member_b]);
  }

  async blocks(siteId: string): Promise<[string, string][]> {
    return this.db
      .prepare<[string], { blocker_id: string; blocked_id: string }>(
        'SELECT DISTINCT blocker_id, blocked_id FROM intro_blocks WHERE site_id = ? ORDER BY blocker_id, blocked_id',
      )
      .all(siteId)
      .map((row) => [row.blocker_id, row.blocked_id]);
  }

  async expireProposals(siteId: string, community: string, now: string): Promise<IntroductionRecord[]> {
    return this.db.transaction((): IntroductionRecord[] => {
      const expired = this.db
        .prepare<[string, string, string], { id: string }>(
          `UPDATE introductions SET state = 'expired'
           WHERE site_id = ? AND community = ? AND state = 'proposed' AND expires_at <= ? RETURNING id`,
        )
        .all(siteId, community, now);
      return this.selectIntroductions('WHERE i.id IN (SELECT value FROM json_each(@ids)) ORDER BY i.round_n, i.id', {
        ids: JSON.stringify(expired.map((row) => row.id)),
      });
    }).immediate();
  }

  async createRound(round: Omit<RoundRecord, 'n'>, introductions: NewIntroduction[]): Promise<{ round: RoundRecord; introductions: IntroductionRecord[] }> {
    return this.db.transaction(() => {
      const row = this.db
        .prepare<Record<string, unknown>, RoundRow>(
          `INSERT INTO intro_rounds (site_id, community, triggered_by, started_at, members, candidate_edges, pairs, total_score, took_ms, algorithm)
           VALUES (@siteId, @community, @trigger, @startedAt, @members, @candidateEdges, @pairs, @totalScore, @tookMs, @algorithm) RETURNING *`,
        )
        .get({ ...round })!;
      const insert = this.db.prepare(
        `INSERT INTO introductions (id, site_id, community, round_n, member_a, member_b, score, reasons, proposed_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const ids = introductions.map((introduction) => {
        const id = randomUUID();
        // One spelling per pair, so past pairs and the CHECK (member_a < member_b) agree.
        const [a, b] = introduction.a < introduction.b ? [introduction.a, introduction.b] : [introduction.b, introduction.a];
        insert.run(id, round.siteId, round.community, row.n, a, b, introduction.score, JSON.stringify(introduction.reasons), round.startedAt, introduction.expiresAt);
        return id;
      });
      return { round: toRound(row), introductions: ids.map((id) => this.selectIntroduction(id)!) };
    }).immediate();
  }

  async listRounds(siteId: string, community: string, limit: number): Promise<RoundRecord[]> {
    return this.db
      .prepare<[string, string, number], RoundRow>('SELECT * FROM intro_rounds WHERE site_id = ? AND community = ? ORDER BY n DESC LIMIT ?')
      .all(siteId, community, limit)
      .map(toRound);
  }

  async latestRoundN(): Promise<number> {
    return this.db.prepare<[], { n: number }>('SELECT coalesce(max(n), 0) AS n FROM intro_rounds').get()!.n;
  }

  async introductionsAfterRound(n: number): Promise<IntroductionRecord[]> {
    return this.selectIntroductions('WHERE i.round_n > @n ORDER BY i.round_n, i.id', { n });
  }

  async findIntroduction(id: string): Promise<IntroductionRecord | null> {
    return this.selectIntroduction(id);
  }

  async introductionsOf(query: { siteId: string; community: string; userId: string; now: string }): Promise<IntroductionRecord[]> {
    return this.selectIntroductions(`WHERE ${OF_MEMBER} AND ${VISIBLE_TO_MEMBER} ORDER BY i.proposed_at DESC, i.id`, { ...query });
  }

  /** A member answers once: a second answer (or one after a decline, a connection or the lapse) is null, "no longer pending". */
  async answerIntroduction(answer: { id: string; userId: string; accept: boolean; at: string }): Promise<IntroductionRecord | null> {
    return this.db.transaction((): IntroductionRecord | null => {
      const introduction = this.selectIntroduction(answer.id);
      const index = introduction && memberIndex(introduction, answer.userId);
      if (!introduction || index === null || introduction.state !== 'proposed' || introduction.expiresAt <= answer.at) return null;
      if (introduction.members[index].answer !== null) return null;
      const otherAccepted = introduction.members[index === 0 ? 1 : 0].answer === 'accepted';
      const state = !answer.accept ? 'declined' : otherAccepted ? 'connected' : 'proposed';
      this.db
        .prepare(`UPDATE introductions SET ${ANSWER_COLUMNS[index]} = ?, state = ?, connected_at = ? WHERE id = ?`)
        .run(answer.accept ? 'accepted' : 'declined', state, state === 'connected' ? answer.at : null, answer.id);
      return this.selectIntroduction(answer.id);
    }).immediate();
  }

  async endIntroduction(end: { id: string; userId: string; block: boolean; at: string }): Promise<IntroductionRecord | null> {
    return this.db.transaction((): IntroductionRecord | null => {
      const introduction = this.selectIntroduction(end.id);
      const index = introduction && memberIndex(introduction, end.userId);
      if (!introduction || index === null || introduction.state !== 'connected') return null;
      this.db.prepare("UPDATE introductions SET state = 'ended', ended_at = ?, ended_by = ? WHERE id = ?").run(end.at, end.userId, end.id);
      if (end.block) {
        this.db
          .prepare('INSERT OR IGNORE INTO intro_blocks (site_id, community, blocker_id, blocked_id, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(introduction.siteId, introduction.community, end.userId, introduction.members[index === 0 ? 1 : 0].userId, end.at);
      }
      return this.selectIntroduction(end.id);
    }).immediate();
  }

  private selectCommunity(siteId: string, id: string): CommunityRecord | null {
    const row = this.db.prepare<[string, string], CommunityRow>('SELECT * FROM communities WHERE site_id = ? AND id = ?').get(siteId, id);
    return row ? toCommunity(row) : null;
  }

  private selectProfile(siteId: string, community: string, userId: string): ProfileRecord | null {
    const row = this.db
      .prepare<[string, string, string], ProfileRow>(`SELECT ${PROFILE_COLUMNS} ${FROM_PROFILES} WHERE f.site_id = ? AND f.community = ? AND f.user_id = ?`)
      .get(siteId, community, userId);
    return row ? toProfile(row, row.about_post_id ? this.selectPost(row.about_post_id) : null) : null;
  }

  /** Profiles with their about-me posts, read in one query rather than one per member (a round reads them all). */
  private withAbout(rows: ProfileRow[]): ProfileRecord[] {
    const ids = rows.flatMap((row) => (row.about_post_id ? [row.about_post_id] : []));
    const posts = new Map(
      this.db
        .prepare<[string], PostRow>(`SELECT ${POST_COLUMNS} ${FROM_POSTS} WHERE p.id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids))
        .map((row) => [row.id, toPost(row)]),
    );
    return rows.map((row) => toProfile(row, row.about_post_id ? (posts.get(row.about_post_id) ?? null) : null));
  }

  private selectIntroduction(id: string): IntroductionRecord | null {
    return this.selectIntroductions('WHERE i.id = @id', { id })[0] ?? null;
  }

  /** `whereAndOrder` is one of this class's constant clauses; values travel only as named parameters. */
  private selectIntroductions(whereAndOrder: string, params: Record<string, unknown>): IntroductionRecord[] {
    return this.db
      .prepare<Record<string, unknown>, IntroductionRow>(`SELECT ${INTRODUCTION_COLUMNS} ${FROM_INTRODUCTIONS} ${whereAndOrder}`)
      .all(params)
      .map(toIntroduction);
  }

  /** Wipes every live post of a topic (only `authorId`'s, when given) as deletePost would; call inside a transaction. */
  private wipeLivePosts(filter: { siteId: string; topic: string; authorId: string | null }, at: string): void {
    const rows = this.db
      .prepare<Record<string, unknown>, PostRow>(
        `SELECT ${POST_COLUMNS} ${FROM_POSTS}
         WHERE p.site_id = @siteId AND p.topic = @topic AND (@authorId IS NULL OR p.author_id = @authorId) AND p.deleted_at IS NULL
         ORDER BY p.n`,
      )
      .all(filter);
    for (const row of rows) this.wipePost(toPost(row), at);
  }

  private selectQuestion(postId: string): QuestionRecord | null {
    const row = this.db.prepare<[string], QuestionRow>(`SELECT ${QUESTION_COLUMNS} FROM questions q WHERE q.post_id = ?`).get(postId);
    const post = row && this.selectPost(postId);
    if (!row || !post) return null;
    const answers = this.db
      .prepare<[string], PostRow & AnswerRow>(
        `SELECT ${POST_COLUMNS}, a.by_expert, a.credential, a.helped_asker ${FROM_POSTS} JOIN answers a ON a.post_id = p.id
         WHERE a.question_id = ? ORDER BY p.n`,
      )
      .all(postId)
      .map((answer) => ({
        post: toPost(answer),
        expert: answer.by_expert ? { credential: answer.credential } : null,
        helpedAsker: answer.helped_asker === 1,
      }));
    return { post, topic: row.topic, visibility: row.visibility, notifying: row.notify_email !== null, answeredAt: row.answered_at, answers };
  }

  /** Inserts a new post (held with its queue item, or published with its event); call inside a transaction. */
  private insertPost(post: NewPost, hold?: HoldRecord): PostChange {
    const id = randomUUID();
    const status = hold ? 'held' : (post.status ?? 'published');
    this.db
      .prepare(
        `INSERT INTO posts (id, site_id, topic, client_id, author_id, parent_id, root_id, depth, reply_to_name, body, created_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, post.siteId, post.topic, post.clientId, post.authorId, post.parentId, post.rootId, post.depth, post.replyToName, post.body, post.createdAt, status);
    if (status !== 'published') {
      if (hold) this.enterQueue(id, post.siteId, hold);
      // Nobody but the author and moderators sees it yet: no topic event until it is approved.
      return { post: this.selectPost(id)!, event: null };
    }
    this.countReply(post.parentId, +1);
    return this.recordChange('post.created', id, post.createdAt);
  }

  private countOpenReports(postId: string): number {
    return this.db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM reports WHERE post_id = ? AND settled_at IS NULL').get(postId)!.count;
  }

  private pageStatement(sort: Sort, hasPosition: boolean) {
    const key = `${sort}:${hasPosition}`;
    let statement = this.pageStatements.get(key);
    if (!statement) {
      const { after, order } = PAGE_ORDER[sort];
      statement = this.db.prepare<Record<string, unknown>, PostRow>(
        `SELECT ${POST_COLUMNS} ${FROM_POSTS}
         WHERE p.site_id = @siteId AND p.topic = @topic AND p.root_id IS NULL
           AND ((p.deleted_at IS NULL AND (p.status = 'published' OR p.author_id = @viewer))
             OR EXISTS (SELECT 1 FROM posts r WHERE r.root_id = p.id AND r.deleted_at IS NULL AND r.status = 'published'))
           ${hasPosition ? `AND ${after}` : ''}
         ORDER BY ${order} LIMIT @limit`,
      );
      this.pageStatements.set(key, statement);
    }
    return statement;
  }

  private selectTopicSeq(siteId: string, topic: string): number {
    return (
      this.db
        .prepare<[string, string], { seq: number }>('SELECT seq FROM topics WHERE site_id = ? AND topic = ?')
        .get(siteId, topic)?.seq ?? 0
    );
  }

  private selectPost(id: string): PostRecord | null {
    const row = this.db.prepare<[string], PostRow>(`SELECT ${POST_COLUMNS} ${FROM_POSTS} WHERE p.id = ?`).get(id);
    return row ? toPost(row) : null;
  }

  private selectPostByClientId(siteId: string, authorId: string, clientId: string): PostRecord | null {
    const row = this.db
      .prepare<[string, string, string], PostRow>(
        `SELECT ${POST_COLUMNS} ${FROM_POSTS} WHERE p.site_id = ? AND p.author_id = ? AND p.client_id = ?`,
      )
      .get(siteId, authorId, clientId);
    return row ? toPost(row) : null;
  }

  /**
   * Deletes a live post: wipes its body and reactions, resolves its queue item and scrubs its
   * text from stored events and audit copies; a post others saw gets a tombstone event. Call
   * inside a transaction.
   */
  private wipePost(post: PostRecord, at: string): PostChange {
    this.db.prepare("UPDATE posts SET body = '', deleted_at = ?, helpful = 0, thanks = 0, metoo = 0 WHERE id = ?").run(at, post.id);
    this.db.prepare('DELETE FROM reactions WHERE post_id = ?').run(post.id);
    this.resolveItem(post.id, at);
    // A deleted post's text must not survive in the event log or in the audit log's copies either.
    this.scrubEventBodies(post.id, '');
    this.scrubAuditBodies(post.id);
    if (post.status !== 'published') return { post: this.selectPost(post.id)!, event: null };
    this.countReply(post.parentId, -1);
    return this.recordChange('post.deleted', post.id, at);
  }

  private scrubEventBodies(postId: string, body: string): void {
    this.db.prepare("UPDATE topic_events SET payload = json_set(payload, '$.body', ?) WHERE post_id = ?").run(body, postId);
  }

  private scrubAuditBodies(postId: string): void {
    for (const column of ['before', 'after'] as const) {
      this.db
        .prepare(`UPDATE audit_log SET ${column} = json_set(${column}, '$.body', '') WHERE target_id = ? AND json_type(${column}, '$.body') = 'text'`)
        .run(postId);
    }
  }

  /** Keeps `reply_count` at the number of live, published direct replies. */
  private countReply(parentId: string | null, by: 1 | -1): void {
    if (parentId) this.db.prepare('UPDATE posts SET reply_count = reply_count + ? WHERE id = ?').run(by, parentId);
  }

  /** Writes the one event a change produces and bumps the topic's sequence; call inside the change's transaction. */
  private recordChange(type: TopicEventType, postId: string, at: string): PostChange {
    const post = this.selectPost(postId);
    if (!post) throw new Error(`post ${postId} vanished inside its own transaction`);
    // Viewers' copy of a post they may no longer see carries no text.
    const snapshot = post.status === 'published' ? post : { ...post, body: '' };
    const { seq } = this.db
      .prepare<[string, string], { seq: number }>(
        `INSERT INTO topics (site_id, topic, seq) VALUES (?, ?, 1)
         ON CONFLICT (site_id, topic) DO UPDATE SET seq = seq + 1 RETURNING seq`,
      )
      .get(post.siteId, post.topic)!;
    this.db
      .prepare('INSERT INTO topic_events (site_id, topic, seq, type, post_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(post.siteId, post.topic, seq, type, postId, JSON.stringify(snapshot), at);
    return { post, event: { siteId: post.siteId, topic: post.topic, seq, type, post: snapshot, createdAt: at } };
  }

  private selectItem(postId: string): ModerationItemRecord | null {
    const row = this.db.prepare<[string], ItemRow>('SELECT * FROM moderation_items WHERE post_id = ?').get(postId);
    return row ? toItem(row) : null;
  }

  /**
   * Puts the post in a queue. An open item gathers the new reasons (the most
   * urgent queue wins); a resolved one is replaced, so a re-entry goes to the
   * back of the line.
   */
  private enterQueue(postId: string, siteId: string, hold: HoldRecord): ModerationItemRecord {
    const open = this.selectItem(postId);
    if (open && open.resolvedAt === null) {
      const queue = QUEUE_RANK[hold.queue] > QUEUE_RANK[open.queue] ? hold.queue : open.queue;
      this.db
        .prepare('UPDATE moderation_items SET queue = ?, reasons = ?, findings = ?, urgency = ? WHERE post_id = ?')
        .run(
          queue,
          JSON.stringify([...new Set([...open.reasons, ...hold.reasons])]),
          JSON.stringify([...new Set([...open.findings, ...hold.findings])]),
          Math.max(open.urgency, hold.urgency),
          postId,
        );
    } else {
      this.db.prepare('DELETE FROM moderation_items WHERE post_id = ?').run(postId);
      this.db
        .prepare('INSERT INTO moderation_items (post_id, site_id, queue, reasons, findings, urgency, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(postId, siteId, hold.queue, JSON.stringify(hold.reasons), JSON.stringify(hold.findings), hold.urgency, hold.at);
    }
    return this.selectItem(postId)!;
  }

  private resolveItem(postId: string, at: string): void {
    this.db.prepare('UPDATE moderation_items SET resolved_at = ? WHERE post_id = ? AND resolved_at IS NULL').run(at, postId);
  }

  private settleReports(postId: string, at: string): void {
    this.db.prepare('UPDATE reports SET settled_at = ? WHERE post_id = ? AND settled_at IS NULL').run(at, postId);
  }

  private writeAudit(entry: NewAuditEntry): void {
    this.db
      .prepare(
        `INSERT INTO audit_log (id, site_id, at, actor_id, actor_name, action, target_kind, target_id, reason, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        randomUUID(),
        entry.siteId,
        entry.at,
        entry.actor.id,
        entry.actor.name,
        entry.action,
        entry.target.kind,
        entry.target.id,
        entry.reason,
        JSON.stringify(entry.before ?? null),
        JSON.stringify(entry.after ?? null),
      );
  }

  /** Resolves the post's item, settles its reports and writes the audit entry: the end of every decision. */
  private concludeDecision(postId: string, at: string, audit: NewAuditEntry, change: PostChange): ModerationChange {
    this.resolveItem(postId, at);
    this.settleReports(postId, at);
    this.writeAudit(audit);
    return { ...change, item: this.selectItem(postId) };
  }
}

/** Opens (creating if needed) the SQLite database at `path`. Call `migrate()` before use. */
export function openSqliteStore(path: string): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // An acknowledgement promises the write survives a power cut, so sync every commit.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return new SqliteStore(db, path);
}
