import {
  LIMITS,
  type ClientEvents,
  type Identity,
  type PostView,
  type TopicEvent,
  type WriteNotice,
} from '@kindred/protocol';
import type { ParsedRequest } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import { isThreadTopic, type PostChange, type PostRecord, type Store } from '../store/store.js';
import type { AccessService } from './access.js';
import type { Caller } from './caller.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { asSeenBy, toPostView, toTopicEvent } from './post-view.js';
import { holdOf, type CrisisFinding, type SafetyVerdict } from './safety-phases.js';
import { verdictOf, type WriteContext, type WritePipeline } from './write-pipeline.js';

/** Sends a committed event to everyone watching the topic; a Redis adapter can sit behind it. */
export type Publish = (siteId: string, event: TopicEvent) => void;

/** Tells moderators (live, and by the site's alerts for a crisis) about queue changes that writes cause. */
export interface ModerationAnnouncer {
  held(siteId: string, postId: string, crisis: CrisisFinding | null): void;
  resolved(siteId: string, postId: string): void;
}

export interface ThreadDeps {
  store: Store;
  publish: Publish;
  now: () => Date;
  access: AccessService;
  /** Every write goes through it: authorise → rate-limit → … → store → fan out. */
  pipeline: WritePipeline;
  moderation: ModerationAnnouncer;
}

type Result<K extends keyof ClientEvents> = Promise<ClientEvents[K]['res']>;

const EDIT_MINUTES = Math.round(LIMITS.editWindowMs / 60_000);

/** The rules of a discussion thread: who may post, reply, edit, delete and react, and what a page holds. */
export class ThreadService {
  constructor(private readonly deps: ThreadDeps) {}

  async listPosts(caller: Caller, request: ParsedRequest<'thread:list'>): Result<'thread:list'> {
    await this.deps.access.authoriseRead(caller, request.topic);
    const after = decodeCursor(request.sort, request.cursor);
    const limit = request.limit ?? LIMITS.pageSize;
    const viewerId = caller.user?.id ?? null;
    const page = await this.deps.store.readThreadPage({
      siteId: caller.siteId,
      viewerId,
      topic: request.topic,
      sort: request.sort,
      after,
      limit,
    });
    const seen = (post: PostRecord) => asSeenBy(post, viewerId);
    const posts = [...page.roots.map(seen), ...withoutEmptyTombstones(page.replies.map(seen))];
    const mine = caller.user
      ? await this.deps.store.reactionsBy(caller.user.id, posts.map((post) => post.id))
      : null;
    const last = page.roots[page.roots.length - 1];
    return {
      posts: posts.map((post) => toPostView(post, mine ? (mine.get(post.id) ?? []) : undefined)),
      nextCursor: page.hasMore && last ? encodeCursor(request.sort, last) : null,
      seq: page.seq,
    };
  }

  async createPost(caller: Caller, request: ParsedRequest<'post:create'>): Result<'post:create'> {
    // A retry of a post whose acknowledgement was lost returns the stored post, whatever happened since.
    const earlier = caller.user && (await this.deps.store.findPostByClientId(caller.siteId, caller.user.id, request.clientId));
    if (earlier) return withNotices(toPostView(earlier), earlier.status === 'held' ? ['held'] : []);
    return this.deps.pipeline.run(
      { caller, kind: 'post', topic: request.topic, action: 'post', text: { body: request.body, write: 'create' } },
      (write) => this.storePost(caller, write, request),
    );
  }

  private async storePost(caller: Caller, write: WriteContext, request: ParsedRequest<'post:create'>): Result<'post:create'> {
    const { store } = this.deps;
    const { author } = write;
    const safety = verdictOf(write);
    let placement = { parentId: null as string | null, rootId: null as string | null, depth: 0, replyToName: null as string | null };
    if (request.parentId) {
      const parent = await store.findPost(request.parentId);
      if (!parent || parent.siteId !== caller.siteId || parent.topic !== request.topic || parent.deletedAt || parent.status !== 'published') {
        throw new ServiceError('NOT_FOUND', 'The post you are replying to has been deleted or does not exist.', 'parentId');
      }
      const flattened = parent.depth >= LIMITS.maxDepth;
      placement = {
        parentId: parent.id,
        rootId: parent.rootId ?? parent.id,
        // Past the cap the reply keeps its real parent but shows at the cap, naming whom it answers.
        depth: flattened ? LIMITS.maxDepth : parent.depth + 1,
        replyToName: flattened ? parent.author.name : null,
      };
    }
    const createdAt = this.deps.now().toISOString();
    const change = await store.createPost(
      { siteId: caller.siteId, topic: request.topic, clientId: request.clientId, authorId: author.id, ...placement, body: safety.text, createdAt },
      holdOf(safety, createdAt),
    );
    if (change.event === null && change.post.status !== 'held') return { post: toPostView(change.post) };
    return withNotices(this.announceWrite(caller, change, safety), safety.notices);
  }

  async editPost(caller: Caller, request: ParsedRequest<'post:edit'>): Result<'post:edit'> {
    const post = await this.livePost(caller, request.postId);
    const authorise = (user: Identity) => {
      if (post.author.id !== user.id) throw new ServiceError('NOT_AUTHORISED', 'Only the author can edit this post.');
      if (this.deps.now().getTime() - Date.parse(post.createdAt) > LIMITS.editWindowMs) {
        throw new ServiceError(
          'EDIT_WINDOW_CLOSED',
          `Posts can be edited for ${EDIT_MINUTES} minutes after posting; you can still delete it.`,
        );
      }
    };
    const text = { body: request.body, write: 'edit' as const };
    return this.deps.pipeline.run({ caller, kind: 'post', topic: post.topic, action: 'edit posts', authorise, text }, async (write) => {
      const safety = verdictOf(write);
      const editedAt = this.deps.now().toISOString();
      const hold = holdOf(safety, editedAt);
      const change = await this.deps.store.editPost({ postId: post.id, body: safety.text, editedAt, ...(hold && { hold }) });
      if (!change) throw notFound();
      const notices = change.post.status === 'held' && !safety.notices.includes('held') ? [...safety.notices, 'held' as const] : safety.notices;
      return withNotices(this.announceWrite(caller, change, safety), notices);
    });
  }

  async deletePost(caller: Caller, request: ParsedRequest<'post:delete'>): Result<'post:delete'> {
    const post = await this.deps.store.findPost(request.postId);
    if (!post || post.siteId !== caller.siteId) throw notFound();
    const authorise = (user: Identity) => {
      if (post.author.id !== user.id) throw new ServiceError('NOT_AUTHORISED', 'Only the author can delete this post.');
    };
    return this.deps.pipeline.run({ caller, kind: 'delete', topic: post.topic, action: 'delete posts', removingOwn: true, authorise }, async () => {
      const waiting = await this.deps.store.moderationItem(post.id);
      // Deleting twice answers with the tombstone, so a retried delete is harmless.
      const change = await this.deps.store.deletePost({ postId: post.id, deletedAt: this.deps.now().toISOString() });
      if (!change) throw notFound();
      if (waiting && waiting.resolvedAt === null && !post.deletedAt) this.deps.moderation.resolved(caller.siteId, post.id);
      return { post: this.announce(caller, change) };
    });
  }

  async setReaction(caller: Caller, request: ParsedRequest<'reaction:set'>): Result<'reaction:set'> {
    const post = await this.livePost(caller, request.postId);
    const authorise = (user: Identity) => {
      if (post.author.id === user.id) throw new ServiceError('NOT_AUTHORISED', "You can't react to your own post.");
    };
    return this.deps.pipeline.run({ caller, kind: 'reaction', topic: post.topic, action: 'react', authorise }, (write) =>
      this.storeReaction(caller, write.author, post, request),
    );
  }

  private async storeReaction(caller: Caller, user: Identity, post: PostRecord, request: ParsedRequest<'reaction:set'>): Result<'reaction:set'> {
    const change = await this.deps.store.setReaction({
      postId: post.id,
      userId: user.id,
      reaction: request.reaction,
      on: request.on,
      at: this.deps.now().toISOString(),
    });
    if (!change) throw notFound();
    this.announce(caller, change);
    const mine = await this.deps.store.reactionsBy(user.id, [post.id]);
    return { post: toPostView(change.post, mine.get(post.id) ?? []) };
  }

  /** What a (re)joining client missed since `since`, or `reset` when it should reload the list instead. */
  async eventsSince(caller: Caller, request: ParsedRequest<'topic:join'>): Result<'topic:join'> {
    const { store } = this.deps;
    await this.deps.access.authoriseRead(caller, request.topic);
    if (request.since === undefined) {
      return { seq: await store.topicSeq(caller.siteId, request.topic), events: [], reset: false };
    }
    const missed = await store.eventsSince(caller.siteId, request.topic, request.since, LIMITS.resyncMaxEvents);
    // A `since` ahead of the server means the client saw a different history (e.g. a restored database).
    if (request.since > missed.seq || missed.seq - request.since > LIMITS.resyncMaxEvents) {
      return { seq: missed.seq, events: [], reset: true };
    }
    return { seq: missed.seq, events: missed.events.map(toTopicEvent), reset: false };
  }

  /** A post that is there to edit or react to: not deleted, and published (or, for its author, still held). */
  private async livePost(caller: Caller, postId: string): Promise<PostRecord> {
    const post = await this.deps.store.findPost(postId);
    // Questions, answers, about-mes and conversation messages (topics with a colon, never a thread's slug) have their own events, which know who may see them.
    if (!post || post.siteId !== caller.siteId || post.deletedAt || !isThreadTopic(post.topic)) throw notFound();
    const ownHeld = post.status === 'held' && post.author.id === caller.user?.id;
    if (post.status !== 'published' && !ownHeld) throw notFound();
    return post;
  }

  /** Fan-out of a post or edit: viewers get the topic event; moderators hear of a hold (and the site's alerts of a crisis). */
  private announceWrite(caller: Caller, change: PostChange, safety: SafetyVerdict): PostView {
    const view = this.announce(caller, change);
    if (change.post.status === 'held' && safety.status === 'held') this.deps.moderation.held(caller.siteId, change.post.id, safety.crisis);
    return view;
  }

  /** Publishes the committed change, if it was one, and returns the post for the acknowledgement. */
  private announce(caller: Caller, change: PostChange): PostView {
    if (change.event) this.deps.publish(caller.siteId, toTopicEvent(change.event));
    return toPostView(change.post);
  }
}

function withNotices(post: PostView, notices: WriteNotice[]): { post: PostView; notices?: WriteNotice[] } {
  return notices.length ? { post, notices } : { post };
}

function notFound(): ServiceError {
  return new ServiceError('NOT_FOUND', 'That post has been deleted or does not exist.', 'postId');
}

/** Keeps live replies and the deleted ones still needed to hold live replies in place. */
function withoutEmptyTombstones(replies: PostRecord[]): PostRecord[] {
  const byId = new Map(replies.map((reply) => [reply.id, reply]));
  const keep = new Set<string>();
  for (const reply of replies) {
    if (reply.deletedAt) continue;
    let current: PostRecord | undefined = reply;
    while (current && !keep.has(current.id)) {
      keep.add(current.id);
      current = current.parentId ? byId.get(current.parentId) : undefined;
    }
  }
  return replies.filter((reply) => keep.has(reply.id));
}
