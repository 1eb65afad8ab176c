/**
 * What each member sees of introductions: the one place that decides what of
 * a profile, an introduction or a message reaches whom. The other member's
 * answer is never part of a view; declined and lapsed proposals are never
 * shown at all.
 */
import type { CommunityView, IntroductionView, IntroMessageView, ProfileView } from '@kindred/protocol';
import type { CommunityRecord, IntroductionRecord, PostRecord, ProfileRecord } from '../store/store.js';
import { INTRO_TOPIC_PREFIX } from '../store/store.js';

export function toCommunityView(community: CommunityRecord): CommunityView {
  return {
    id: community.id,
    name: community.name,
    topics: community.topics.map((topic) => ({ ...topic })),
    stages: community.stages.map((stage) => ({ ...stage })),
    languages: [...community.languages],
    roundEveryHours: community.roundEveryHours,
    nextRoundAt: community.nextRoundAt,
  };
}

/** The member's own profile, as only they see it. */
export function toProfileView(profile: ProfileRecord): ProfileView {
  const about = profile.about && !profile.about.deletedAt ? profile.about : null;
  const view: ProfileView = {
    community: profile.community,
    role: profile.role,
    wants: profile.wants,
    topics: profile.topics.map((topic) => ({ ...topic })),
    languages: [...profile.languages],
    about: about?.body ?? '',
    aboutStatus: about?.status ?? 'none',
    paused: profile.pausedAt !== null,
    joinedAt: profile.joinedAt,
  };
  if (about && about.status !== 'published') view.aboutModerationReason = about.moderationReason;
  return view;
}

/** The about-me another member may read: only a published one. */
export function publicAbout(profile: ProfileRecord | null): string {
  const about = profile?.about;
  return about && about.status === 'published' && !about.deletedAt ? about.body : '';
}

export function isMemberOf(introduction: IntroductionRecord, userId: string | undefined): boolean {
  return userId !== undefined && introduction.members.some((member) => member.userId === userId);
}

/** Declined and expired introductions, and proposals past their time, are nobody's to see. */
export function isVisible(introduction: IntroductionRecord, now: Date): boolean {
  if (introduction.state === 'connected' || introduction.state === 'ended') return true;
  return introduction.state === 'proposed' && Date.parse(introduction.expiresAt) > now.getTime();
}

/** The introduction as `viewerId` (one of its two members) sees it; `other` is the other member's profile. */
export function toIntroductionView(introduction: IntroductionRecord, viewerId: string, other: ProfileRecord | null): IntroductionView {
  const me = introduction.members.find((member) => member.userId === viewerId);
  const them = introduction.members.find((member) => member.userId !== viewerId);
  if (!me || !them) throw new Error('an introduction was shown to someone who is not one of its members');
  const mentorReason = introduction.reasons.find((reason) => reason.kind === 'mentor');
  return {
    id: introduction.id,
    community: introduction.community,
    status: statusFor(introduction, me.answer),
    other: { id: them.userId, name: them.name, role: other?.role ?? 'patient', about: publicAbout(other) },
    reasons: introduction.reasons.map((reason) => ({ ...reason })),
    mentor: mentorReason ? (mentorReason.mentor === viewerId ? 'me' : 'other') : null,
    proposedAt: introduction.proposedAt,
    expiresAt: introduction.expiresAt,
    connectedAt: introduction.connectedAt,
    endedAt: introduction.endedAt,
  };
}

function statusFor(introduction: IntroductionRecord, myAnswer: 'accepted' | 'declined' | null): IntroductionView['status'] {
  if (introduction.state === 'connected') return 'connected';
  if (introduction.state === 'ended') return 'ended';
  return myAnswer === 'accepted' ? 'waiting' : 'proposed';
}

/** The introduction a conversation post belongs to, from its topic; null for any other post. */
export function introductionIdOf(topic: string): string | null {
  return topic.startsWith(INTRO_TOPIC_PREFIX) ? topic.slice(INTRO_TOPIC_PREFIX.length) : null;
}

/** Whether `viewerId` may see this message: its author always; the other member once it is published (or as a tombstone after). */
export function canSeeMessage(post: PostRecord, viewerId: string): boolean {
  return post.author.id === viewerId || post.status === 'published' || post.deletedAt !== null;
}

export function toMessageView(post: PostRecord, introductionId: string, viewerId: string): IntroMessageView {
  const deleted = post.deletedAt !== null;
  const mine = post.author.id === viewerId;
  // The other member never learns a message was held or taken down: it is simply not there, or a tombstone.
  const hidden = !mine && post.status !== 'published';
  const view: IntroMessageView = {
    id: post.id,
    clientId: post.clientId,
    introductionId,
    mine,
    authorName: post.author.name,
    body: deleted || hidden ? '' : post.body,
    createdAt: post.createdAt,
    deleted: deleted || hidden,
  };
  if (mine && post.status !== 'published') {
    view.status = post.status;
    view.moderationReason = post.moderationReason;
  }
  return view;
}
