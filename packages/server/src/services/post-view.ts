import type { PostView, Reaction, TopicEvent } from '@kindred/protocol';
import type { PostRecord, TopicEventRecord } from '../store/store.js';

/**
 * What a client sees of a post. `mine` is passed only for answers addressed to
 * one viewer. `status` and `moderationReason` appear only on posts that are not
 * published, which reach no one but their author (see `asSeenBy`) and moderators.
 */
export function toPostView(post: PostRecord, mine?: Reaction[]): PostView {
  const deleted = post.deletedAt !== null;
  const view: PostView = {
    id: post.id,
    clientId: post.clientId,
    topic: post.topic,
    parentId: post.parentId,
    rootId: post.rootId,
    depth: post.depth,
    replyToName: post.replyToName,
    author: { ...post.author },
    body: deleted ? '' : post.body,
    createdAt: post.createdAt,
    editedAt: post.editedAt,
    deleted,
    reactions: { ...post.reactions },
    replyCount: post.replyCount,
  };
  if (mine) view.mine = mine;
  // Event snapshots written before moderation existed carry no status: they were published.
  const status = post.status ?? 'published';
  if (status !== 'published') {
    view.status = status;
    view.moderationReason = post.moderationReason ?? null;
  }
  return view;
}

/**
 * The post as one viewer may see it: its author sees it as it stands; anyone
 * else sees a post that is not published as a tombstone, kept only where live
 * replies need it.
 */
export function asSeenBy(post: PostRecord, viewerId: string | null): PostRecord {
  if ((post.status ?? 'published') === 'published' || post.author.id === viewerId) return post;
  return tombstone(post);
}

function tombstone(post: PostRecord): PostRecord {
  return {
    ...post,
    body: '',
    deletedAt: post.deletedAt ?? post.editedAt ?? post.createdAt,
    reactions: { helpful: 0, thanks: 0, metoo: 0 },
    status: 'published',
    moderationReason: null,
  };
}

/** Events are broadcast to a whole room, so they never carry `mine`, and a post taken from view goes as a tombstone. */
export function toTopicEvent(event: TopicEventRecord): TopicEvent {
  const post = (event.post.status ?? 'published') === 'published' ? event.post : tombstone(event.post);
  return { topic: event.topic, seq: event.seq, type: event.type, post: toPostView(post) };
}
