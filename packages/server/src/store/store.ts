/**
 * The storage contract. Methods are async so a Postgres implementation can
 * follow the SQLite one; every method that changes a post writes the post, one
 * topic event and the topic's next sequence number in one transaction.
 */
import type { IdentityKind, Reaction, ReactionCounts, Role, Sort, TopicEventType } from '@kindred/protocol';

/** `points` actions per `durationSec` seconds. */
export interface RateLimitSetting {
  points: number;
  durationSec: number;
}

/** What an operator sets per site with `kindred site update`. */
export interface SiteSettings {
  /** Whether visitors may post under a guest display name. */
  guestsAllowed: boolean;
  /** Topics only signed-in members of this site may read or write. */
  membersOnlyTopics: string[];
  disclaimer: string | null;
  /** Overrides of the server's default limits, by limit name. */
  rateLimits: Record<string, RateLimitSetting>;
  /** Host tokens are verified with this JWKS (RS256/ES256) instead of the site's HS256 secret. */
  jwksUrl: string | null;
  /** Whether a host token's `roles` claim is honoured. */
  trustTokenRoles: boolean;
}

/** A site. Its signing secret is deliberately not part of it: see `Store.siteSecret`. */
export interface SiteRecord extends SiteSettings {
  id: string;
  name: string;
  /** Origins (scheme://host[:port]) whose pages may embed this site's widgets. */
  origins: string[];
  createdAt: string;
}

export type SiteChanges = Partial<SiteSettings & { name: string; origins: string[] }>;

/** A role held by a host-site user (their `sub`); `topic` is '' for site-wide roles. */
export interface RoleGrant {
  siteId: string;
  externalId: string;
  role: Role;
  topic: string;
}

export interface UserRecord {
  id: string;
  siteId: string;
  kind: IdentityKind;
  /** The host site's own user id (its JWT `sub`) for members; null for guests. */
  externalId: string | null;
  displayName: string;
  createdAt: string;
}

export interface NewUser {
  siteId: string;
  kind: IdentityKind;
  externalId: string | null;
  displayName: string;
  createdAt: string;
}

export interface PostRecord {
  /** Insertion order; the key pagination runs on. */
  n: number;
  id: string;
  siteId: string;
  topic: string;
  clientId: string;
  author: { id: string; name: string; kind: IdentityKind };
  parentId: string | null;
  rootId: string | null;
  depth: number;
  replyToName: string | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  reactions: ReactionCounts;
  /** Live direct replies. */
  replyCount: number;
}

export interface NewPost {
  siteId: string;
  topic: string;
  clientId: string;
  authorId: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  replyToName: string | null;
  body: string;
  createdAt: string;
}

export interface TopicEventRecord {
  siteId: string;
  topic: string;
  seq: number;
  type: TopicEventType;
  /** The post as it was right after the change. */
  post: PostRecord;
  createdAt: string;
}

/** The result of a change: the post after it, and the event it wrote (null when nothing changed). */
export interface PostChange {
  post: PostRecord;
  event: TopicEventRecord | null;
}

/** Where the previous page ended, decoded from the client's cursor. */
export interface PagePosition {
  n: number;
  helpful: number;
}

export interface ThreadPageQuery {
  siteId: string;
  topic: string;
  sort: Sort;
  after: PagePosition | null;
  limit: number;
}

export interface ThreadPage {
  /** Live top-level posts, and tombstones that still have live replies, in sort order. */
  roots: PostRecord[];
  /** Every reply under those roots, oldest first, tombstones included. */
  replies: PostRecord[];
  hasMore: boolean;
  /** The topic's sequence number, read together with the posts. */
  seq: number;
}

export interface TopicEventsSince {
  seq: number;
  /** Events after `since`, oldest first, at most `limit`. */
  events: TopicEventRecord[];
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, for logs (a file path, or a URL without credentials). */
  readonly location: string;
  /** Applies pending migrations; returns the versions it applied. Safe to call on every start. */
  migrate(): Promise<number[]>;
  /** Throws when the store cannot answer a trivial query. */
  check(): Promise<void>;
  close(): Promise<void>;

  findSite(id: string): Promise<SiteRecord | null>;
  /** Creates the site, or updates its name and origins. */
  saveSite(site: { id: string; name: string; origins: string[] }, at: string): Promise<SiteRecord>;

  listSites(): Promise<SiteRecord[]>;
  /** Changes only the given fields; null when the site does not exist. */
  updateSite(id: string, changes: SiteChanges): Promise<SiteRecord | null>;
  /** The site's HS256 key for host tokens; null when none was set. Kept apart from SiteRecord so it is never listed or logged by accident. */
  siteSecret(id: string): Promise<string | null>;
  setSiteSecret(id: string, secret: string): Promise<void>;

  /** Returns the named secret, storing `generate()` first if there is none yet. */
  secret(name: string, generate: () => string): Promise<string>;
  /**
   * The salt for `day` (YYYY-MM-DD), stored from `generate()` if there is none
   * yet; salts of other days are deleted in the same transaction.
   */
  dailySalt(day: string, generate: () => string): Promise<string>;

  createUser(user: NewUser): Promise<UserRecord>;
  findUser(id: string): Promise<UserRecord | null>;
  /** Creates the member (site, externalId) or updates their display name. */
  upsertMember(member: { siteId: string; externalId: string; displayName: string; at: string }): Promise<UserRecord>;

  /** Roles of one host-site user, site-wide ones first. */
  rolesOf(siteId: string, externalId: string): Promise<RoleGrant[]>;
  /** Idempotent. */
  grantRole(grant: RoleGrant, at: string): Promise<void>;
  /** False when the user did not hold the role. */
  revokeRole(grant: RoleGrant): Promise<boolean>;

  findPost(id: string): Promise<PostRecord | null>;
  findPostByClientId(siteId: string, authorId: string, clientId: string): Promise<PostRecord | null>;
  /** Idempotent on (site, author, clientId): a repeat returns the stored post and no event. */
  createPost(post: NewPost): Promise<PostChange>;
  /** Null when the post is missing or deleted. */
  editPost(edit: { postId: string; body: string; editedAt: string }): Promise<PostChange | null>;
  /** Wipes the body and reactions and keeps a tombstone; a repeat returns the tombstone and no event. Null when missing. */
  deletePost(deletion: { postId: string; deletedAt: string }): Promise<PostChange | null>;
  /** Turns one reaction on or off; no event when it already was. Null when the post is missing or deleted. */
  setReaction(change: { postId: string; userId: string; reaction: Reaction; on: boolean; at: string }): Promise<PostChange | null>;
  /** The reactions `userId` gave, per post id, for the given posts. */
  reactionsBy(userId: string, postIds: string[]): Promise<Map<string, Reaction[]>>;

  readThreadPage(query: ThreadPageQuery): Promise<ThreadPage>;
  /** The topic's current sequence number; 0 for a topic nobody has written to. */
  topicSeq(siteId: string, topic: string): Promise<number>;
  eventsSince(siteId: string, topic: string, since: number, limit: number): Promise<TopicEventsSince>;
}
