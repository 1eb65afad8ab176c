/**
 * The behaviour every Store must have. Each implementation runs this suite
 * against a real database: `describeStoreContract('sqlite', makeSqliteStore)`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sort } from '@kindred/protocol';
import type { NewPost, PagePosition, PostRecord, Store, UserRecord } from './store.js';

export interface StoreFixture {
  store: Store;
  /** Opens the same database again (after `store.close()`), as a restart would. */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

const SITE = 'riverside';
const TOPIC = 'knee-replacement';
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString();

export function describeStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let maria: UserRecord;
    let tom: UserRecord;
    let clientIds = 0;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
      await store.migrate();
      await store.saveSite({ id: SITE, name: 'Riverside General', origins: ['https://riverside.example'] }, at(0));
      await store.saveSite({ id: 'elsewhere', name: 'Elsewhere', origins: [] }, at(0));
      maria = await store.createUser({ siteId: SITE, kind: 'guest', externalId: null, displayName: 'Maria', createdAt: at(0) });
      tom = await store.createUser({ siteId: SITE, kind: 'guest', externalId: null, displayName: 'Tom', createdAt: at(0) });
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    const newPost = (fields: Partial<NewPost> = {}): NewPost => ({
      siteId: SITE,
      topic: TOPIC,
      clientId: `client-${++clientIds}`,
      authorId: maria.id,
      parentId: null,
      rootId: null,
      depth: 0,
      replyToName: null,
      body: `post ${clientIds}`,
      createdAt: at(1),
      ...fields,
    });

    const reply = (parent: PostRecord, fields: Partial<NewPost> = {}) =>
      newPost({ parentId: parent.id, rootId: parent.rootId ?? parent.id, depth: parent.depth + 1, ...fields });

    it('applies migrations once; running them again changes nothing and keeps data', async () => {
      const { post } = await store.createPost(newPost());
      expect(await store.migrate()).toEqual([]);
      expect(await store.findPost(post.id)).toEqual(post);
      await store.check();
    });

    it('saves sites and updates their origins in place', async () => {
      await store.saveSite({ id: SITE, name: 'Riverside', origins: ['https://a.example', 'https://b.example'] }, at(5));
      const site = await store.findSite(SITE);
      expect(site).toMatchObject({ id: SITE, name: 'Riverside', origins: ['https://a.example', 'https://b.example'], createdAt: at(0) });
      expect(await store.findSite('nowhere')).toBeNull();
    });

    it('generates a secret once and returns the same one afterwards', async () => {
      const first = await store.secret('signing', () => 'first-value');
      const second = await store.secret('signing', () => 'second-value');
      expect(first).toBe('first-value');
      expect(second).toBe('first-value');
    });

    it('keeps users with their kind and external id', async () => {
      const member = await store.createUser({ siteId: SITE, kind: 'member', externalId: 'ehr-42', displayName: 'Dr Lee', createdAt: at(2) });
      expect(await store.findUser(member.id)).toEqual(member);
      expect(await store.findUser(maria.id)).toMatchObject({ kind: 'guest', externalId: null, displayName: 'Maria' });
      expect(await store.findUser('missing')).toBeNull();
    });

    it('bumps the topic sequence by exactly one per change, and writes one event each', async () => {
      expect(await store.topicSeq(SITE, TOPIC)).toBe(0);
      const created = await store.createPost(newPost());
      expect(created.event).toMatchObject({ seq: 1, type: 'post.created', topic: TOPIC });
      const replied = await store.createPost(reply(created.post, { authorId: tom.id }));
      expect(replied.event?.seq).toBe(2);
      const edited = await store.editPost({ postId: created.post.id, body: 'edited', editedAt: at(3) });
      expect(edited?.event).toMatchObject({ seq: 3, type: 'post.edited' });
      const reacted = await store.setReaction({ postId: created.post.id, userId: tom.id, reaction: 'helpful', on: true, at: at(4) });
      expect(reacted?.event).toMatchObject({ seq: 4, type: 'post.reacted' });
      const again = await store.setReaction({ postId: created.post.id, userId: tom.id, reaction: 'helpful', on: true, at: at(4) });
      expect(again?.event).toBeNull();
      const deleted = await store.deletePost({ postId: replied.post.id, deletedAt: at(5) });
      expect(deleted?.event).toMatchObject({ seq: 5, type: 'post.deleted' });
      const deletedAgain = await store.deletePost({ postId: replied.post.id, deletedAt: at(6) });
      expect(deletedAgain?.event).toBeNull();
      expect(await store.topicSeq(SITE, TOPIC)).toBe(5);
      // Sequences are per topic.
      expect(await store.topicSeq(SITE, 'other-topic')).toBe(0);
      const elsewhere = await store.createPost(newPost({ topic: 'other-topic' }));
      expect(elsewhere.event?.seq).toBe(1);
    });

    it('treats a repeated clientId from the same author as the same post', async () => {
      const input = newPost({ clientId: 'retry-me' });
      const first = await store.createPost(input);
      const second = await store.createPost({ ...input, body: 'a different body on retry' });
      expect(second.event).toBeNull();
      expect(second.post).toEqual(first.post);
      expect(await store.topicSeq(SITE, TOPIC)).toBe(1);
      expect(await store.findPostByClientId(SITE, maria.id, 'retry-me')).toEqual(first.post);
      const tomsPost = await store.createPost({ ...input, authorId: tom.id });
      expect(tomsPost.post.id).not.toBe(first.post.id);
    });

    it('counts live direct replies on the parent', async () => {
      const { post: root } = await store.createPost(newPost());
      const { post: first } = await store.createPost(reply(root, { authorId: tom.id }));
      await store.createPost(reply(root, { authorId: tom.id }));
      expect((await store.findPost(root.id))?.replyCount).toBe(2);
      await store.deletePost({ postId: first.id, deletedAt: at(9) });
      expect((await store.findPost(root.id))?.replyCount).toBe(1);
    });

    it('wipes a deleted post everywhere: body, reactions and earlier event snapshots', async () => {
      const { post } = await store.createPost(newPost({ body: 'my MRN is 12345' }));
      await store.setReaction({ postId: post.id, userId: tom.id, reaction: 'thanks', on: true, at: at(2) });
      const deleted = await store.deletePost({ postId: post.id, deletedAt: at(3) });
      expect(deleted?.post).toMatchObject({ body: '', deletedAt: at(3), reactions: { helpful: 0, thanks: 0, metoo: 0 } });
      const { events } = await store.eventsSince(SITE, TOPIC, 0, 100);
      expect(events).toHaveLength(3);
      for (const event of events) expect(event.post.body).toBe('');
      expect(await store.reactionsBy(tom.id, [post.id])).toEqual(new Map());
      expect(await store.editPost({ postId: post.id, body: 'back', editedAt: at(4) })).toBeNull();
      expect(await store.setReaction({ postId: post.id, userId: tom.id, reaction: 'thanks', on: true, at: at(4) })).toBeNull();
    });

    it('replaces the text of earlier snapshots when a post is edited', async () => {
      const { post } = await store.createPost(newPost({ body: 'call me on 555-0100' }));
      await store.editPost({ postId: post.id, body: 'call me here', editedAt: at(2) });
      const { events } = await store.eventsSince(SITE, TOPIC, 0, 100);
      expect(events.map((event) => event.post.body)).toEqual(['call me here', 'call me here']);
      expect(events[1]?.post.editedAt).toBe(at(2));
    });

    it('toggles reactions per user and keeps counts', async () => {
      const { post } = await store.createPost(newPost());
      const amy = await store.createUser({ siteId: SITE, kind: 'guest', externalId: null, displayName: 'Amy', createdAt: at(0) });
      await store.setReaction({ postId: post.id, userId: tom.id, reaction: 'helpful', on: true, at: at(2) });
      await store.setReaction({ postId: post.id, userId: amy.id, reaction: 'helpful', on: true, at: at(2) });
      await store.setReaction({ postId: post.id, userId: tom.id, reaction: 'metoo', on: true, at: at(2) });
      const off = await store.setReaction({ postId: post.id, userId: amy.id, reaction: 'helpful', on: false, at: at(3) });
      expect(off?.post.reactions).toEqual({ helpful: 1, thanks: 0, metoo: 1 });
      const offAgain = await store.setReaction({ postId: post.id, userId: amy.id, reaction: 'helpful', on: false, at: at(3) });
      expect(offAgain?.event).toBeNull();
      expect(offAgain?.post.reactions).toEqual({ helpful: 1, thanks: 0, metoo: 1 });
      expect((await store.reactionsBy(tom.id, [post.id])).get(post.id)).toEqual(['helpful', 'metoo']);
      expect((await store.reactionsBy(amy.id, [post.id])).get(post.id)).toBeUndefined();
    });

    it('returns events after a sequence number, oldest first, up to a limit', async () => {
      for (let i = 0; i < 6; i++) await store.createPost(newPost());
      const since = await store.eventsSince(SITE, TOPIC, 2, 100);
      expect(since.seq).toBe(6);
      expect(since.events.map((event) => event.seq)).toEqual([3, 4, 5, 6]);
      expect(since.events[0]?.post.body).toBe(`post ${clientIds - 3}`);
      const limited = await store.eventsSince(SITE, TOPIC, 0, 2);
      expect(limited.events.map((event) => event.seq)).toEqual([1, 2]);
      expect(limited.seq).toBe(6);
      expect((await store.eventsSince(SITE, TOPIC, 6, 100)).events).toEqual([]);
    });

    it('pages through top-level posts, covering each exactly once, for every sort', async () => {
      const voters = await Promise.all(
        [1, 2, 3].map((i) => store.createUser({ siteId: SITE, kind: 'guest', externalId: null, displayName: `Voter ${i}`, createdAt: at(0) })),
      );
      const roots: PostRecord[] = [];
      for (let i = 0; i < 23; i++) {
        const { post } = await store.createPost(newPost());
        roots.push(post);
        // Ties on purpose: helpful counts 0..3 repeat, so the n tiebreak matters.
        for (const voter of voters.slice(0, i % 4)) {
          await store.setReaction({ postId: post.id, userId: voter.id, reaction: 'helpful', on: true, at: at(2) });
        }
      }
      await store.createPost(reply(roots[4]!, { authorId: tom.id }));
      await store.createPost(newPost({ siteId: 'elsewhere', authorId: (await store.createUser({ siteId: 'elsewhere', kind: 'guest', externalId: null, displayName: 'Zed', createdAt: at(0) })).id }));
      await store.createPost(newPost({ topic: 'other-topic' }));

      const expectedOrder: Record<Sort, string[]> = {
        newest: [...roots].reverse().map((post) => post.id),
        oldest: roots.map((post) => post.id),
        helpful: roots
          .map((post, index) => ({ id: post.id, n: post.n, helpful: index % 4 }))
          .sort((a, b) => b.helpful - a.helpful || b.n - a.n)
          .map((post) => post.id),
      };
      for (const sort of ['newest', 'oldest', 'helpful'] as const) {
        const seen: string[] = [];
        let after: PagePosition | null = null;
        let pages = 0;
        for (;;) {
          const page = await store.readThreadPage({ siteId: SITE, viewerId: null, topic: TOPIC, sort, after, limit: 5 });
          pages++;
          seen.push(...page.roots.map((post) => post.id));
          expect(page.seq).toBe(await store.topicSeq(SITE, TOPIC));
          for (const replyPost of page.replies) expect(page.roots.map((root) => root.id)).toContain(replyPost.rootId);
          const last = page.roots[page.roots.length - 1];
          if (!page.hasMore || !last) break;
          after = { n: last.n, helpful: last.reactions.helpful };
          expect(pages).toBeLessThan(10);
        }
        expect(pages, sort).toBe(5);
        expect(seen, sort).toEqual(expectedOrder[sort]);
      }
    });

    it('lists replies of the page roots oldest first, and hides deleted roots that have no live replies', async () => {
      const { post: lonely } = await store.createPost(newPost());
      const { post: busy } = await store.createPost(newPost());
      const { post: first } = await store.createPost(reply(busy, { authorId: tom.id }));
      const { post: second } = await store.createPost(reply(first));
      await store.deletePost({ postId: lonely.id, deletedAt: at(5) });
      await store.deletePost({ postId: busy.id, deletedAt: at(5) });

      const page = await store.readThreadPage({ siteId: SITE, viewerId: null, topic: TOPIC, sort: 'newest', after: null, limit: 10 });
      expect(page.roots.map((post) => post.id)).toEqual([busy.id]);
      expect(page.roots[0]).toMatchObject({ body: '', deletedAt: at(5) });
      expect(page.replies.map((post) => post.id)).toEqual([first.id, second.id]);
      expect(page.replies[1]).toMatchObject({ parentId: first.id, rootId: busy.id, depth: 2, author: { name: 'Maria', kind: 'guest' } });

      await store.deletePost({ postId: first.id, deletedAt: at(6) });
      await store.deletePost({ postId: second.id, deletedAt: at(6) });
      const empty = await store.readThreadPage({ siteId: SITE, viewerId: null, topic: TOPIC, sort: 'newest', after: null, limit: 10 });
      expect(empty.roots).toEqual([]);
      expect(empty.hasMore).toBe(false);
    });

    it('keeps everything across a reopen of the same database', async () => {
      const { post } = await store.createPost(newPost());
      await store.setReaction({ postId: post.id, userId: tom.id, reaction: 'helpful', on: true, at: at(2) });
      const secret = await store.secret('signing', () => 'kept');
      await store.close();
      store = await fixture.reopen();
      expect(await store.migrate()).toEqual([]);
      expect(await store.findPost(post.id)).toMatchObject({ id: post.id, reactions: { helpful: 1 } });
      expect(await store.topicSeq(SITE, TOPIC)).toBe(2);
      expect(await store.secret('signing', () => 'new')).toBe(secret);
    });
  });
}
