import type { PostView, Reaction, TopicEvent } from '@kindred/protocol';
import type { PostRecord, TopicEventRecord } from '../store/store.js';

/** What a client sees of a post. `mine` is passed only for answers addressed to one viewer. */
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
  return view;
}

/** Events are broadcast to a whole room, so they never carry `mine`. */
export function toTopicEvent(event: TopicEventRecord): TopicEvent {
  return { topic: event.topic, seq: event.seq, type: event.type, post: toPostView(event.post) };
}
