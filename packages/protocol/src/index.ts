/**
 * The Kindred wire protocol: event names, limits, error codes and payload
 * types shared by server and client. Types only and constants here, so the
 * browser bundle never pulls in the validation library; the schemas that
 * enforce these shapes live in `@kindred/protocol/schemas`.
 */
import type {
  CrisisResources,
  ModerationEvents,
  ModerationServerEvents,
  PostStatus,
  WriteNotice,
} from './moderation.js';
import type { QuestionEvents, QuestionServerEvents } from './questions.js';
import type { IntroductionEvents, IntroductionServerEvents } from './introductions.js';

export * from './moderation.js';
export * from './questions.js';
export * from './introductions.js';

export const PROTOCOL_VERSION = 1;

export const LIMITS = {
  /** Body length in characters (code points) after trimming. */
  bodyMin: 1,
  bodyMax: 5000,
  displayNameMin: 2,
  displayNameMax: 40,
  /** Topic and site ids are lower-case slugs. */
  slugMax: 80,
  clientIdMax: 64,
  /** A host-site sign-in token (a compact JWT). */
  hostTokenMax: 4096,
  /** Host-site tokens may be valid for at most this long, and are accepted this far outside their times. */
  hostTokenMaxLifetimeMs: 60 * 60 * 1000,
  clockSkewMs: 60 * 1000,
  cursorMax: 200,
  pageSize: 20,
  pageSizeMax: 50,
  /** Replies nest at most this deep; deeper replies are shown at this depth with a "replying to" note. */
  maxDepth: 3,
  editWindowMs: 15 * 60 * 1000,
  /** A reconnecting client asking for more events than this gets `reset` and reloads the list. */
  resyncMaxEvents: 500,
  /**
   * Largest socket message the server accepts: a 5000-character body is at
   * most 20 000 bytes of UTF-8, plus the envelope. socket.io's default is 1 MB.
   */
  maxMessageBytes: 32 * 1024,
} as const;

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

export const REACTIONS = ['helpful', 'thanks', 'metoo'] as const;
export type Reaction = (typeof REACTIONS)[number];

export const SORTS = ['newest', 'oldest', 'helpful'] as const;
export type Sort = (typeof SORTS)[number];

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_EVENT',
  'NOT_FOUND',
  'NOT_AUTHORISED',
  'NOT_SIGNED_IN',
  'ORIGIN_NOT_ALLOWED',
  'UNKNOWN_SITE',
  'MEMBERS_ONLY',
  'GUESTS_NOT_ALLOWED',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'BANNED_WORD',
  'SUSPENDED',
  'BANNED',
  'EDIT_WINDOW_CLOSED',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Where the input was wrong, e.g. `body` or `topic`. */
  field?: string;
  retryAfterMs?: number;
}

/** Every acknowledgement the server sends has this shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export type IdentityKind = 'guest' | 'member';

/** Roles live on the server; `expert` is held per topic. */
export const ROLES = ['member', 'expert', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  id: string;
  name: string;
  kind: IdentityKind;
  /** Site-wide roles, and the topics this person is an expert in. */
  roles?: Role[];
  expertTopics?: string[];
}

/** What a widget needs to know about the site it is shown for. */
export interface SiteInfo {
  id: string;
  name: string;
  /** Whether visitors may post under a guest display name. */
  guestsAllowed: boolean;
  /** The medical-advice disclaimer every widget shows, if the site set one. */
  disclaimer: string | null;
  /** What the crisis support panel offers. */
  crisisResources?: CrisisResources;
}

export interface Author {
  id: string;
  name: string;
  kind: IdentityKind;
}

export type ReactionCounts = Record<Reaction, number>;

export interface PostView {
  id: string;
  /** The id the author's client chose, so an optimistic copy can be matched. */
  clientId: string;
  topic: string;
  parentId: string | null;
  /** The top-level post this reply belongs to; null for a top-level post. */
  rootId: string | null;
  /** 0 for a top-level post; capped at LIMITS.maxDepth. */
  depth: number;
  /** Set when the reply was flattened: the name of the author it answers. */
  replyToName: string | null;
  author: Author;
  /** Empty when deleted. */
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  reactions: ReactionCounts;
  replyCount: number;
  /** The viewer's own reactions; present only in answers addressed to one viewer. */
  mine?: Reaction[];
  /** Present only for the author and moderators when not `published`. */
  status?: PostStatus;
  /** Why a moderator rejected or removed it; shown to the author only. */
  moderationReason?: string | null;
}

export type TopicEventType = 'post.created' | 'post.edited' | 'post.deleted' | 'post.reacted';

/** One change in a topic. `seq` increases by one per change, per topic. */
export interface TopicEvent {
  topic: string;
  seq: number;
  type: TopicEventType;
  /** The post as it is after the change. */
  post: PostView;
}

/** Client → server events, each with its request and acknowledged data. */
export interface ClientEvents extends ModerationEvents, QuestionEvents, IntroductionEvents {
  'session:guest': { req: { displayName: string }; res: { token: string; user: Identity } };
  /** Signs this connection in with a token from the host site's own login (also used to refresh it). */
  'session:member': { req: { token: string }; res: { user: Identity } };
  /** Forgets who this connection is; it can still read public topics. */
  'session:signout': { req: Record<string, never>; res: Record<string, never> };
  'topic:join': {
    req: { topic: string; since?: number };
    /** `events` holds everything after `since`; `reset` means too much was missed: reload the list. */
    res: { seq: number; events: TopicEvent[]; reset: boolean };
  };
  'topic:leave': { req: { topic: string }; res: Record<string, never> };
  'thread:list': {
    req: { topic: string; sort: Sort; cursor?: string; limit?: number };
    /** Top-level posts of the page followed by all their replies; `seq` is the topic's sequence at read time. */
    res: { posts: PostView[]; nextCursor: string | null; seq: number };
  };
  'post:create': {
    req: { topic: string; clientId: string; body: string; parentId?: string };
    /** `notices` tell the author what the safety pipeline did (held, crisis support, masked). */
    res: { post: PostView; notices?: WriteNotice[] };
  };
  'post:edit': { req: { postId: string; body: string }; res: { post: PostView; notices?: WriteNotice[] } };
  'post:delete': { req: { postId: string }; res: { post: PostView } };
  'reaction:set': {
    req: { postId: string; reaction: Reaction; on: boolean };
    res: { post: PostView };
  };
}
export type ClientEventName = keyof ClientEvents;
export const CLIENT_EVENTS = [
  'session:guest',
  'session:member',
  'session:signout',
  'topic:join',
  'topic:leave',
  'thread:list',
  'post:create',
  'post:edit',
  'post:delete',
  'reaction:set',
  'post:report',
  'mod:queue',
  'mod:decide',
  'mod:member',
  'mod:settings:get',
  'mod:settings:set',
  'mod:audit',
  'question:watch',
  'question:unwatch',
  'question:list',
  'question:ask',
  'question:reply',
  'answer:helpful',
  'question:similar',
  'introduce:state',
  'introduce:join',
  'introduce:pause',
  'introduce:leave',
  'introduction:answer',
  'introduction:messages',
  'introduction:send',
  'introduction:block',
] as const satisfies readonly ClientEventName[];

/** Server → client events. */
export interface ServerEvents extends ModerationServerEvents, QuestionServerEvents, IntroductionServerEvents {
  /** Sent once after every connection: who the server thinks this socket is. */
  session: { protocol: number; user: Identity | null; site?: SiteInfo; reason?: ErrorCode };
  'topic:event': TopicEvent;
}

/** Handshake data the client sends in socket.io's `auth` and `query`. */
export interface Handshake {
  query: { site: string; v: string };
  /** `token`: a guest token this server issued; `hostToken`: a host-site sign-in token (wins when both are sent). */
  auth: { token?: string; hostToken?: string };
}

/** Body as the server stores it: trimmed; length counted in code points. */
export function normaliseBody(body: string): string {
  return body.trim();
}

export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export function emptyReactions(): ReactionCounts {
  return { helpful: 0, thanks: 0, metoo: 0 };
}
