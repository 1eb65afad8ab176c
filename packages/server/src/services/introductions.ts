import {
  INTRO_LIMITS,
  type ClientEvents,
  type Identity,
  type IntroductionView,
  type ServerEvents,
  type TopicEvent,
  type WriteNotice,
} from '@kindred/protocol';
import type { ParsedRequest } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import {
  ABOUT_TOPIC_PREFIX,
  INTRO_TOPIC_PREFIX,
  type CommunityRecord,
  type IntroductionRecord,
  type PostRecord,
  type ProfileRecord,
  type Store,
} from '../store/store.js';
import type { AccessService } from './access.js';
import { requireUser, type Caller } from './caller.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  canSeeMessage,
  introductionIdOf,
  isMemberOf,
  isVisible,
  toCommunityView,
  toIntroductionView,
  toMessageView,
  toProfileView,
} from './intro-view.js';
import { holdOf, type SafetyVerdict } from './safety-phases.js';
import type { ModerationAnnouncer } from './thread.js';
import { verdictOf, type WritePipeline } from './write-pipeline.js';

/** Sends an `intro:event` to every connection of one member (their own room), on whichever node they are. */
export type NotifyMember = (siteId: string, userId: string, event: ServerEvents['intro:event']) => void;

export interface IntroductionDeps {
  store: Store;
  access: AccessService;
  pipeline: WritePipeline;
  moderation: ModerationAnnouncer;
  notify: NotifyMember;
  now: () => Date;
}

type Result<K extends keyof ClientEvents> = Promise<ClientEvents[K]['res']>;

/**
 * Introduce-me: members opt in to a community with a profile, rounds propose
 * pairs, both must accept (double opt-in) before a private conversation
 * opens, and either may block or leave at any time. Nobody is told of a
 * decline; leaving deletes the member's profile and introductions.
 */
export class IntroductionService {
  constructor(private readonly deps: IntroductionDeps) {}

  async state(caller: Caller, request: ParsedRequest<'introduce:state'>): Result<'introduce:state'> {
    const community = await this.readableCommunity(caller, request.community);
    const viewer = caller.user;
    const profile = viewer ? await this.deps.store.findProfile(caller.siteId, community.id, viewer.id) : null;
    return {
      community: toCommunityView(community),
      profile: profile && toProfileView(profile),
      introductions: viewer && profile ? await this.introductionsFor(caller.siteId, community.id, viewer.id) : [],
    };
  }

  /** Opt in, or change one's profile. A new or changed about-me is a post through the safety pipeline; until it is published the member is not matched. */
  async join(caller: Caller, request: ParsedRequest<'introduce:join'>): Result<'introduce:join'> {
    const community = await this.readableCommunity(caller, request.community);
    checkChoices(request, community);
    const user = requireUser(caller, 'join introductions');
    const { store } = this.deps;
    const existing = await store.findProfile(caller.siteId, community.id, user.id);
    const current = existing?.about && !existing.about.deletedAt ? existing.about : null;
    const changed = request.about !== (current?.body ?? '') || current?.status === 'rejected' || current?.status === 'removed';
    const editable = current && (current.status === 'published' || current.status === 'held');
    const text = changed && request.about ? { body: request.about, write: editable ? ('edit' as const) : ('create' as const) } : undefined;
    return this.deps.pipeline.run({ caller, kind: 'post', topic: community.id, action: 'join introductions', ...(text && { text }) }, async (write) => {
      const at = this.now();
      let aboutPostId = current?.id ?? null;
      let notices: WriteNotice[] = [];
      if (changed && !request.about) {
        if (current) await store.deletePost({ postId: current.id, deletedAt: at });
        aboutPostId = null;
      } else if (changed) {
        const safety = verdictOf(write);
        const post = await this.writeAbout({ siteId: caller.siteId, community: community.id, clientId: request.clientId }, write.author, editable ? current : null, safety, at);
        aboutPostId = post.id;
        notices = post.status === 'held' && !safety.notices.includes('held') ? [...safety.notices, 'held'] : safety.notices;
      }
      const profile = await store.saveProfile({
        siteId: caller.siteId,
        community: community.id,
        userId: write.author.id,
        role: request.role,
        wants: request.role === 'mentor' ? 'peer' : request.wants,
        topics: request.topics.map((topic) => (topic.stage ? { id: topic.id, stage: topic.stage } : { id: topic.id })),
        languages: request.languages,
        aboutPostId,
        at,
      });
      return notices.length ? { profile: toProfileView(profile), notices } : { profile: toProfileView(profile) };
    });
  }

  /** Pausing needs no standing: stepping back is always allowed. */
  async pause(caller: Caller, request: ParsedRequest<'introduce:pause'>): Result<'introduce:pause'> {
    const user = requireUser(caller, 'pause introductions');
    const at = this.now();
    const profile = await this.deps.store.setProfilePaused({
      siteId: caller.siteId,
      community: request.community,
      userId: user.id,
      pausedAt: request.paused ? at : null,
      at,
    });
    if (!profile) throw new ServiceError('NOT_FOUND', "You haven't joined introductions in this community.", 'community');
    const view = toProfileView(profile);
    this.deps.notify(caller.siteId, user.id, { type: 'profile.changed', profile: view });
    return { profile: view };
  }

  /** Deletes the profile, the about-me and every introduction and conversation of this member in the community. Repeating it is harmless. */
  async leave(caller: Caller, request: ParsedRequest<'introduce:leave'>): Result<'introduce:leave'> {
    const user = requireUser(caller, 'leave introductions');
    const gone = await this.deps.store.leaveCommunity({ siteId: caller.siteId, community: request.community, userId: user.id, at: this.now() });
    for (const introduction of gone ?? []) {
      if (!isVisible(introduction, this.deps.now())) continue;
      for (const member of introduction.members) {
        this.deps.notify(caller.siteId, member.userId, { type: 'introduction.removed', community: introduction.community, introductionId: introduction.id });
      }
    }
    return {};
  }

  /**
   * Accept or decline. A decline removes the proposal for both, and the other
   * member is told only that it is no longer pending; the first acceptance is
   * told to no one but the one who gave it.
   */
  async answer(caller: Caller, request: ParsedRequest<'introduction:answer'>): Result<'introduction:answer'> {
    const introduction = await this.ownIntroduction(caller, request.introductionId);
    if (introduction.state !== 'proposed') throw notPending();
    return this.deps.pipeline.run({ caller, kind: 'reaction', topic: introduction.community, action: 'answer introductions' }, async ({ author }) => {
      const answered = await this.deps.store.answerIntroduction({ id: introduction.id, userId: author.id, accept: request.accept, at: this.now() });
      if (!answered) throw notPending();
      if (answered.state === 'declined') {
        for (const member of answered.members) {
          this.deps.notify(caller.siteId, member.userId, { type: 'introduction.removed', community: answered.community, introductionId: answered.id });
        }
        return { introduction: null };
      }
      const views = await this.viewsByMember(answered);
      // Until both said yes, only the one who answered hears of it.
      for (const [userId, view] of views) {
        if (answered.state === 'connected' || userId === author.id) this.deps.notify(caller.siteId, userId, { type: 'introduction.changed', introduction: view });
      }
      return { introduction: views.get(author.id)! };
    });
  }

  async messages(caller: Caller, request: ParsedRequest<'introduction:messages'>): Result<'introduction:messages'> {
    const introduction = await this.conversation(caller, request.introductionId);
    const viewerId = caller.user!.id;
    const page = await this.deps.store.readThreadPage({
      siteId: caller.siteId,
      viewerId,
      topic: `${INTRO_TOPIC_PREFIX}${introduction.id}`,
      sort: 'newest',
      after: decodeCursor('newest', request.cursor),
      limit: INTRO_LIMITS.pageSize,
    });
    const messages = page.roots.filter((post) => canSeeMessage(post, viewerId)).map((post) => toMessageView(post, introduction.id, viewerId));
    const last = page.roots[page.roots.length - 1];
    return { messages: messages.reverse(), nextCursor: page.hasMore && last ? encodeCursor('newest', last) : null };
  }

  /** A message in an open conversation, through the whole safety pipeline; the other member sees it once it is published. */
  async send(caller: Caller, request: ParsedRequest<'introduction:send'>): Result<'introduction:send'> {
    const introduction = await this.conversation(caller, request.introductionId);
    const { store } = this.deps;
    const user = caller.user!;
    // A retry whose acknowledgement was lost gets the stored message back.
    const earlier = await store.findPostByClientId(caller.siteId, user.id, request.clientId);
    if (earlier) {
      if (earlier.topic !== `${INTRO_TOPIC_PREFIX}${introduction.id}`) throw new ServiceError('INVALID_INPUT', 'clientId: this id was used for something else; send a new one', 'clientId');
      return { message: toMessageView(earlier, introduction.id, user.id) };
    }
    if (introduction.state !== 'connected') throw new ServiceError('NOT_AUTHORISED', 'This conversation has ended.');
    const text = { body: request.body, write: 'create' as const };
    return this.deps.pipeline.run({ caller, kind: 'post', topic: introduction.community, action: 'send messages', text }, async (write) => {
      const safety = verdictOf(write);
      const createdAt = this.now();
      const change = await store.createPost(
        {
          siteId: caller.siteId,
          topic: `${INTRO_TOPIC_PREFIX}${introduction.id}`,
          clientId: request.clientId,
          authorId: write.author.id,
          parentId: null,
          rootId: null,
          depth: 0,
          replyToName: null,
          body: safety.text,
          createdAt,
        },
        holdOf(safety, createdAt),
      );
      if (change.post.status === 'held' && safety.status === 'held') this.deps.moderation.held(caller.siteId, change.post.id, safety.crisis);
      if (change.event) this.relayMessage(caller.siteId, introduction, change.post);
      const message = toMessageView(change.post, introduction.id, write.author.id);
      return safety.notices.length ? { message, notices: safety.notices } : { message };
    });
  }

  /** Ends the conversation for both and never introduces these two again. */
  async block(caller: Caller, request: ParsedRequest<'introduction:block'>): Result<'introduction:block'> {
    const introduction = await this.ownIntroduction(caller, request.introductionId);
    const user = caller.user!;
    const ended = await this.deps.store.endIntroduction({ id: introduction.id, userId: user.id, block: true, at: this.now() });
    if (!ended) throw new ServiceError('NOT_FOUND', 'That conversation has ended or does not exist.', 'introductionId');
    const views = await this.viewsByMember(ended);
    for (const [userId, view] of views) this.deps.notify(caller.siteId, userId, { type: 'introduction.changed', introduction: view });
    return { introduction: views.get(user.id)! };
  }

  /** Tells both members of each proposal that lapsed unanswered that it is no longer pending. */
  announceLapsed(introductions: IntroductionRecord[]): void {
    for (const lapsed of introductions) {
      for (const member of lapsed.members) {
        this.deps.notify(lapsed.siteId, member.userId, { type: 'introduction.removed', community: lapsed.community, introductionId: lapsed.id });
      }
    }
  }

  /** Tells both members of each new proposal, e.g. of a round another process ran. */
  async announceProposals(introductions: IntroductionRecord[]): Promise<void> {
    for (const introduction of introductions) {
      if (introduction.state !== 'proposed') continue;
      for (const [userId, view] of await this.viewsByMember(introduction)) {
        this.deps.notify(introduction.siteId, userId, { type: 'introduction.changed', introduction: view });
      }
    }
  }

  /** A conversation message or an about-me changed elsewhere (a moderator's decision, a report, a deletion): tell whom it concerns. */
  async storedChange(siteId: string, event: TopicEvent): Promise<void> {
    const post = await this.deps.store.findPost(event.post.id);
    if (!post) return;
    const introductionId = introductionIdOf(post.topic);
    if (introductionId) {
      const introduction = await this.deps.store.findIntroduction(introductionId);
      if (introduction) this.relayMessage(siteId, introduction, post);
      return;
    }
    if (post.topic.startsWith(ABOUT_TOPIC_PREFIX)) {
      const profile = await this.deps.store.findProfile(siteId, post.topic.slice(ABOUT_TOPIC_PREFIX.length), post.author.id);
      if (profile?.about?.id === post.id) this.deps.notify(siteId, post.author.id, { type: 'profile.changed', profile: toProfileView(profile) });
    }
  }

  /** Conversation messages may be reported only by the other member of that conversation. */
  async mayReport(post: PostRecord, user: Identity): Promise<boolean> {
    const introductionId = introductionIdOf(post.topic);
    if (!introductionId) return true;
    const introduction = await this.deps.store.findIntroduction(introductionId);
    return !!introduction && isMemberOf(introduction, user.id);
  }

  private relayMessage(siteId: string, introduction: IntroductionRecord, post: PostRecord): void {
    for (const member of introduction.members) {
      if (!canSeeMessage(post, member.userId)) continue;
      this.deps.notify(siteId, member.userId, { type: 'message.changed', introductionId: introduction.id, message: toMessageView(post, introduction.id, member.userId) });
    }
  }

  /** Edits the live about-me, or writes a new one (a first one, or after a moderator turned the last one down). */
  private async writeAbout(
    target: { siteId: string; community: string; clientId: string },
    author: Identity,
    current: PostRecord | null,
    safety: SafetyVerdict,
    at: string,
  ): Promise<PostRecord> {
    const { store } = this.deps;
    const hold = holdOf(safety, at);
    const change = current
      ? await store.editPost({ postId: current.id, body: safety.text, editedAt: at, ...(hold && { hold }) })
      : await store.createPost(
          {
            siteId: target.siteId,
            topic: `${ABOUT_TOPIC_PREFIX}${target.community}`,
            clientId: target.clientId,
            authorId: author.id,
            parentId: null,
            rootId: null,
            depth: 0,
            replyToName: null,
            body: safety.text,
            createdAt: at,
          },
          hold,
        );
    if (!change) throw new ServiceError('NOT_FOUND', 'Your about-me changed meanwhile; try again.', 'about');
    if (change.post.status === 'held' && safety.status === 'held') this.deps.moderation.held(change.post.siteId, change.post.id, safety.crisis);
    return change.post;
  }

  private async introductionsFor(siteId: string, community: string, userId: string): Promise<IntroductionView[]> {
    const records = await this.deps.store.introductionsOf({ siteId, community, userId, now: this.now() });
    // Only this member's view: the other member's profile is the one to read.
    const views = await Promise.all(
      records.map(async (record) => {
        const other = record.members.find((member) => member.userId !== userId)!;
        return toIntroductionView(record, userId, await this.deps.store.findProfile(siteId, community, other.userId));
      }),
    );
    // The pending one first, then conversations, newest first (the store's order).
    return [...views.filter((view) => view.status === 'proposed' || view.status === 'waiting'), ...views.filter((view) => view.status === 'connected' || view.status === 'ended')];
  }

  /** Each member's view of the introduction, keyed by their user id. */
  private async viewsByMember(introduction: IntroductionRecord): Promise<Map<string, IntroductionView>> {
    const profiles = await Promise.all(
      introduction.members.map((member) => this.deps.store.findProfile(introduction.siteId, introduction.community, member.userId)),
    );
    const byUser = new Map<string, ProfileRecord | null>(introduction.members.map((member, index) => [member.userId, profiles[index] ?? null]));
    const views = new Map<string, IntroductionView>();
    for (const member of introduction.members) {
      const other = introduction.members.find((candidate) => candidate.userId !== member.userId)!;
      views.set(member.userId, toIntroductionView(introduction, member.userId, byUser.get(other.userId) ?? null));
    }
    return views;
  }

  private async readableCommunity(caller: Caller, id: string): Promise<CommunityRecord> {
    const community = await this.deps.store.findCommunity(caller.siteId, id);
    if (!community) throw new ServiceError('NOT_FOUND', `This site has no introductions community "${id}".`, 'community');
    await this.deps.access.authoriseRead(caller, community.id);
    return community;
  }

  /** An introduction the caller is a member of and may see; NOT_FOUND for anyone else, so ids reveal nothing. */
  private async ownIntroduction(caller: Caller, id: string): Promise<IntroductionRecord> {
    const user = requireUser(caller, 'answer introductions');
    const introduction = await this.deps.store.findIntroduction(id);
    if (!introduction || introduction.siteId !== caller.siteId || !isMemberOf(introduction, user.id) || !isVisible(introduction, this.deps.now())) {
      throw new ServiceError('NOT_FOUND', 'That introduction is no longer pending or does not exist.', 'introductionId');
    }
    return introduction;
  }

  private async conversation(caller: Caller, id: string): Promise<IntroductionRecord> {
    const introduction = await this.ownIntroduction(caller, id);
    if (introduction.state !== 'connected' && introduction.state !== 'ended') {
      throw new ServiceError('NOT_AUTHORISED', 'The conversation opens once you both say yes.', 'introductionId');
    }
    return introduction;
  }

  private now(): string {
    return this.deps.now().toISOString();
  }
}

/** Topics, stages and languages must come from the community's own lists. */
function checkChoices(request: ParsedRequest<'introduce:join'>, community: CommunityRecord): void {
  const topics = new Set(community.topics.map((topic) => topic.id));
  const stages = new Set(community.stages.map((stage) => stage.id));
  request.topics.forEach((topic, index) => {
    if (!topics.has(topic.id)) throw new ServiceError('INVALID_INPUT', `topics.${index}.id: "${topic.id}" is not one of this community's topics`, `topics.${index}.id`);
    if (topic.stage && !stages.has(topic.stage)) throw new ServiceError('INVALID_INPUT', `topics.${index}.stage: "${topic.stage}" is not one of this community's stages`, `topics.${index}.stage`);
  });
  request.languages.forEach((language, index) => {
    if (!community.languages.includes(language)) throw new ServiceError('INVALID_INPUT', `languages.${index}: this community is in ${community.languages.join(', ')}`, `languages.${index}`);
  });
}

function notPending(): ServiceError {
  return new ServiceError('NOT_FOUND', 'That introduction is no longer pending.', 'introductionId');
}
