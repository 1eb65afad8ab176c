import type {
  CommunityView,
  IntroMessageView,
  IntroRole,
  IntroWants,
  IntroductionView,
  ProfileTopic,
  ProfileView,
  ServerEvents,
  WriteNotice,
} from '@kindred/protocol';
import { newClientId } from './client-id.js';
import type { Connection } from './connection.js';
import { KindredError } from './errors.js';
import { ViewerStore, asKindredError, storesByKey, type ViewerStoreStatus } from './viewer-store.js';

export type IntroductionStoreStatus = ViewerStoreStatus;
export type IntroEvent = ServerEvents['intro:event'];

/** A conversation message; `notices` are what the safety pipeline told its author when they sent it (this session only). */
export interface IntroMessage extends IntroMessageView {
  notices?: WriteNotice[];
}

/** The messages of one connected (or ended) introduction that this page has loaded, oldest first. */
export interface Conversation {
  status: IntroductionStoreStatus;
  error: KindredError | null;
  messages: IntroMessage[];
  /** Where the next older page starts; null once the first message is loaded. */
  nextCursor: string | null;
  loadingOlder: boolean;
}

/** What opting in sends; the about-me goes through the safety pipeline. */
export interface JoinInput {
  role: IntroRole;
  /** Ignored for mentors. */
  wants: IntroWants;
  topics: ProfileTopic[];
  languages: string[];
  about: string;
}

/**
 * What a live event brought that the viewer did not do themselves (so the
 * element can announce it): a round's proposal, the other member saying yes
 * too, a conversation the other side ended, a pending introduction that went
 * away (declined by either, or lapsed: never said which), messages from the
 * other member, and a moderator's decision on the about-me.
 */
export interface IntroductionChange {
  proposed: readonly IntroductionView[];
  connected: readonly IntroductionView[];
  ended: readonly IntroductionView[];
  removed: number;
  messages: readonly IntroMessage[];
  profile: ProfileView | null;
}

export type IntroductionListener = (change: IntroductionChange) => void;

export interface IntroductionStoreOptions {
  /** Acknowledgement timeout for each request. */
  timeoutMs?: number;
}

const NO_CHANGE: IntroductionChange = { proposed: [], connected: [], ended: [], removed: 0, messages: [], profile: null };
/** In-flight work on the profile (join, pause) rather than on one introduction. */
const PROFILE = 'profile';

const isPending = (introduction: IntroductionView): boolean =>
  introduction.status === 'proposed' || introduction.status === 'waiting';
const newest = (introduction: IntroductionView): string => introduction.connectedAt ?? introduction.proposedAt;
const byCreated = (a: IntroMessage, b: IntroMessage): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Introduce-me in one community as this viewer sees it: the community's
 * lists, the viewer's profile (null until they opt in), their introductions
 * (the pending one first, then conversations, newest first) and the
 * messages of the conversations the page opened. Kept current by
 * `intro:event`, which the server sends to every connection of a signed-in
 * member; there are no sequence numbers, so after a reconnect or a change
 * of viewer the store loads the state again (and the open conversations'
 * latest messages). Framework-free; widgets subscribe and render.
 */
export class IntroductionStore extends ViewerStore<IntroEvent, IntroductionChange> {
  community: CommunityView | null = null;
  profile: ProfileView | null = null;
  /** What the pipeline said about the about-me the viewer last saved here (`held`, `masked`, `crisis`). */
  profileNotices: WriteNotice[] = [];
  introductions: IntroductionView[] = [];
  readonly communityId: string;

  #conversations = new Map<string, Conversation>();
  #blocked = new Set<string>();
  /** Introductions (or the profile) the viewer is acting on: their echoes are not news. */
  #acting = new Set<string>();
  #leaving = false;

  constructor(connection: Connection, community: string, { timeoutMs = 10_000 }: IntroductionStoreOptions = {}) {
    super(connection, timeoutMs, NO_CHANGE);
    this.communityId = community;
  }

  /** The one introduction waiting for an answer (this viewer's, or the other's after this viewer said yes). */
  get pending(): IntroductionView | null {
    return this.introductions.find(isPending) ?? null;
  }

  /** Open and ended conversations, newest first. */
  get conversations(): IntroductionView[] {
    return this.introductions.filter((introduction) => !isPending(introduction));
  }

  find(introductionId: string): IntroductionView | undefined {
    return this.introductions.find((introduction) => introduction.id === introductionId);
  }

  /** The loaded messages of a conversation; undefined until `openConversation`. */
  conversation(introductionId: string): Conversation | undefined {
    return this.#conversations.get(introductionId);
  }

  /** Loads the state from scratch, e.g. after an error (and the open conversations' latest messages). */
  reload(): Promise<void> {
    return this.load(async () => {
      const state = await this.connection.request('introduce:state', { community: this.communityId }, this.options());
      return () => {
        this.community = state.community;
        this.profile = state.profile;
        this.introductions = [];
        for (const introduction of state.introductions) this.#put(introduction);
        for (const id of this.#conversations.keys()) if (!this.find(id)) this.#conversations.delete(id);
      };
    });
  }

  /**
   * Opts in, or saves a changed profile. Resolves with the profile and the
   * pipeline's notices about the about-me (`held`: not matched until a
   * moderator approves it; `masked`: identifiers were hidden; `crisis`).
   */
  async join(input: JoinInput): Promise<{ profile: ProfileView; notices: WriteNotice[] }> {
    if (!this.connection.identity) throw new KindredError('NOT_SIGNED_IN', 'Choose a display name first.');
    const req = {
      community: this.communityId,
      clientId: newClientId(),
      role: input.role,
      wants: input.role === 'mentor' ? ('peer' as const) : input.wants,
      topics: input.topics.map(({ id, stage }) => (stage ? { id, stage } : { id })),
      languages: input.languages,
      about: input.about.trim(),
      consent: true as const,
    };
    const { profile, notices = [] } = await this.#acted(PROFILE, () => this.connection.request('introduce:join', req, this.options()));
    this.profile = profile;
    this.profileNotices = notices;
    this.emit();
    return { profile, notices };
  }

  /** Pauses (left out of rounds, everything else kept) or resumes. */
  async setPaused(paused: boolean): Promise<ProfileView> {
    const req = { community: this.communityId, paused };
    const { profile } = await this.#acted(PROFILE, () => this.connection.request('introduce:pause', req, this.options()));
    this.profile = profile;
    this.emit();
    return profile;
  }

  /** Leaves: the server deletes the profile, every introduction and every conversation of this viewer here. */
  async leave(): Promise<void> {
    this.#leaving = true;
    try {
      await this.connection.request('introduce:leave', { community: this.communityId }, this.options());
    } finally {
      this.#leaving = false;
    }
    this.profile = null;
    this.profileNotices = [];
    this.introductions = [];
    this.#conversations.clear();
    this.emit();
  }

  /** Yes or no to a proposed introduction; resolves with it as it now stands (null after a no: it is gone). */
  async answer(introductionId: string, accept: boolean): Promise<IntroductionView | null> {
    const { introduction } = await this.#acted(introductionId, () =>
      this.connection.request('introduction:answer', { introductionId, accept }, this.options()),
    );
    if (introduction) this.#put(introduction);
    else this.#drop(introductionId);
    this.emit();
    return introduction;
  }

  /** Ends a conversation for good: these two are never introduced again. */
  async block(introductionId: string): Promise<IntroductionView> {
    const { introduction } = await this.#acted(introductionId, () =>
      this.connection.request('introduction:block', { introductionId }, this.options()),
    );
    this.#blocked.add(introductionId);
    this.#put(introduction);
    this.emit();
    return introduction;
  }

  /** Whether this viewer ended the conversation with a block during this page's life (the view does not say who ended it). */
  hasBlocked(introductionId: string): boolean {
    return this.#blocked.has(introductionId);
  }

  /** Loads a conversation's latest messages unless they are loaded (or loading) already. */
  async openConversation(introductionId: string): Promise<void> {
    const known = this.#conversations.get(introductionId);
    if (known && known.status !== 'error') return;
    await this.#loadConversation(introductionId);
  }

  /** Loads the page of messages before the oldest shown; resolves with the ids newly shown. */
  async loadOlder(introductionId: string): Promise<string[]> {
    const conversation = this.#conversations.get(introductionId);
    if (!conversation?.nextCursor || conversation.loadingOlder) return [];
    conversation.loadingOlder = true;
    this.emit();
    try {
      const res = await this.connection.request(
        'introduction:messages',
        { introductionId, cursor: conversation.nextCursor },
        this.options(),
      );
      if (this.#conversations.get(introductionId) !== conversation) return [];
      conversation.nextCursor = res.nextCursor;
      return this.#merge(conversation, res.messages);
    } finally {
      conversation.loadingOlder = false;
      this.emit();
    }
  }

  /** Sends a message; resolves with it as stored, with its notices (`held`: the other sees it once a moderator approves it). */
  async send(introductionId: string, body: string): Promise<IntroMessage> {
    const req = { introductionId, clientId: newClientId(), body: body.trim() };
    const { message, notices } = await this.connection.request('introduction:send', req, this.options());
    const held = !message.status && notices?.includes('held');
    const stored: IntroMessage = { ...message, ...(notices ? { notices } : {}), ...(held ? { status: 'held' as const } : {}) };
    const conversation = this.#conversations.get(introductionId);
    if (conversation) this.#merge(conversation, [stored]);
    this.emit();
    return stored;
  }

  /** Deletes the viewer's own message (for both of them). */
  async deleteMessage(introductionId: string, messageId: string): Promise<void> {
    await this.connection.request('post:delete', { postId: messageId }, this.options());
    const conversation = this.#conversations.get(introductionId);
    const message = conversation?.messages.find((each) => each.id === messageId);
    if (conversation && message) this.#merge(conversation, [{ ...message, body: '', deleted: true }]);
    this.emit();
  }

  async #acted<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.#acting.add(key);
    try {
      return await work();
    } finally {
      this.#acting.delete(key);
    }
  }

  protected follow(onEvent: (event: IntroEvent) => void): () => void {
    // Subscribed on the socket itself: the shared Connection (in the thread page's bundle) carries no intro routing.
    this.connection.socket.on('intro:event', onEvent);
    return () => void this.connection.socket.off('intro:event', onEvent);
  }

  /** What only the previous viewer could see goes at once, before the server answers for the new one. */
  protected forgetViewer(): void {
    this.profile = null;
    this.profileNotices = [];
    this.introductions = [];
    this.#conversations.clear();
    this.forgetReports();
    this.#blocked.clear();
  }

  /** Conversations open before a reconnect catch up on what they missed. */
  protected override loaded(): void {
    if (this.status === 'ready') for (const id of [...this.#conversations.keys()]) void this.#loadConversation(id);
  }

  async #loadConversation(introductionId: string): Promise<void> {
    const conversation: Conversation = this.#conversations.get(introductionId) ?? {
      status: 'loading',
      error: null,
      messages: [],
      nextCursor: null,
      loadingOlder: false,
    };
    const first = !conversation.messages.length;
    conversation.status = 'loading';
    conversation.error = null;
    this.#conversations.set(introductionId, conversation);
    this.emit();
    try {
      const res = await this.connection.request('introduction:messages', { introductionId }, this.options());
      if (this.#conversations.get(introductionId) !== conversation) return;
      // Reloading after a reconnect: older pages already shown keep their cursor.
      if (first) conversation.nextCursor = res.nextCursor;
      this.#merge(conversation, res.messages);
      conversation.status = 'ready';
    } catch (error) {
      if (this.#conversations.get(introductionId) !== conversation) return;
      conversation.status = 'error';
      conversation.error = asKindredError(error);
    }
    this.emit();
  }

  protected applyEvent(event: IntroEvent): IntroductionChange {
    const quiet = this.#leaving;
    switch (event.type) {
      case 'introduction.changed': {
        const after = event.introduction;
        if (after.community !== this.communityId) return NO_CHANGE;
        const before = this.find(after.id);
        this.#put(after);
        if (quiet || this.#acting.has(after.id)) return NO_CHANGE;
        return {
          ...NO_CHANGE,
          proposed: !before && after.status === 'proposed' ? [after] : [],
          connected: before && before.status !== 'connected' && after.status === 'connected' ? [after] : [],
          ended: before && before.status !== 'ended' && after.status === 'ended' ? [after] : [],
        };
      }
      case 'introduction.removed': {
        if (event.community !== this.communityId) return NO_CHANGE;
        const before = this.find(event.introductionId);
        this.#drop(event.introductionId);
        const news = before && isPending(before) && !quiet && !this.#acting.has(before.id);
        return news ? { ...NO_CHANGE, removed: 1 } : NO_CHANGE;
      }
      case 'profile.changed': {
        if (event.profile.community !== this.communityId) return NO_CHANGE;
        const before = this.profile;
        this.profile = event.profile;
        const decided = before && before.aboutStatus !== event.profile.aboutStatus;
        return decided && !quiet && !this.#acting.has(PROFILE) ? { ...NO_CHANGE, profile: event.profile } : NO_CHANGE;
      }
      case 'message.changed': {
        if (!this.find(event.introductionId)) return NO_CHANGE;
        const conversation = this.#conversations.get(event.introductionId);
        const known = conversation?.messages.some((message) => message.id === event.message.id);
        if (conversation) this.#merge(conversation, [event.message]);
        const { mine, deleted, status } = event.message;
        const news = !known && !mine && !deleted && (!status || status === 'published');
        return news ? { ...NO_CHANGE, messages: [event.message] } : NO_CHANGE;
      }
    }
  }

  /** Takes in the introduction as it is now, in the list's order: the pending one first, then the newest. */
  #put(introduction: IntroductionView): void {
    const list = this.introductions.filter((each) => each.id !== introduction.id);
    list.push(introduction);
    list.sort((a, b) => Number(isPending(b)) - Number(isPending(a)) || newest(b).localeCompare(newest(a)));
    this.introductions = list;
  }

  #drop(introductionId: string): void {
    this.introductions = this.introductions.filter((each) => each.id !== introductionId);
    this.#conversations.delete(introductionId);
  }

  /**
   * Adds or replaces messages by id, oldest first; returns the ids not
   * shown before. The author's notices (from the send) stay with their
   * message when the live echo arrives without them.
   */
  #merge(conversation: Conversation, messages: readonly IntroMessage[]): string[] {
    const byId = new Map(conversation.messages.map((message) => [message.id, message]));
    const added: string[] = [];
    for (const message of messages) {
      const before = byId.get(message.id);
      if (!before) added.push(message.id);
      const notices = message.notices ?? before?.notices;
      byId.set(message.id, notices ? { ...message, notices } : message);
    }
    conversation.messages = [...byId.values()].sort(byCreated);
    return added;
  }

  protected mergeChanges(a: IntroductionChange, b: IntroductionChange): IntroductionChange {
    return {
      proposed: [...a.proposed, ...b.proposed],
      connected: [...a.connected, ...b.connected],
      ended: [...a.ended, ...b.ended],
      removed: a.removed + b.removed,
      messages: [...a.messages, ...b.messages],
      profile: b.profile ?? a.profile,
    };
  }
}

/** The page's one introductions store for `community` on `connection`, shared by every element showing it. */
export const getIntroductionStore: (connection: Connection, community: string) => IntroductionStore = storesByKey(
  (connection, community) => new IntroductionStore(connection, community),
);
