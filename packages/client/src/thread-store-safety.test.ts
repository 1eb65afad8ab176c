import { describe, expect, it } from 'vitest';
import type { ClientEvents, PostView, TopicEvent } from '@kindred/protocol';
import type { Connection } from './connection.js';
import { KindredError } from './errors.js';
import { useRealServer } from './testing/real-server.js';

/**
 * What the store does with the safety pipeline's answers: notices and held
 * status on acknowledgements, final refusals, reports, and a moderator's
 * removal as its author sees it. Posts go through the real server; where the
 * pipeline's own decision is needed, the acknowledgement is rewritten as the
 * server would send it (its decisions are tested in the server suite).
 */
const { visitor, thread, newTopic } = useRealServer('safety');

/** Answers `name` with `fake` (given the server's own answer) instead of the server's answer. */
function rewrite<K extends keyof ClientEvents>(
  connection: Connection,
  name: K,
  fake: (req: ClientEvents[K]['req'], real: () => Promise<ClientEvents[K]['res']>) => Promise<ClientEvents[K]['res']>,
): { req: unknown }[] {
  const seen: { req: unknown }[] = [];
  const request = connection.request.bind(connection);
  connection.request = ((n: keyof ClientEvents, req: never, options) => {
    if (n !== name) return request(n, req, options);
    seen.push({ req });
    return fake(req, () => request(n, req, options) as never);
  }) as Connection['request'];
  return seen;
}

/** Delivers a topic event on `connection` as the server would. */
function deliver(connection: Connection, event: TopicEvent): void {
  for (const listener of connection.socket.listeners('topic:event')) listener(event);
}

describe('ThreadStore and the safety pipeline', () => {
  it('keeps the notices of an acknowledgement on the post, and a held notice marks it held until the server says otherwise', async () => {
    const alice = await visitor('Alice');
    const store = await thread(alice, newTopic());
    rewrite(alice, 'post:create', async (_req, real) => ({ ...(await real()), notices: ['held', 'masked'] }));
    const post = await store.post('My first post');
    expect(post).toMatchObject({ status: 'held', notices: ['held', 'masked'] });
    expect(store.posts[0]).toMatchObject({ id: post.id, status: 'held', notices: ['held', 'masked'] });

    // Approved: the server sends the post without a status; the masked notice still describes its text.
    const approved: PostView = { ...post, status: undefined };
    delete approved.status;
    delete (approved as { notices?: unknown }).notices;
    deliver(alice, { topic: post.topic, seq: store.lastSeq + 1, type: 'post.edited', post: approved });
    expect(store.posts[0]!.status).toBeUndefined();
    expect(store.posts[0]!.notices).toEqual(['held', 'masked']);
  });

  it('takes the notices of an edit, replacing the earlier ones', async () => {
    const alice = await visitor('Alice');
    const store = await thread(alice, newTopic());
    const post = await store.post('First words');
    rewrite(alice, 'post:edit', async (_req, real) => ({ ...(await real()), notices: ['masked'] }));
    const edited = await store.edit(post.id, 'Second words');
    expect(edited).toMatchObject({ body: 'Second words', notices: ['masked'] });
    expect(store.find(post.id)!.status).toBeUndefined();
  });

  it.each(['BANNED_WORD', 'SUSPENDED', 'BANNED'] as const)(
    'drops the optimistic post on %s: sending the same text again cannot help',
    async (code) => {
      const alice = await visitor('Alice');
      const store = await thread(alice, newTopic());
      rewrite(alice, 'post:create', () => Promise.reject(new KindredError(code, 'Refused.')));
      await expect(store.post('Some words')).rejects.toMatchObject({ code });
      expect(store.posts).toHaveLength(0);
    },
  );

  it('reports a post through the real server, which answers whether it is now hidden', async () => {
    const topic = newTopic();
    const bob = await visitor('Bob');
    const bobs = await (await thread(bob, topic)).post('Cheap watches, message me');
    const store = await thread(await visitor('Alice'), topic);
    await expect(store.report(bobs.id, 'spam', 'Selling things')).resolves.toEqual({ hidden: false });
    expect(store.hasReported(bobs.id)).toBe(true);
  });

  it('reports a post with its reason and trimmed note, and remembers it was reported', async () => {
    const topic = newTopic();
    const bob = await visitor('Bob');
    const alice = await visitor('Alice');
    const bobs = await (await thread(bob, topic)).post('Buy my miracle cure');
    const store = await thread(alice, topic);
    const sent = rewrite(alice, 'post:report', async () => ({ hidden: true }));
    expect(store.hasReported(bobs.id)).toBe(false);
    await expect(store.report(bobs.id, 'spam', '  selling things  ')).resolves.toEqual({ hidden: true });
    await store.report(bobs.id, 'other', '   ');
    expect(sent.map((s) => s.req)).toEqual([
      { postId: bobs.id, reason: 'spam', note: 'selling things' },
      { postId: bobs.id, reason: 'other' },
    ]);
    expect(store.hasReported(bobs.id)).toBe(true);
  });

  it("keeps the author's own removed post with the moderator's reason; others lose it", async () => {
    const topic = newTopic();
    const alice = await visitor('Alice');
    const bob = await visitor('Bob');
    const mine = await thread(alice, topic);
    const post = await mine.post('Stop your statins, they are poison');
    const theirs = await thread(bob, topic);
    expect(theirs.posts.map((p) => p.id)).toEqual([post.id]);

    const removed: PostView = { ...post, deleted: true, body: '', status: 'removed', moderationReason: 'Unsafe advice' };
    deliver(alice, { topic, seq: mine.lastSeq + 1, type: 'post.deleted', post: removed });
    expect(mine.posts).toHaveLength(1);
    expect(mine.moderated(mine.posts[0]!)).toBe(true);
    expect(mine.posts[0]).toMatchObject({ status: 'removed', moderationReason: 'Unsafe advice' });

    const { status: _status, moderationReason: _reason, ...forOthers } = removed;
    deliver(bob, { topic, seq: theirs.lastSeq + 1, type: 'post.deleted', post: forOthers });
    expect(theirs.posts).toHaveLength(0);
  });
});
