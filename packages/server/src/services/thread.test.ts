import { LIMITS, type PostView } from '@kindred/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../errors.js';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture.js';
import type { Caller } from './caller.js';

const TOPIC = 'knee-replacement';

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ServiceError)) throw new Error(`expected a ServiceError, got ${String(error)}`);
  return error;
}

describe('ThreadService', () => {
  let f: ServiceFixture;
  let maria: Caller;
  let tom: Caller;
  const anonymous: Caller = { siteId: 'riverside', user: null };
  let clientIds = 0;

  beforeEach(async () => {
    f = await serviceFixture();
    maria = await f.guest('Maria');
    tom = await f.guest('Tom');
  });
  afterEach(() => f.dispose());

  const post = async (caller: Caller, body = 'Week 2 update', parentId?: string): Promise<PostView> =>
    (await f.threads.createPost(caller, { topic: TOPIC, clientId: `c${++clientIds}`, body, ...(parentId && { parentId }) })).post;

  it('refuses every write without an identity', async () => {
    const existing = await post(maria);
    const attempts = [
      f.threads.createPost(anonymous, { topic: TOPIC, clientId: 'x', body: 'hi' }),
      f.threads.editPost(anonymous, { postId: existing.id, body: 'hi' }),
      f.threads.deletePost(anonymous, { postId: existing.id }),
      f.threads.setReaction(anonymous, { postId: existing.id, reaction: 'helpful', on: true }),
    ];
    for (const attempt of attempts) expect((await refusal(attempt)).code).toBe('NOT_SIGNED_IN');
    expect(f.published).toHaveLength(1);
  });

  it('lets anyone read', async () => {
    await post(maria, 'hello');
    const page = await f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'newest' });
    expect(page.posts.map((view) => view.body)).toEqual(['hello']);
    expect(page.posts[0]).not.toHaveProperty('mine');
  });

  it('publishes each change once, after it is stored, without the viewer-only `mine`', async () => {
    const created = await post(maria, 'first');
    await f.threads.setReaction(tom, { postId: created.id, reaction: 'thanks', on: true });
    expect(f.published.map(({ siteId, event }) => [siteId, event.type, event.seq])).toEqual([
      ['riverside', 'post.created', 1],
      ['riverside', 'post.reacted', 2],
    ]);
    for (const { event } of f.published) expect(event.post).not.toHaveProperty('mine');
    expect(f.published[1]?.event.post.reactions.thanks).toBe(1);
  });

  it('answers a retried create with the stored post and publishes nothing new', async () => {
    const request = { topic: TOPIC, clientId: 'tab-1-post-1', body: 'only once' };
    const first = await f.threads.createPost(maria, request);
    const retry = await f.threads.createPost(maria, request);
    expect(retry.post).toEqual(first.post);
    expect(f.published).toHaveLength(1);
    const page = await f.threads.listPosts(maria, { topic: TOPIC, sort: 'newest' });
    expect(page.posts).toHaveLength(1);
    expect(page.seq).toBe(1);
  });

  it('nests replies up to the cap, then shows deeper ones at the cap naming whom they answer', async () => {
    const root = await post(maria, 'root');
    let parent = root;
    const authors = [tom, maria, tom];
    for (let depth = 1; depth <= LIMITS.maxDepth; depth++) {
      const child = await post(authors[depth - 1]!, `depth ${depth}`, parent.id);
      expect(child).toMatchObject({ depth, parentId: parent.id, rootId: root.id, replyToName: null });
      parent = child;
    }
    const deep = await post(maria, 'deeper', parent.id);
    expect(deep).toMatchObject({ depth: LIMITS.maxDepth, parentId: parent.id, rootId: root.id, replyToName: 'Tom' });
    const deeper = await post(tom, 'deeper still', deep.id);
    expect(deeper).toMatchObject({ depth: LIMITS.maxDepth, parentId: deep.id, replyToName: 'Maria' });
  });

  it('refuses replies to missing, deleted, other-topic or other-site posts', async () => {
    const root = await post(maria);
    const elsewhere = await f.guest('Zed', 'elsewhere');
    const foreign = (await f.threads.createPost(elsewhere, { topic: TOPIC, clientId: 'z1', body: 'other site' })).post;
    const otherTopic = (await f.threads.createPost(maria, { topic: 'hip', clientId: 'h1', body: 'hip' })).post;
    await f.threads.deletePost(maria, { postId: root.id });
    for (const parentId of ['does-not-exist', root.id, foreign.id, otherTopic.id]) {
      const error = await refusal(f.threads.createPost(tom, { topic: TOPIC, clientId: `r-${parentId}`, body: 'reply', parentId }));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.field).toBe('parentId');
    }
  });

  it('lets the author edit within the edit window only', async () => {
    const created = await post(maria, 'orginal typo');
    f.clock.advance(LIMITS.editWindowMs - 60_000);
    const { post: edited } = await f.threads.editPost(maria, { postId: created.id, body: 'original, fixed' });
    expect(edited).toMatchObject({ body: 'original, fixed', editedAt: f.clock.now.toISOString(), createdAt: created.createdAt });
    f.clock.advance(2 * 60_000);
    const late = await refusal(f.threads.editPost(maria, { postId: created.id, body: 'too late' }));
    expect(late.code).toBe('EDIT_WINDOW_CLOSED');
    expect(late.message).toMatch(/15 minutes/);
    expect((await f.store.findPost(created.id))?.body).toBe('original, fixed');
  });

  it('lets only the author edit or delete', async () => {
    const created = await post(maria);
    expect((await refusal(f.threads.editPost(tom, { postId: created.id, body: 'mine now' }))).code).toBe('NOT_AUTHORISED');
    expect((await refusal(f.threads.deletePost(tom, { postId: created.id }))).code).toBe('NOT_AUTHORISED');
    expect((await f.store.findPost(created.id))?.deletedAt).toBeNull();
  });

  it('keeps a tombstone for deleted posts that still have replies, and hides the rest', async () => {
    const kept = await post(maria, 'has a reply');
    await post(tom, 'the reply', kept.id);
    const lonely = await post(maria, 'no replies');
    const { post: tombstone } = await f.threads.deletePost(maria, { postId: kept.id });
    expect(tombstone).toMatchObject({ id: kept.id, deleted: true, body: '' });
    await f.threads.deletePost(maria, { postId: lonely.id });
    const again = await f.threads.deletePost(maria, { postId: lonely.id });
    expect(again.post.deleted).toBe(true);

    const page = await f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'newest' });
    expect(page.posts.map((view) => [view.body, view.deleted])).toEqual([
      ['', true],
      ['the reply', false],
    ]);
    expect(f.published.filter(({ event }) => event.type === 'post.deleted')).toHaveLength(2);
    expect(f.published.at(-1)?.event.post).toMatchObject({ deleted: true, body: '' });
    expect((await refusal(f.threads.editPost(maria, { postId: kept.id, body: 'undo' }))).code).toBe('NOT_FOUND');
  });

  it('drops deleted replies unless a live reply hangs below them', async () => {
    const root = await post(maria, 'root');
    const middle = await post(tom, 'middle', root.id);
    await post(maria, 'below', middle.id);
    const leaf = await post(tom, 'leaf', root.id);
    await f.threads.deletePost(tom, { postId: middle.id });
    await f.threads.deletePost(tom, { postId: leaf.id });
    const page = await f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'oldest' });
    expect(page.posts.map((view) => view.body)).toEqual(['root', '', 'below']);
  });

  it('toggles reactions idempotently, counts them, and tells the reactor which are theirs', async () => {
    const created = await post(maria);
    const amy = await f.guest('Amy');
    const on = await f.threads.setReaction(tom, { postId: created.id, reaction: 'helpful', on: true });
    expect(on.post).toMatchObject({ reactions: { helpful: 1, thanks: 0, metoo: 0 }, mine: ['helpful'] });
    const repeat = await f.threads.setReaction(tom, { postId: created.id, reaction: 'helpful', on: true });
    expect(repeat.post.reactions.helpful).toBe(1);
    await f.threads.setReaction(amy, { postId: created.id, reaction: 'helpful', on: true });
    await f.threads.setReaction(amy, { postId: created.id, reaction: 'metoo', on: true });
    const off = await f.threads.setReaction(tom, { postId: created.id, reaction: 'helpful', on: false });
    expect(off.post).toMatchObject({ reactions: { helpful: 1, thanks: 0, metoo: 1 }, mine: [] });
    expect(f.published.filter(({ event }) => event.type === 'post.reacted')).toHaveLength(4);

    const forAmy = await f.threads.listPosts(amy, { topic: TOPIC, sort: 'newest' });
    expect(forAmy.posts[0]?.mine).toEqual(['helpful', 'metoo']);
    const forMaria = await f.threads.listPosts(maria, { topic: TOPIC, sort: 'newest' });
    expect(forMaria.posts[0]?.mine).toEqual([]);
  });

  it("refuses reactions to one's own post and to deleted posts", async () => {
    const own = await post(maria);
    const error = await refusal(f.threads.setReaction(maria, { postId: own.id, reaction: 'helpful', on: true }));
    expect(error).toMatchObject({ code: 'NOT_AUTHORISED', message: "You can't react to your own post." });
    await f.threads.deletePost(maria, { postId: own.id });
    expect((await refusal(f.threads.setReaction(tom, { postId: own.id, reaction: 'helpful', on: true }))).code).toBe('NOT_FOUND');
  });

  it('keeps sites apart: posts of one site cannot be touched from another', async () => {
    const created = await post(maria);
    const zed = await f.guest('Zed', 'elsewhere');
    expect((await refusal(f.threads.setReaction(zed, { postId: created.id, reaction: 'helpful', on: true }))).code).toBe('NOT_FOUND');
    expect((await refusal(f.threads.deletePost(zed, { postId: created.id }))).code).toBe('NOT_FOUND');
    const theirs = await f.threads.listPosts({ siteId: 'elsewhere', user: null }, { topic: TOPIC, sort: 'newest' });
    expect(theirs.posts).toEqual([]);
  });

  it('pages with an opaque cursor and refuses a forged one', async () => {
    for (let i = 1; i <= 5; i++) await post(maria, `post ${i}`);
    const first = await f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'oldest', limit: 2 });
    expect(first.posts.map((view) => view.body)).toEqual(['post 1', 'post 2']);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'oldest', limit: 2, cursor: first.nextCursor! });
    const third = await f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'oldest', limit: 2, cursor: second.nextCursor! });
    expect([...second.posts, ...third.posts].map((view) => view.body)).toEqual(['post 3', 'post 4', 'post 5']);
    expect(third.nextCursor).toBeNull();

    for (const cursor of ['not-base64-json', first.nextCursor!.slice(3), Buffer.from('{"s":"oldest","n":-1,"h":0}').toString('base64url')]) {
      expect((await refusal(f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'oldest', cursor }))).field).toBe('cursor');
    }
    // A cursor belongs to its sort.
    expect((await refusal(f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'newest', cursor: first.nextCursor! }))).code).toBe('INVALID_INPUT');
  });

  it('uses the default page size', async () => {
    for (let i = 0; i < LIMITS.pageSize + 1; i++) await post(maria, `post ${i}`);
    const page = await f.threads.listPosts(anonymous, { topic: TOPIC, sort: 'newest' });
    expect(page.posts).toHaveLength(LIMITS.pageSize);
    expect(page.nextCursor).not.toBeNull();
  });

  describe('catching up', () => {
    it('returns what was missed since a sequence number', async () => {
      const created = await post(maria, 'one');
      await f.threads.editPost(maria, { postId: created.id, body: 'one, edited' });
      await post(tom, 'two');
      const caughtUp = await f.threads.eventsSince(tom, { topic: TOPIC, since: 1 });
      expect(caughtUp.reset).toBe(false);
      expect(caughtUp.seq).toBe(3);
      expect(caughtUp.events.map((event) => [event.seq, event.type, event.post.body])).toEqual([
        [2, 'post.edited', 'one, edited'],
        [3, 'post.created', 'two'],
      ]);
      expect(await f.threads.eventsSince(tom, { topic: TOPIC })).toEqual({ seq: 3, events: [], reset: false });
      expect(await f.threads.eventsSince(tom, { topic: TOPIC, since: 3 })).toEqual({ seq: 3, events: [], reset: false });
    });

    it('asks for a reload when the client is ahead of the server', async () => {
      await post(maria);
      expect(await f.threads.eventsSince(tom, { topic: TOPIC, since: 7 })).toEqual({ seq: 1, events: [], reset: true });
    });

    it('asks for a reload when more than the resync limit was missed', async () => {
      const created = await post(maria);
      for (let i = 0; i < LIMITS.resyncMaxEvents; i++) {
        await f.threads.setReaction(tom, { postId: created.id, reaction: 'helpful', on: i % 2 === 0 });
      }
      const seq = 1 + LIMITS.resyncMaxEvents;
      expect(await f.threads.eventsSince(tom, { topic: TOPIC, since: 0 })).toEqual({ seq, events: [], reset: true });
      const justEnough = await f.threads.eventsSince(tom, { topic: TOPIC, since: 1 });
      expect(justEnough.reset).toBe(false);
      expect(justEnough.events).toHaveLength(LIMITS.resyncMaxEvents);
    }, 60_000);
  });
});
