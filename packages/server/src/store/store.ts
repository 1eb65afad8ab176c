/**
 * The storage contract. Methods are async so a Postgres implementation can
 * follow the SQLite one; every method that changes a post writes the post, one
 * topic event and the topic's next sequence number in one transaction.
 */
import type {
  AuditEntry,
  CommunityView,
  IntroReason,
  IntroRole,
  IntroWants,
  ProfileTopic,
  HoldReason,
  IdentityKind,
  MemberStanding,
  ModerationQueue,
  ModerationSettings,
  PostStatus,
  QuestionTab,
  QuestionVisibility,
  Reaction,
  ReactionCounts,
  ReportReason,
  Role,
  Sort,
  TopicEventType,
} from '@kindred/protocol';

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
  /** What moderators changed from the defaults (see `services/moderation-settings.ts`). */
  moderation: StoredModerationSettings;
}

/** Moderation settings as stored: only what was set; the rest comes from the defaults. */
export type StoredModerationSettings = Partial<ModerationSettings> & {
  /** Regular expressions (source text) for the hospital's own record numbers, for the identifier scan. */
  recordNumberPatterns?: string[];
};

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
  /** Live, published direct replies. */
  replyCount: number;
  /** Only `published` posts reach anyone but their author and moderators. */
  status: PostStatus;
  /** Why a moderator rejected or removed it; for the author. */
  moderationReason: string | null;
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
  /** Default 'published'. A held post writes no topic event until it is approved. */
  status?: 'published' | 'held';
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
  /** Who reads: their own held, rejected and removed posts are listed too. */
  viewerId: string | null;
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

/** Why a post waits for a moderator; written with the post (or the change) that caused it. */
export interface HoldRecord {
  queue: ModerationQueue;
  reasons: HoldReason[];
  findings: string[];
  urgency: number;
  at: string;
}

/** An open or resolved entry of a moderation queue, one per post. */
export interface ModerationItemRecord extends HoldRecord {
  /** Entry order; the key queue pages run on. */
  n: number;
  postId: string;
  siteId: string;
  resolvedAt: string | null;
}

export interface ReportRecord {
  reporterId: string;
  reason: ReportReason;
  note: string | null;
  createdAt: string;
}

/** A member's standing; `until` is when a suspension ends. Absent means active. */
export interface StandingRecord {
  userId: string;
  standing: Exclude<MemberStanding, 'active'>;
  until: string | null;
  reason: string;
  at: string;
}

/** An audit entry before the store names it; written in the same transaction as the change it records. */
export interface NewAuditEntry {
  siteId: string;
  at: string;
  actor: AuditEntry['actor'];
  action: AuditEntry['action'];
  target: AuditEntry['target'];
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditRecord extends AuditEntry {
  n: number;
  siteId: string;
}

export interface AuditQuery {
  siteId: string;
  actorId?: string;
  action?: AuditEntry['action'];
  since?: string;
  until?: string;
  /** Entries older than this `n` (pages run newest first). */
  before?: number;
  limit: number;
}

export interface QueueQuery {
  siteId: string;
  queue: ModerationQueue;
  order: 'oldest' | 'urgent';
  /** The last item of the previous page. */
  after: { n: number; urgency: number } | null;
  limit: number;
}

/** What happened to a post by a moderation change, with the topic event it wrote (if viewers see a change). */
export interface ModerationChange extends PostChange {
  item: ModerationItemRecord | null;
}

export interface ReportOutcome {
  /** False when this person had reported the post already. */
  added: boolean;
  /** Open reports from different people after this one. */
  reports: number;
  /** This report took the post past the threshold and hid it; `change.event` is its `post.deleted`. */
  hidden: boolean;
  change: ModerationChange;
}

/** Authors' standing and history that the trust phase and the moderator console read. */
export interface AuthorHistory {
  approvedPosts: number;
  heldPosts: number;
}

/** Questions are posts under this topic prefix (a colon never appears in a slug), so thread reads never see them. */
export const QUESTION_TOPIC_PREFIX = 'qa:';

/** A host-site user an admin made an expert of one topic, with the credential their badge shows. */
export interface ExpertProfile {
  siteId: string;
  /** The host site's id for them (their tokens' `sub`). */
  externalId: string;
  topic: string;
  /** Shown on the badge, e.g. "MD, Cardiology". */
  credential: string;
  /** National Provider Identifier, checked when added; never shown to visitors. */
  npi: string | null;
  /** Where the digest of waiting questions goes; null for none. */
  email: string | null;
  createdAt: string;
}

/** A reply to a question: a topic expert's answer, or the asker's follow-up. */
export interface AnswerRecord {
  post: PostRecord;
  /** The badge of an expert answer, as it was when answered; null for a follow-up. */
  expert: { credential: string | null } | null;
  helpedAsker: boolean;
}

export interface QuestionRecord {
  /** The question itself: its body is the title, then a blank line and the details. */
  post: PostRecord;
  /** The topic slug (without QUESTION_TOPIC_PREFIX). */
  topic: string;
  visibility: QuestionVisibility;
  /** Whether an answer email is still to be sent. */
  notifying: boolean;
  /** When the first live, published expert answer was written; null while unanswered. */
  answeredAt: string | null;
  /** Every reply, oldest first, whatever its status. */
  answers: AnswerRecord[];
}

export interface NewQuestion {
  siteId: string;
  topic: string;
  clientId: string;
  authorId: string;
  body: string;
  visibility: QuestionVisibility;
  /** Kept only until the answer email is sent. */
  notify: { email: string; page: string | null } | null;
  createdAt: string;
}

export interface NewAnswer {
  questionId: string;
  clientId: string;
  authorId: string;
  body: string;
  expert: { credential: string | null } | null;
  createdAt: string;
}

export interface QuestionListQuery {
  siteId: string;
  topic: string;
  tab: QuestionTab;
  /** Who reads: `mine` lists their questions; private questions reach only the asker and the topic's experts. */
  viewerId: string | null;
  viewerIsExpert: boolean;
  /** The `n` of the last question of the previous page. */
  after: number | null;
  limit: number;
}

/** A question whose answer email is due, taken from the store so it is sent once. */
export interface AnswerNotification {
  email: string;
  page: string | null;
}

/** Thread topics are slugs; posts of questions and introductions live under topics with a colon. */
export function isThreadTopic(topic: string): boolean {
  return !topic.includes(':');
}

/** Conversation messages of an introduction are posts under `intro:<introductionId>`. */
export const INTRO_TOPIC_PREFIX = 'intro:';
/** A member's about-me is a post under `intro-about:<community>`, so it is moderated like any post. */
export const ABOUT_TOPIC_PREFIX = 'intro-about:';

/** A community members opt in to for introductions: what widgets see of it, and its site and creation time. */
export interface CommunityRecord extends CommunityView {
  siteId: string;
  createdAt: string;
}

export type CommunitySettings = Pick<CommunityRecord, 'siteId' | 'id' | 'name' | 'topics' | 'stages' | 'languages' | 'roundEveryHours'>;

export interface ProfileRecord {
  siteId: string;
  community: string;
  userId: string;
  /** The member's display name (from their user record). */
  name: string;
  role: IntroRole;
  wants: IntroWants;
  topics: ProfileTopic[];
  languages: string[];
  /** The about-me post; null when they wrote none. */
  about: PostRecord | null;
  pausedAt: string | null;
  joinedAt: string;
  updatedAt: string;
}

export interface NewProfile {
  siteId: string;
  community: string;
  userId: string;
  role: IntroRole;
  wants: IntroWants;
  topics: ProfileTopic[];
  languages: string[];
  aboutPostId: string | null;
  at: string;
}

/** One of the two members of an introduction and their answer so far. */
export interface IntroMember {
  userId: string;
  name: string;
  answer: 'accepted' | 'declined' | null;
}

/**
 * `proposed` until both answer or it lapses; `connected` once both accepted;
 * `declined` and `expired` are never shown to anyone; `ended`: closed by a block or a member leaving.
 */
export type IntroductionState = 'proposed' | 'connected' | 'declined' | 'expired' | 'ended';

export interface IntroductionRecord {
  id: string;
  siteId: string;
  community: string;
  /** The round that proposed it. */
  roundN: number;
  /** Ordered by user id. */
  members: [IntroMember, IntroMember];
  score: number;
  reasons: IntroReason[];
  state: IntroductionState;
  proposedAt: string;
  expiresAt: string;
  connectedAt: string | null;
  endedAt: string | null;
  /** Who ended it (blocked or left); null otherwise. */
  endedBy: string | null;
}

export interface NewIntroduction {
  a: string;
  b: string;
  score: number;
  reasons: IntroReason[];
  expiresAt: string;
}

export interface RoundRecord {
  /** Store-wide round order. */
  n: number;
  siteId: string;
  community: string;
  trigger: 'schedule' | 'admin';
  startedAt: string;
  /** Matchable members this round looked at. */
  members: number;
  candidateEdges: number;
  pairs: number;
  totalScore: number;
  tookMs: number;
  algorithm: 'exact' | 'approximate';
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
  /**
   * Idempotent on (site, author, clientId): a repeat returns the stored post and no event.
   * With `hold` the post is stored 'held' with its queue item and writes no topic event.
   */
  createPost(post: NewPost, hold?: HoldRecord): Promise<PostChange>;
  /**
   * Null when the post is missing, deleted, rejected or removed. With `hold` a
   * published post becomes held (its event is a `post.deleted` tombstone and
   * earlier snapshots lose the text); a held post stays held and writes no event.
   */
  editPost(edit: { postId: string; body: string; editedAt: string; hold?: HoldRecord }): Promise<PostChange | null>;
  /**
   * Wipes the body and reactions and keeps a tombstone; a repeat returns the tombstone and no event. Null when missing.
   * A post nobody else saw (held, rejected, removed) writes no event; its open queue item is resolved.
   */
  deletePost(deletion: { postId: string; deletedAt: string }): Promise<PostChange | null>;
  /** Turns one reaction on or off; no event when it already was. Null when the post is missing or deleted. */
  setReaction(change: { postId: string; userId: string; reaction: Reaction; on: boolean; at: string }): Promise<PostChange | null>;
  /** The reactions `userId` gave, per post id, for the given posts. */
  reactionsBy(userId: string, postIds: string[]): Promise<Map<string, Reaction[]>>;

  readThreadPage(query: ThreadPageQuery): Promise<ThreadPage>;
  /** The topic's current sequence number; 0 for a topic nobody has written to. */
  topicSeq(siteId: string, topic: string): Promise<number>;
  eventsSince(siteId: string, topic: string, since: number, limit: number): Promise<TopicEventsSince>;

  /** Published posts (approved history) and posts waiting in a queue, of one author. */
  authorHistory(authorId: string): Promise<AuthorHistory>;
  /** Null when the member is active (never acted on, or reinstated). */
  standingOf(userId: string): Promise<StandingRecord | null>;
  /** Sets (or with 'active', clears) a member's standing and writes the audit entry, in one transaction. */
  setStanding(change: { userId: string; standing: MemberStanding; until: string | null; reason: string; at: string }, audit: NewAuditEntry): Promise<void>;

  /**
   * One report per person per post (a repeat adds nothing). The post enters
   * the 'reported' queue; at `threshold` open reports a published post is
   * hidden pending review. All in one transaction.
   */
  reportPost(report: { postId: string; reporterId: string; reason: ReportReason; note: string | null; at: string; threshold: number }): Promise<ReportOutcome | null>;
  /** Open reports of a post (not yet settled by a moderator's decision), oldest first. */
  openReports(postId: string): Promise<ReportRecord[]>;

  /** The post's queue item, open or last resolved; null when it never entered a queue. */
  moderationItem(postId: string): Promise<ModerationItemRecord | null>;
  /** Open items of one queue in order, and the open count of every queue. */
  moderationQueue(query: QueueQuery): Promise<{ items: ModerationItemRecord[]; hasMore: boolean; counts: Record<ModerationQueue, number> }>;
  /**
   * Publishes a held post (a `post.created` event with a new seq), resolves its
   * item, settles its reports and writes the audit entry, in one transaction.
   * No event when it was published already.
   */
  approvePost(decision: { postId: string; at: string }, audit: NewAuditEntry): Promise<ModerationChange | null>;
  /**
   * Rejects or removes a post: the author sees `status` and `reason`; if others
   * could see it, a `post.deleted` tombstone event and earlier snapshots lose the text.
   */
  takeDownPost(decision: { postId: string; status: 'rejected' | 'removed'; reason: string; at: string }, audit: NewAuditEntry): Promise<ModerationChange | null>;
  /** A moderator's edit: new body, marked edited; `post.edited` only when published. The audit entry keeps the original. */
  moderatorEditPost(edit: { postId: string; body: string; at: string }, audit: NewAuditEntry): Promise<ModerationChange | null>;

  saveModerationSettings(siteId: string, settings: StoredModerationSettings, audit: NewAuditEntry): Promise<SiteRecord | null>;
  /** Newest first; filters combine. */
  auditLog(query: AuditQuery): Promise<{ entries: AuditRecord[]; hasMore: boolean }>;

  saveExpert(profile: ExpertProfile): Promise<void>;
  /** False when they were not an expert of that topic. */
  removeExpert(siteId: string, externalId: string, topic: string): Promise<boolean>;
  /** Every expert of the site (or of one topic), by topic then id. */
  listExperts(siteId: string, topic?: string): Promise<ExpertProfile[]>;

  /** Idempotent on (site, author, clientId) like createPost; a held question writes no event. */
  createQuestion(question: NewQuestion, hold?: HoldRecord): Promise<{ question: QuestionRecord; change: PostChange }>;
  /** Null when the question is missing or not live; idempotent on (author, clientId). */
  addAnswer(answer: NewAnswer, hold?: HoldRecord): Promise<{ question: QuestionRecord; change: PostChange } | null>;
  /** The question with this post id, or the question a reply with this id belongs to. */
  findQuestion(postId: string): Promise<QuestionRecord | null>;
  listQuestions(query: QuestionListQuery): Promise<{ questions: QuestionRecord[]; hasMore: boolean }>;
  /** Answered, public, published questions of the topic that match any of `terms`, best match first. */
  similarQuestions(query: { siteId: string; topic: string; terms: string[]; limit: number }): Promise<QuestionRecord[]>;
  /** Milliseconds from asking to the first published expert answer, for questions first answered since `since`. */
  responseDelays(query: { siteId: string; topic: string; since: string }): Promise<number[]>;
  /** The asker's "This helped"; null when the answer is missing. */
  setAskerHelped(change: { answerId: string; on: boolean }): Promise<QuestionRecord | null>;
  /** Returns and forgets the answer-email address of a question (so it is sent at most once). */
  takeAnswerNotification(questionId: string): Promise<AnswerNotification | null>;
  /** Published, live, unanswered questions asked before `before`, counted per topic, oldest first. */
  waitingQuestions(query: { siteId: string; before: string }): Promise<{ topic: string; count: number; oldestAt: string }[]>;

  /** Creates the community or updates its settings; a changed schedule sets the next round to `at` + the new interval. */
  saveCommunity(community: CommunitySettings, at: string): Promise<CommunityRecord>;
  findCommunity(siteId: string, id: string): Promise<CommunityRecord | null>;
  /** Every community (of one site, or all sites), by site then id. */
  listCommunities(siteId?: string): Promise<CommunityRecord[]>;
  /**
   * Takes the scheduled round of a community when it is due (next round at or before `now`)
   * by moving the next round on one interval; false when it is not due or another process took it.
   */
  claimScheduledRound(siteId: string, community: string, now: string): Promise<boolean>;

  findProfile(siteId: string, community: string, userId: string): Promise<ProfileRecord | null>;
  /** Creates or replaces the member's profile; keeps when they joined and whether they paused. */
  saveProfile(profile: NewProfile): Promise<ProfileRecord>;
  /** Null when there is no such profile. */
  setProfilePaused(change: { siteId: string; community: string; userId: string; pausedAt: string | null; at: string }): Promise<ProfileRecord | null>;
  /**
   * Deletes the profile, wipes the about-me post and every message of the member's introductions
   * in the community (text wiped from posts and stored events, queue items resolved), and deletes
   * those introductions, in one transaction. Returns the introductions as they were, so the other
   * members can be told; null when there was no profile.
   */
  leaveCommunity(leave: { siteId: string; community: string; userId: string; at: string }): Promise<IntroductionRecord[] | null>;
  /**
   * Profiles a round may match: not paused; about-me absent or published and not deleted;
   * no pending (proposed, unexpired at `now`) introduction in the community; not banned or
   * suspended at `now`. By user id.
   */
  matchableProfiles(siteId: string, community: string, now: string): Promise<ProfileRecord[]>;
  /** Every pair ever introduced in the community (any state), each ordered by user id. */
  pastPairs(siteId: string, community: string): Promise<[string, string][]>;
  /** Every "never introduce us" pair on the site, as (blocker, blocked). */
  blocks(siteId: string): Promise<[string, string][]>;
  /** Marks proposals of the community that lapsed at `now` as expired; returns them. */
  expireProposals(siteId: string, community: string, now: string): Promise<IntroductionRecord[]>;
  /** Writes the round and its introductions (state `proposed`) in one transaction. */
  createRound(round: Omit<RoundRecord, 'n'>, introductions: NewIntroduction[]): Promise<{ round: RoundRecord; introductions: IntroductionRecord[] }>;
  /** The latest rounds of a community, newest first. */
  listRounds(siteId: string, community: string, limit: number): Promise<RoundRecord[]>;
  /** The highest round `n` in the store; 0 before any round. */
  latestRoundN(): Promise<number>;
  /** Introductions proposed by rounds after `n` (any site), with their round `n`, oldest first. */
  introductionsAfterRound(n: number): Promise<IntroductionRecord[]>;
  findIntroduction(id: string): Promise<IntroductionRecord | null>;
  /** The member's introductions in the community that they may see: proposed (unexpired at `now`), connected and ended; newest first. */
  introductionsOf(query: { siteId: string; community: string; userId: string; now: string }): Promise<IntroductionRecord[]>;
  /**
   * Records one member's answer to a proposed, unexpired introduction. A decline makes it `declined`;
   * the second acceptance makes it `connected`. Null when it is missing, not theirs, no longer proposed, or they answered already.
   */
  answerIntroduction(answer: { id: string; userId: string; accept: boolean; at: string }): Promise<IntroductionRecord | null>;
  /** Ends a connected introduction (`ended`, by `userId`); with `block`, these two are never introduced again. Null when not theirs. */
  endIntroduction(end: { id: string; userId: string; block: boolean; at: string }): Promise<IntroductionRecord | null>;
}
