/**
 * The safety and moderation part of the protocol: what the write pipeline
 * tells an author, what visitors report, and what moderators see and do.
 * Types and constants only (browser-safe); schemas live in `schemas.ts`.
 */
import type { Author, PostView } from './index.js';

/** Where a post stands. Only `published` posts reach anyone but their author and moderators. */
export const POST_STATUSES = ['published', 'held', 'rejected', 'removed'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** Why the pipeline held a post, in the order its phases run; `disclosure`: an expert answer that seems to describe a real patient. */
export const HOLD_REASONS = ['identifier', 'crisis', 'suspect-word', 'new-member', 'reports', 'disclosure'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/**
 * What the author should be told after a write, besides the post itself:
 * `held` (waiting for review), `crisis` (show the support panel),
 * `masked` (identifiers were hidden by site policy).
 */
export type WriteNotice = 'held' | 'crisis' | 'masked';

export const REPORT_REASONS = [
  'medical-misinformation',
  'private-information',
  'harassment',
  'self-harm',
  'spam',
  'other',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** Crisis resources a site shows in the support panel (defaults are the US ones). */
export interface CrisisResources {
  /** A number to call, e.g. "988". */
  call: string;
  /** A number to text, e.g. "988". */
  text: string | null;
  /** A chat link, e.g. "https://988lifeline.org/chat". */
  chatUrl: string | null;
  /** The emergency number, e.g. "911". */
  emergency: string;
}

export const DEFAULT_CRISIS_RESOURCES: CrisisResources = {
  call: '988',
  text: '988',
  chatUrl: 'https://988lifeline.org/chat',
  emergency: '911',
};

/** What a site does with a post in which the server finds an identifier the author sent anyway. */
export type IdentifierPolicy = 'hold' | 'mask';

/** Site moderation settings a moderator can read and change. */
export interface ModerationSettings {
  /** Rejected with a message naming nothing but the fact. */
  bannedWords: string[];
  /** Held for review. */
  suspectWords: string[];
  /** How many of a new author's first posts are held: guests, signed-in members. */
  heldFirstPosts: { guest: number; member: number };
  /** Reports from different people that hide a post until a moderator looks. */
  reportThreshold: number;
  identifierPolicy: IdentifierPolicy;
  crisisResources: CrisisResources;
  /** Where crisis alerts are POSTed as JSON (optional). */
  alertWebhookUrl: string | null;
  /** Where crisis alerts are emailed (optional). */
  alertEmail: string | null;
}

export const MODERATION_QUEUES = ['held', 'reported', 'crisis'] as const;
export type ModerationQueue = (typeof MODERATION_QUEUES)[number];

export type MemberStanding = 'active' | 'suspended' | 'banned';

export interface ModerationItem {
  /** The post as the author wrote it (moderators see held and hidden bodies). */
  post: PostView & { status: PostStatus };
  queue: ModerationQueue;
  reasons: HoldReason[];
  /** Findings a moderator should look at, e.g. "phone number", "crisis language (es)". */
  findings: string[];
  reports: { reason: ReportReason; count: number; notes: string[] }[];
  /** Higher is more urgent: crisis first, then reports, then age. */
  urgency: number;
  enteredAt: string;
  author: Author & { standing: MemberStanding; approvedPosts: number; heldPosts: number };
}

export const MODERATOR_ACTIONS = ['approve', 'reject', 'edit', 'remove'] as const;
export type ModeratorAction = (typeof MODERATOR_ACTIONS)[number];

export const MEMBER_ACTIONS = ['suspend', 'ban', 'reinstate'] as const;
export type MemberAction = (typeof MEMBER_ACTIONS)[number];

/** One line of the audit log: who did what, when, why, and what changed. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; name: string };
  action: ModeratorAction | MemberAction | 'settings';
  /** The post or member acted on. */
  target: { kind: 'post' | 'member' | 'site'; id: string };
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface ModerationEvents {
  'post:report': {
    req: { postId: string; reason: ReportReason; note?: string };
    /** `hidden`: this report took the post past the threshold. */
    res: { hidden: boolean };
  };
  'mod:queue': {
    req: { queue: ModerationQueue; order: 'oldest' | 'urgent'; cursor?: string };
    res: { items: ModerationItem[]; nextCursor: string | null; counts: Record<ModerationQueue, number> };
  };
  'mod:decide': {
    /** `reason` is required for reject and remove (the author sees it); `body` and `note` for edit. */
    req: { postId: string; action: ModeratorAction; reason?: string; body?: string; note?: string };
    res: { item: ModerationItem };
  };
  'mod:member': {
    req: { userId: string; action: MemberAction; reason: string; days?: number };
    res: { standing: MemberStanding };
  };
  'mod:settings:get': { req: Record<string, never>; res: { settings: ModerationSettings } };
  'mod:settings:set': { req: { settings: Partial<ModerationSettings> }; res: { settings: ModerationSettings } };
  'mod:audit': {
    req: { actorId?: string; action?: AuditEntry['action']; since?: string; until?: string; cursor?: string };
    res: { entries: AuditEntry[]; nextCursor: string | null };
  };
}

/** Sent to moderators of the site (room per site) as queues change, and as crisis alerts. */
export interface ModerationServerEvents {
  'mod:event': { type: 'item.added' | 'item.updated' | 'item.resolved'; item: ModerationItem } | { type: 'alert'; item: ModerationItem };
}
