import {
  LIMITS,
  emptyReactions,
  normaliseBody,
  type ErrorCode,
  type PostView,
  type Reaction,
  type ReportReason,
  type Sort,
  type TopicEvent,
  type WriteNotice,
} from '@kindred/protocol';
import { newClientId } from './client-id.js';
import type { Connection } from './connection.js';
import { KindredError, toKindredError } from './errors.js';

export type ThreadStatus = 'loading' | 'ready' | 'error';
export type SendState = 'sending' | 'failed';

/**
 * A post as the thread shows it; an optimistic copy of the visitor's own send
 * carries `sendState`. `notices` are what the safety pipeline told the author
 * about their last create or edit of it (this session only).
 */
export interface ThreadPost extends PostView {
  sendState?: SendState;
  sendError?: KindredError;
  notices?: WriteNotice[];
}

/** Called after every change, with the posts from others that just arrived live (often none). */
export type ThreadListener = (arrived: readonly PostView[]) => void;

export interface ThreadStoreOptions {
  /** Acknowledgement timeout for each request. */
  timeoutMs?: number;
}

/** Attempts per send while the server does not answer, all with the same clientId. */
const SEND_ATTEMPTS = 3;

/**
 * Refusals that sending the same text again cannot change: the optimistic
 * copy is dropped (no Retry) and the caller gives the text back to the author.
 */
const FINAL_REFUSALS: readonly ErrorCode[] = ['BANNED_WORD', 'SUSPENDED', 'BANNED'];

/**
 * The discussion of one topic as this visitor sees it: loaded pages, replies,
 * live events applied in sequence order (idempotent by post id), new posts
 * from others held back until asked for, and optimistic sends reconciled by
 * clientId. Framework-free; widgets subscribe and render.
 */
export class ThreadStore {
  status: ThreadStatus = 'loading';
  error: KindredError | null = null;
  sort: Sort = 'newest';
  nextCursor: string | null = null;
  loadingMore = false;
  /** The sequence number of the last topic event reflected here. */
  lastSeq = 0;
  timeoutMs: number;
  readonly connection: Connection;
  readonly topic: string;

  #posts = new Map<string, ThreadPost>();
  #top: string[] = [];
  #pending: string[] = [];
  #listeners = new Set<ThreadListener>();
  #unsubscribe: (() => void)[] = [];
  #refs = 0;
  #loaded = false;
  #online = false;
  #viewer: string | null = null;
  #member = false;
  #syncing = false;
  #syncAgain = false;
  #reloadAgain = false;
  #buffer: TopicEvent[] = [];
  #reported = new Set<string>();

  constructor(connection: Connection, topic: string, { timeoutMs = 10_000 }: ThreadStoreOptions = {}) {
    this.connection = connection;
    this.topic = topic;
    this.timeoutMs = timeoutMs;
  }

  /** Top-level posts in display order, deleted ones kept only while they have visible replies. */
  get posts(): ThreadPost[] {
    const children = this.#children();
    return this.#top.flatMap((id) => {
      const post = this.#posts.get(id);
      return post && this.#visible(post, children) ? [post] : [];
    });
  }

  /** Replies under a top-level post, depth first, oldest first among siblings. */
  replies(rootId: string): ThreadPost[] {
    const children = this.#children();
    const out: ThreadPost[] = [];
    const seen = new Set<string>();
    const walk = (id: string): void => {
      for (const reply of children.get(id) ?? []) {
        seen.add(reply.id);
        if (this.#visible(reply, children)) out.push(reply);
        walk(reply.id);
      }
    };
    walk(rootId);
    // Replies whose parent is unknown here still belong to the root.
    for (const post of this.#posts.values()) {
      if (post.rootId === rootId && !seen.has(post.id) && this.#visible(post, children)) out.push(post);
    }
    return out;
  }

  /** New top-level posts from others, waiting behind the "N new posts" button. */
  get pendingCount(): number {
    return this.#shownPending().length;
  }

  subscribe(listener: ThreadListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Joins the topic and loads the first page; reference-counted with stop(). */
  start(): void {
    if (this.#refs++ > 0) return;
    this.#unsubscribe = [
      this.connection.subscribe(this.#onConnection),
      this.connection.onTopicEvent(this.topic, this.#onEvent),
    ];
    this.#onConnection();
  }

  stop(): void {
    if (this.#refs === 0 || --this.#refs > 0) return;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    if (this.#online) this.connection.request('topic:leave', { topic: this.topic }).catch(() => {});
    this.#online = false;
  }

  /** Loads the first page again, in `sort` order. */
  setSort(sort: Sort): Promise<void> {
    if (sort === this.sort && this.status !== 'error') return Promise.resolve();
    this.sort = sort;
    return this.#load(false);
  }

  /** Loads from scratch after an error: joins, then lists. */
  reload(): Promise<void> {
    return this.#load(true);
  }

  /** Appends the next page; resolves with the newly shown top-level post ids. */
  async loadMore(): Promise<string[]> {
    if (!this.nextCursor || this.loadingMore) return [];
    this.loadingMore = true;
    this.#emit();
    try {
      return await this.#list(this.nextCursor);
    } finally {
      this.loadingMore = false;
      this.#emit();
    }
  }

  /** Shows the held-back posts from others; resolves with their ids in display order. */
  showPending(): string[] {
    const waiting = this.#shownPending();
    const ids = this.sort === 'newest' ? waiting.reverse() : waiting;
    this.#pending = [];
    this.#top = this.sort === 'newest' ? [...ids, ...this.#top] : [...this.#top, ...ids];
    this.#emit();
    return ids;
  }

  /**
   * Shows the post at once as "sending", then replaces it with the server's
   * copy and resolves with it (with the pipeline's `notices`; a post the
   * server held has status `held`). When the send fails for good, the
   * optimistic post stays with sendState 'failed' and the error, and the
   * promise rejects; a final refusal (BANNED_WORD, SUSPENDED, BANNED) removes it.
   */
  async post(body: string, parentId?: string): Promise<ThreadPost> {
    const author = this.connection.identity;
    if (!author) throw new KindredError('NOT_SIGNED_IN', 'Choose a display name first.');
    const parent = parentId ? this.#posts.get(parentId) : undefined;
    const clientId = newClientId();
    const local: ThreadPost = {
      id: clientId,
      clientId,
      topic: this.topic,
      parentId: parent?.id ?? null,
      rootId: parent ? (parent.rootId ?? parent.id) : null,
      depth: parent ? Math.min(parent.depth + 1, LIMITS.maxDepth) : 0,
      replyToName: parent && parent.depth >= LIMITS.maxDepth ? parent.author.name : null,
      author,
      body: normaliseBody(body),
      createdAt: new Date().toISOString(),
      editedAt: null,
      deleted: false,
      reactions: emptyReactions(),
      replyCount: 0,
      mine: [],
      sendState: 'sending',
    };
    this.#posts.set(clientId, local);
    if (!parent) this.#showTop(clientId);
    return this.#send(clientId);
  }

  /** Sends a failed post again under the same clientId, so the server cannot store it twice. */
  async retry(clientId: string): Promise<ThreadPost | undefined> {
    return this.#posts.get(clientId)?.sendState === 'failed' ? this.#send(clientId) : undefined;
  }

  discard(clientId: string): void {
    if (this.#posts.get(clientId)?.sendState !== 'failed') return;
    this.#posts.delete(clientId);
    this.#top = this.#top.filter((id) => id !== clientId);
    this.#emit();
  }

  /** Resolves with the edited post and the pipeline's `notices` (it may now be held, or masked). */
  async edit(postId: string, body: string): Promise<ThreadPost> {
    const { post, notices } = await this.connection.request('post:edit', { postId, body }, this.#options());
    const stored = this.#acknowledged(post, notices);
    this.#emit();
    return stored;
  }

  /**
   * Reports someone else's post to the moderators. Resolves with `hidden`:
   * this report took it past the site's threshold (the server then removes it
   * for everyone by a topic event).
   */
  async report(postId: string, reason: ReportReason, note?: string): Promise<{ hidden: boolean }> {
    const trimmed = note?.trim();
    const res = await this.connection.request(
      'post:report',
      { postId, reason, ...(trimmed ? { note: trimmed } : {}) },
      this.#options(),
    );
    this.#reported.add(postId);
    this.#emit();
    return res;
  }

  /** Whether this visitor reported the post during this page's life. */
  hasReported(postId: string): boolean {
    return this.#reported.has(postId);
  }

  async remove(postId: string): Promise<PostView> {
    const { post } = await this.connection.request('post:delete', { postId }, this.#options());
    this.#upsert(post);
    this.#emit();
    return post;
  }

  /** Changes the count at once; rolls it back and rethrows when the server refuses. */
  async react(postId: string, reaction: Reaction, on: boolean): Promise<void> {
    const post = this.#posts.get(postId);
    if (!post || (post.mine ?? []).includes(reaction) === on) return;
    this.#adjust(postId, reaction, on);
    try {
      const ack = await this.connection.request('reaction:set', { postId, reaction, on }, this.#options());
      this.#upsert(ack.post);
    } catch (error) {
      this.#adjust(postId, reaction, !on);
      throw toKindredError(error);
    } finally {
      this.#emit();
    }
  }

  /** Any post this store holds, by id (an optimistic post's id is its clientId). */
  find(postId: string): ThreadPost | undefined {
    return this.#posts.get(postId);
  }

  isMine(post: PostView): boolean {
    return post.author.id === this.connection.identity?.id;
  }

  /** The visitor's own post that a moderator rejected or removed (only its author is sent that status). */
  moderated(post: PostView): boolean {
    return (post.status === 'rejected' || post.status === 'removed') && this.isMine(post);
  }

  /** Only the author, only within the edit window, only once the server has the post. */
  canEdit(post: ThreadPost, now = Date.now()): boolean {
    return (
      this.isMine(post) &&
      !post.deleted &&
      !post.sendState &&
      now - Date.parse(post.createdAt) < LIMITS.editWindowMs
    );
  }

  #options() {
    return { timeoutMs: this.timeoutMs };
  }

  #onConnection = (): void => {
    const { status, identity } = this.connection;
    const online = status === 'online';
    const viewer = identity?.id ?? null;
    const member = identity?.kind === 'member';
    let reload = false;
    if (viewer !== this.#viewer) {
      // `mine` describes the previous viewer's reactions.
      for (const [id, post] of this.#posts) this.#posts.set(id, { ...post, mine: [] });
      // A member may see topics and reactions a reader or a new guest does not, and the other way round.
      reload = this.#member || member || this.error?.code === 'MEMBERS_ONLY';
      this.#viewer = viewer;
      this.#member = member;
    }
    const cameOnline = online && !this.#online;
    this.#online = online;
    if (online && (reload || (cameOnline && !this.#loaded))) this.#reloadWhenIdle();
    else if (cameOnline) void this.#resync();
    this.#emit();
  };

  /** Joins and lists the first page again, after any load or resync under way. */
  #reloadWhenIdle(): void {
    if (this.#syncing) this.#reloadAgain = true;
    else void this.#load(true);
  }

  #onEvent = (event: TopicEvent): void => {
    if (this.#syncing) this.#buffer.push(event);
    else if (this.#loaded) this.#emit(this.#applyLive(event));
  };

  /** Join (the room first, so nothing falls between), then list the first page. */
  async #load(join: boolean): Promise<void> {
    this.status = 'loading';
    this.error = null;
    this.#syncing = true;
    this.#emit();
    try {
      if (join) await this.connection.request('topic:join', { topic: this.topic }, this.#options());
      await this.#list();
      this.#loaded = true;
      this.status = 'ready';
    } catch (error) {
      this.status = 'error';
      this.error = toKindredError(error);
      if (this.error.code === 'MEMBERS_ONLY') this.#forget();
    }
    this.#finishSync();
  }

  /** Asks for every event since lastSeq (after a reconnect or a gap), or reloads when told to. */
  async #resync(): Promise<void> {
    if (this.#syncing) {
      this.#syncAgain = true;
      return;
    }
    this.#syncing = true;
    const arrived: PostView[] = [];
    try {
      const res = await this.connection.request(
        'topic:join',
        { topic: this.topic, since: this.lastSeq },
        this.#options(),
      );
      if (res.reset) await this.#list();
      else {
        for (const event of res.events) if (event.seq > this.lastSeq) arrived.push(...this.#apply(event));
        this.lastSeq = Math.max(this.lastSeq, res.seq);
      }
    } catch {
      // Still stale: the next reconnect or the next gap asks again.
    }
    this.#finishSync(arrived);
  }

  #finishSync(arrived: PostView[] = []): void {
    this.#syncing = false;
    const buffered = this.#buffer;
    this.#buffer = [];
    if (this.#reloadAgain) {
      this.#reloadAgain = this.#syncAgain = false;
      void this.#load(true);
      this.#emit(arrived);
      return;
    }
    if (this.#syncAgain) {
      this.#syncAgain = false;
      this.#buffer = buffered;
      void (this.#loaded ? this.#resync() : this.#load(true));
      this.#emit(arrived);
      return;
    }
    if (this.#loaded) for (const event of buffered) arrived.push(...this.#applyLive(event));
    this.#emit(arrived);
  }

  /**
   * Lists one page. Without a cursor it replaces the list (keeping unsent
   * optimistic posts) and takes the page's seq as the starting point.
   */
  async #list(cursor?: string): Promise<string[]> {
    const res = await this.connection.request(
      'thread:list',
      { topic: this.topic, sort: this.sort, ...(cursor ? { cursor } : {}) },
      this.#options(),
    );
    if (!cursor) {
      const unsent = [...this.#posts.values()].filter((post) => post.sendState);
      this.#posts = new Map(unsent.map((post) => [post.id, post]));
      this.#top = unsent.filter((post) => !post.parentId).map((post) => post.id);
      this.#pending = [];
      this.lastSeq = res.seq;
    }
    const shown: string[] = [];
    for (const post of res.posts) {
      this.#upsert(post);
      if (!post.parentId && !this.#top.includes(post.id)) shown.push(post.id);
    }
    this.#top.push(...shown);
    this.nextCursor = res.nextCursor;
    return shown;
  }

  /** A live event: stale ones are ignored, a gap triggers a resync that covers this event too. */
  #applyLive(event: TopicEvent): PostView[] {
    if (event.seq <= this.lastSeq) return [];
    if (event.seq > this.lastSeq + 1) {
      void this.#resync();
      return [];
    }
    return this.#apply(event);
  }

  /** Drops what this visitor may no longer see (signed out of a members-only topic). */
  #forget(): void {
    this.#loaded = false;
    this.#posts.clear();
    this.#top = [];
    this.#pending = [];
    this.nextCursor = null;
    this.lastSeq = 0;
  }

  /** Applies one event; returns the post when it is news from someone else. */
  #apply({ seq, type, post }: TopicEvent): PostView[] {
    this.lastSeq = Math.max(this.lastSeq, seq);
    const known = this.#posts.has(post.id) || this.#reconcile(post);
    this.#upsert(post);
    if (known || type !== 'post.created') return [];
    if (this.isMine(post)) {
      // Sent from another tab or device: the visitor's own posts show at once.
      if (!post.parentId) this.#showTop(post.id);
      return [];
    }
    if (!post.parentId) this.#pending.push(post.id);
    return [post];
  }

  /** Replaces the optimistic copy with the server's; true when there was one. */
  #reconcile(post: PostView): boolean {
    const local = this.#posts.get(post.clientId);
    if (!local?.sendState || !this.isMine(post)) return false;
    this.#posts.delete(local.id);
    this.#top = this.#top.map((id) => (id === local.id ? post.id : id));
    return true;
  }

  async #send(clientId: string): Promise<PostView> {
    this.#patch(clientId, { sendState: 'sending', sendError: undefined });
    const local = this.#posts.get(clientId)!;
    const req = {
      topic: this.topic,
      clientId,
      body: local.body,
      ...(local.parentId ? { parentId: local.parentId } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const { post, notices } = await this.connection.request('post:create', req, this.#options());
        const known = this.#posts.has(post.id) || this.#reconcile(post);
        const stored = this.#acknowledged(post, notices);
        if (!known && !post.parentId) this.#showTop(post.id);
        this.#emit();
        return stored;
      } catch (error) {
        const failure = toKindredError(error);
        if (failure.code === 'UNAVAILABLE' && attempt < SEND_ATTEMPTS) continue;
        // A live event may have delivered the post while the acknowledgement was lost.
        const delivered = this.#posts.get(clientId)?.sendState ? undefined : this.#sentAs(clientId);
        if (delivered) return delivered;
        if (FINAL_REFUSALS.includes(failure.code)) {
          this.#posts.delete(clientId);
          this.#top = this.#top.filter((id) => id !== clientId);
          this.#emit();
        } else this.#patch(clientId, { sendState: 'failed', sendError: failure });
        throw failure;
      }
    }
  }

  /**
   * Stores the server's copy from a create or edit acknowledgement with its
   * notices; a `held` notice marks it held even if the post does not say so.
   */
  #acknowledged(post: PostView, notices: WriteNotice[] = []): ThreadPost {
    const held = !post.status && notices.includes('held');
    this.#upsert({ ...post, ...(held ? { status: 'held' as const } : {}), notices });
    return this.#posts.get(post.id)!;
  }

  #sentAs(clientId: string): ThreadPost | undefined {
    for (const post of this.#posts.values()) if (post.clientId === clientId && this.isMine(post)) return post;
    return undefined;
  }

  #patch(id: string, change: Partial<ThreadPost>): void {
    const post = this.#posts.get(id);
    if (post) this.#posts.set(id, { ...post, ...change });
    this.#emit();
  }

  #adjust(postId: string, reaction: Reaction, on: boolean): void {
    const post = this.#posts.get(postId);
    if (!post) return;
    const mine = (post.mine ?? []).filter((r) => r !== reaction);
    const count = Math.max(0, post.reactions[reaction] + (on ? 1 : -1));
    this.#posts.set(postId, {
      ...post,
      reactions: { ...post.reactions, [reaction]: count },
      mine: on ? [...mine, reaction] : mine,
    });
    this.#emit();
  }

  /** Events carry the whole post after the change; only `mine` (per viewer) and the author's notices are kept from before. */
  #upsert(post: ThreadPost): void {
    const before = this.#posts.get(post.id);
    const mine = post.mine ?? before?.mine;
    const notices = post.notices ?? before?.notices;
    this.#posts.set(post.id, { ...post, ...(mine ? { mine } : {}), ...(notices ? { notices } : {}) });
  }

  /** The visitor's own new post goes where the sort puts new posts: first for newest, else last. */
  #showTop(id: string): void {
    if (this.#top.includes(id)) return;
    if (this.sort === 'newest') this.#top.unshift(id);
    else this.#top.push(id);
  }

  /** Held-back posts that would show now: one deleted while it waited (and has no replies) is not news. */
  #shownPending(): string[] {
    const children = this.#children();
    return this.#pending.filter((id) => {
      const post = this.#posts.get(id);
      return post && this.#visible(post, children);
    });
  }

  #children(): Map<string, ThreadPost[]> {
    const children = new Map<string, ThreadPost[]>();
    for (const post of this.#posts.values()) {
      if (!post.parentId) continue;
      const siblings = children.get(post.parentId) ?? [];
      children.set(post.parentId, [...siblings, post]);
    }
    for (const siblings of children.values()) siblings.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return children;
  }

  /**
   * A deleted post stays (as "This post was deleted") only while a visible
   * reply hangs from it; one a moderator rejected or removed stays for its
   * author, who is shown why.
   */
  #visible(post: ThreadPost, children: Map<string, ThreadPost[]>): boolean {
    return (
      !post.deleted ||
      this.moderated(post) ||
      (children.get(post.id) ?? []).some((reply) => this.#visible(reply, children))
    );
  }

  #emit(arrived: readonly PostView[] = []): void {
    for (const listener of [...this.#listeners]) listener(arrived);
  }
}

const stores = new WeakMap<Connection, Map<string, ThreadStore>>();

/** The page's one store for `topic` on `connection`, shared by every element showing it. */
export function getThreadStore(connection: Connection, topic: string): ThreadStore {
  let byTopic = stores.get(connection);
  if (!byTopic) stores.set(connection, (byTopic = new Map()));
  let store = byTopic.get(topic);
  if (!store) byTopic.set(topic, (store = new ThreadStore(connection, topic)));
  return store;
}
