/**
 * Introduce-me: opt-in peer introductions. Members of a community opt in with
 * a short profile; rounds (on a schedule, or run by an admin) propose pairs;
 * both must accept before a private conversation opens. Types and constants
 * only (browser-safe); schemas live in `schemas.ts`.
 *
 * A profile's "about me" and every conversation message are posts (topics
 * `intro-about:<community>` and `intro:<introductionId>`), so they go through
 * the same safety pipeline, moderation queues and reports as thread posts.
 */
import type { PostStatus, WriteNotice } from './moderation.js';

export const INTRO_LIMITS = {
  /** The "about me" a proposed match reads, in characters. */
  aboutMax: 500,
  /** Topics or conditions one member picks. */
  topicsMax: 8,
  languagesMax: 5,
  /** A proposal nobody answered lapses after this long; neither side is told why. */
  proposalDays: 7,
  /** Conversation messages per page. */
  pageSize: 50,
} as const;

export const INTRO_ROLES = ['patient', 'caregiver', 'mentor'] as const;
/** Who a member is in the community: a patient, a caregiver, or a mentor who has been through it. */
export type IntroRole = (typeof INTRO_ROLES)[number];

export const INTRO_WANTS = ['peer', 'mentor'] as const;
/** Whether a patient or caregiver would like to meet a peer or a mentor (ignored for mentors). */
export type IntroWants = (typeof INTRO_WANTS)[number];

/** Language codes such as "en", "es", "pt-BR". */
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/** One entry of a community's list of topics or conditions, or of its stages. */
export interface CommunityOption {
  id: string;
  label: string;
}

/** What a widget shows about a community before anyone opts in. */
export interface CommunityView {
  id: string;
  name: string;
  topics: CommunityOption[];
  /** Stages such as "Before surgery" / "After surgery"; may be empty. */
  stages: CommunityOption[];
  /** Languages members may choose, as codes. */
  languages: string[];
  /** Hours between scheduled rounds; null when rounds are only run by an admin. */
  roundEveryHours: number | null;
  /** When the next scheduled round is due; null without a schedule. */
  nextRoundAt: string | null;
}

export interface ProfileTopic {
  id: string;
  stage?: string;
}

/** The viewer's own profile. Nobody else ever sees it whole: a proposed match sees the name, the about-me and the reasons. */
export interface ProfileView {
  community: string;
  role: IntroRole;
  wants: IntroWants;
  topics: ProfileTopic[];
  languages: string[];
  /** The about-me as stored (masked if the identifier scan masked it); empty when none. */
  about: string;
  /** `held`: waiting for a moderator, and not matched until approved; `rejected`: not approved, edit it to rejoin rounds. */
  aboutStatus: PostStatus | 'none';
  aboutModerationReason?: string | null;
  paused: boolean;
  joinedAt: string;
}

/** Why two members were matched, structured so the widget can word it in any language with the community's labels. */
export type IntroReason =
  | { kind: 'shared-topic'; topic: string; stage?: string }
  | { kind: 'shared-language'; language: string }
  | { kind: 'same-role'; role: Exclude<IntroRole, 'mentor'> }
  /** `mentor` is the id of whichever of the two is the mentor. */
  | { kind: 'mentor'; mentor: string };

/**
 * An introduction as one of its two members sees it.
 * - `proposed`: waiting for this viewer's answer.
 * - `waiting`: this viewer accepted; the other has not answered. Whether the other accepted is never shown.
 * - `connected`: both accepted; the conversation is open.
 * - `ended`: one of the two blocked the other; its messages stay readable, no new ones. (When either leaves, the
 *   introduction is deleted for both and `introduction.removed` is sent.)
 * Declined and lapsed proposals are never sent to anyone: they just stop being pending.
 */
export type IntroductionStatus = 'proposed' | 'waiting' | 'connected' | 'ended';

export interface IntroductionView {
  id: string;
  community: string;
  status: IntroductionStatus;
  /** The other member: their display name, role and about-me. */
  other: { id: string; name: string; role: IntroRole; about: string };
  reasons: IntroReason[];
  /** Whether the other member is the mentor, the viewer is, or neither. */
  mentor: 'other' | 'me' | null;
  proposedAt: string;
  /** When an unanswered proposal lapses. */
  expiresAt: string;
  connectedAt: string | null;
  endedAt: string | null;
}

export interface IntroMessageView {
  id: string;
  clientId: string;
  introductionId: string;
  /** True when the viewer wrote it. */
  mine: boolean;
  authorName: string;
  body: string;
  createdAt: string;
  deleted: boolean;
  /** Present for the author's own message when not `published`. */
  status?: PostStatus;
  moderationReason?: string | null;
}

/** What a widget needs on load: the community, the viewer's profile (null when not opted in) and their introductions. */
export interface IntroState {
  community: CommunityView;
  profile: ProfileView | null;
  /** The pending one first (at most one), then open and ended conversations, newest first. */
  introductions: IntroductionView[];
}

export interface IntroductionEvents {
  /** Load the community and the viewer's state. Live changes arrive as `intro:event` while signed in. */
  'introduce:state': { req: { community: string }; res: IntroState };
  /** Opt in, or change one's profile. The about-me goes through the safety pipeline. */
  'introduce:join': {
    req: {
      community: string;
      clientId: string;
      role: IntroRole;
      wants: IntroWants;
      topics: ProfileTopic[];
      languages: string[];
      about: string;
      consent: true;
    };
    res: { profile: ProfileView; notices?: WriteNotice[] };
  };
  /** Pause: stay opted in, but be left out of rounds until resumed. */
  'introduce:pause': { req: { community: string; paused: boolean }; res: { profile: ProfileView } };
  /** Leave: deletes the profile, the about-me and every introduction and conversation of this member in the community. */
  'introduce:leave': { req: { community: string }; res: Record<string, never> };
  /** Accept or decline a proposed introduction. A decline is never shown to the other member. */
  'introduction:answer': { req: { introductionId: string; accept: boolean }; res: { introduction: IntroductionView | null } };
  /** Messages of a connected (or ended) introduction: the newest page first, each page oldest first. */
  'introduction:messages': {
    req: { introductionId: string; cursor?: string };
    res: { messages: IntroMessageView[]; nextCursor: string | null };
  };
  'introduction:send': {
    req: { introductionId: string; clientId: string; body: string };
    res: { message: IntroMessageView; notices?: WriteNotice[] };
  };
  /** Ends the conversation and never introduces these two again. */
  'introduction:block': { req: { introductionId: string }; res: { introduction: IntroductionView } };
}

export interface IntroductionServerEvents {
  /**
   * Sent to the member's own connections: an introduction was proposed or
   * changed for them (`introduction.changed`), left their view
   * (`introduction.removed`: declined, lapsed, or the other member left
   * before it connected), a message arrived, changed or was taken down
   * (`message.changed`), or a moderator decided on their about-me
   * (`profile.changed`).
   */
  'intro:event':
    | { type: 'introduction.changed'; introduction: IntroductionView }
    | { type: 'profile.changed'; profile: ProfileView }
    | { type: 'introduction.removed'; community: string; introductionId: string }
    | { type: 'message.changed'; introductionId: string; message: IntroMessageView };
}
