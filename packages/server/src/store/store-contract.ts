/**
 * The behaviour every Store must have. Each implementation runs this suite
 * against a real database: `describeStoreContract('sqlite', makeSqliteStore)`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUESTION_TABS, type QuestionTab, type Sort } from '@kindred/protocol';
import {
  QUESTION_TOPIC_PREFIX,
  type ExpertProfile,
  type HoldRecord,
  type NewAnswer,
  type NewAuditEntry,
  type NewPost,
  type NewQuestion,
  type PagePosition,
  type PostRecord,
  type QuestionRecord,
  type Store,
  type UserRecord,
} from './store.js';

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

    const hold = (fields: Partial<HoldRecord> = {}): HoldRecord => ({ queue: 'held', reasons: ['new-member'], findings: [], urgency: 10, at: at(1), ...fields });
    const audit = (fields: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
      siteId: SITE,
      at: at(5),
      actor: { id: tom.id, name: 'Tom' },
      action: 'approve',
      target: { kind: 'post', id: 'p' },
      reason: null,
      before: null,
      after: null,
      ...fields,
    });

    describe('moderation', () => {
      const page = (viewerId: string | null) => store.readThreadPage({ siteId: SITE, viewerId, topic: TOPIC, sort: 'oldest', after: null, limit: 10 });

      it('stores a held post without an event, shows it to its author only, and publishes it on approval with the next seq', async () => {
        await store.createPost(newPost({ body: 'first' }));
        const held = await store.createPost(newPost({ body: 'waiting' }), hold({ findings: ['new guest'] }));
        expect(held.event).toBeNull();
        expect(held.post).toMatchObject({ status: 'held', body: 'waiting', moderationReason: null });
        expect(await store.topicSeq(SITE, TOPIC)).toBe(1);
        expect((await page(tom.id)).roots.map((post) => post.body)).toEqual(['first']);
        expect((await page(null)).roots.map((post) => post.body)).toEqual(['first']);
        expect((await page(maria.id)).roots.map((post) => post.body)).toEqual(['first', 'waiting']);
        expect(await store.authorHistory(maria.id)).toEqual({ approvedPosts: 1, heldPosts: 1 });
        const queue = await store.moderationQueue({ siteId: SITE, queue: 'held', order: 'oldest', after: null, limit: 10 });
        expect(queue.items).toMatchObject([{ postId: held.post.id, queue: 'held', reasons: ['new-member'], findings: ['new guest'], resolvedAt: null }]);
        expect(queue.counts).toEqual({ held: 1, reported: 0, crisis: 0 });

        const approved = await store.approvePost({ postId: held.post.id, at: at(5) }, audit({ target: { kind: 'post', id: held.post.id } }));
        expect(approved?.event).toMatchObject({ type: 'post.created', seq: 2, post: { body: 'waiting', status: 'published' } });
        expect(approved?.item?.resolvedAt).toBe(at(5));
        expect((await page(tom.id)).roots.map((post) => post.body)).toEqual(['first', 'waiting']);
        expect(await store.authorHistory(maria.id)).toEqual({ approvedPosts: 2, heldPosts: 0 });
        expect((await store.moderationQueue({ siteId: SITE, queue: 'held', order: 'oldest', after: null, limit: 10 })).counts.held).toBe(0);
        const { entries } = await store.auditLog({ siteId: SITE, limit: 10 });
        expect(entries).toMatchObject([{ action: 'approve', actor: { id: tom.id, name: 'Tom' }, target: { kind: 'post', id: held.post.id } }]);
      });

      it('counts a held reply on its parent only once it is published', async () => {
        const { post: root } = await store.createPost(newPost());
        const { post: held } = await store.createPost(reply(root, { authorId: tom.id }), hold());
        expect((await store.findPost(root.id))?.replyCount).toBe(0);
        await store.approvePost({ postId: held.id, at: at(5) }, audit());
        expect((await store.findPost(root.id))?.replyCount).toBe(1);
        await store.takeDownPost({ postId: held.id, status: 'removed', reason: 'off topic', at: at(6) }, audit({ action: 'remove' }));
        expect((await store.findPost(root.id))?.replyCount).toBe(0);
      });

      it('takes a published post from view: a tombstone event, no text left in the event log, status and reason for the author', async () => {
        const { post } = await store.createPost(newPost({ body: 'wrong dosage advice' }));
        const change = await store.takeDownPost(
          { postId: post.id, status: 'removed', reason: 'Medical misinformation', at: at(5) },
          audit({ action: 'remove', target: { kind: 'post', id: post.id }, before: { status: 'published' }, after: { status: 'removed' } }),
        );
        expect(change?.event).toMatchObject({ type: 'post.deleted', seq: 2, post: { body: '' } });
        expect(change?.post).toMatchObject({ status: 'removed', moderationReason: 'Medical misinformation', body: 'wrong dosage advice' });
        for (const event of (await store.eventsSince(SITE, TOPIC, 0, 10)).events) expect(event.post.body).toBe('');
        expect((await page(tom.id)).roots).toEqual([]);
        expect((await page(maria.id)).roots).toMatchObject([{ status: 'removed', moderationReason: 'Medical misinformation' }]);
        expect(await store.editPost({ postId: post.id, body: 'try again', editedAt: at(6) })).toBeNull();
        // A held post taken down was never seen: no event.
        const { post: held } = await store.createPost(newPost(), hold());
        const rejected = await store.takeDownPost({ postId: held.id, status: 'rejected', reason: 'Spam', at: at(7) }, audit({ action: 'reject' }));
        expect(rejected?.event).toBeNull();
        expect(await store.topicSeq(SITE, TOPIC)).toBe(2);
      });

      it('holds a published post an edit trips: viewers get a tombstone, the author keeps the new text', async () => {
        const { post } = await store.createPost(newPost({ body: 'fine' }));
        const change = await store.editPost({ postId: post.id, body: 'call 555-201-3344', editedAt: at(2), hold: hold({ reasons: ['identifier'] }) });
        expect(change?.event).toMatchObject({ type: 'post.deleted', post: { body: '' } });
        expect(change?.post).toMatchObject({ status: 'held', body: 'call 555-201-3344' });
        for (const event of (await store.eventsSince(SITE, TOPIC, 0, 10)).events) expect(event.post.body).toBe('');
        // Editing it again while held writes no event.
        expect((await store.editPost({ postId: post.id, body: 'call me', editedAt: at(3) }))?.event).toBeNull();
      });

      it('takes one report per person, queues the post at the first, and hides it at the threshold', async () => {
        const { post } = await store.createPost(newPost());
        const amy = await store.createUser({ siteId: SITE, kind: 'guest', externalId: null, displayName: 'Amy', createdAt: at(0) });
        const report = (reporterId: string) => store.reportPost({ postId: post.id, reporterId, reason: 'spam', note: null, at: at(3), threshold: 2 });
        expect(await report(tom.id)).toMatchObject({ added: true, reports: 1, hidden: false, change: { event: null, item: { queue: 'reported' } } });
        expect(await report(tom.id)).toMatchObject({ added: false, reports: 1, hidden: false });
        const second = await report(amy.id);
        expect(second).toMatchObject({ added: true, reports: 2, hidden: true, change: { event: { type: 'post.deleted', post: { body: '' } } } });
        expect((await page(tom.id)).roots).toEqual([]);
        expect((await store.openReports(post.id)).map((open) => open.reporterId).sort()).toEqual([tom.id, amy.id].sort());
        const queue = await store.moderationQueue({ siteId: SITE, queue: 'reported', order: 'urgent', after: null, limit: 10 });
        expect(queue.counts.reported).toBe(1);
        await store.approvePost({ postId: post.id, at: at(6) }, audit());
        // A decision settles the reports: a new report starts the count again.
        expect(await store.openReports(post.id)).toEqual([]);
        expect((await page(tom.id)).roots.map((root) => root.id)).toEqual([post.id]);
      });

      it('orders a queue by urgency or by age, page by page', async () => {
        const posts: PostRecord[] = [];
        for (const urgency of [10, 100, 15, 100]) posts.push((await store.createPost(newPost(), hold({ urgency, queue: 'held' }))).post);
        const read = async (order: 'oldest' | 'urgent') => {
          const ids: string[] = [];
          let after: { n: number; urgency: number } | null = null;
          for (;;) {
            const result = await store.moderationQueue({ siteId: SITE, queue: 'held', order, after, limit: 3 });
            ids.push(...result.items.map((item) => item.postId));
            const last = result.items[result.items.length - 1];
            if (!result.hasMore || !last) return ids;
            after = { n: last.n, urgency: last.urgency };
          }
        };
        expect(await read('oldest')).toEqual(posts.map((post) => post.id));
        expect(await read('urgent')).toEqual([posts[1]!.id, posts[3]!.id, posts[2]!.id, posts[0]!.id]);
      });

      it('keeps the original of a moderator edit in the audit log, until the author deletes the post', async () => {
        const { post } = await store.createPost(newPost({ body: 'see drjones.example for pills' }));
        const edited = await store.moderatorEditPost(
          { postId: post.id, body: 'see your doctor', at: at(4) },
          audit({ action: 'edit', reason: 'link removed', target: { kind: 'post', id: post.id }, before: { body: post.body }, after: { body: 'see your doctor' } }),
        );
        expect(edited?.event).toMatchObject({ type: 'post.edited', post: { body: 'see your doctor', editedAt: at(4) } });
        expect((await store.auditLog({ siteId: SITE, limit: 5 })).entries[0]).toMatchObject({ before: { body: 'see drjones.example for pills' }, reason: 'link removed' });
        await store.deletePost({ postId: post.id, deletedAt: at(8) });
        expect((await store.auditLog({ siteId: SITE, limit: 5 })).entries[0]).toMatchObject({ action: 'edit', before: { body: '' }, after: { body: '' }, reason: 'link removed' });
      });

      it('sets and clears a member standing, with its audit entry', async () => {
        expect(await store.standingOf(maria.id)).toBeNull();
        await store.setStanding({ userId: maria.id, standing: 'suspended', until: at(30), reason: 'spam', at: at(1) }, audit({ action: 'suspend', target: { kind: 'member', id: maria.id } }));
        expect(await store.standingOf(maria.id)).toEqual({ userId: maria.id, standing: 'suspended', until: at(30), reason: 'spam', at: at(1) });
        await store.setStanding({ userId: maria.id, standing: 'active', until: null, reason: 'appeal', at: at(2) }, audit({ action: 'reinstate', target: { kind: 'member', id: maria.id } }));
        expect(await store.standingOf(maria.id)).toBeNull();
        expect((await store.auditLog({ siteId: SITE, limit: 5 })).entries.map((entry) => entry.action)).toEqual(['reinstate', 'suspend']);
      });

      it('saves moderation settings with their audit entry, and filters and pages the log', async () => {
        const saved = await store.saveModerationSettings(SITE, { bannedWords: ['casino'], reportThreshold: 2 }, audit({ action: 'settings', at: at(1), target: { kind: 'site', id: SITE } }));
        expect(saved?.moderation).toEqual({ bannedWords: ['casino'], reportThreshold: 2 });
        expect((await store.findSite(SITE))?.moderation).toEqual({ bannedWords: ['casino'], reportThreshold: 2 });
        expect(await store.saveModerationSettings('nowhere', {}, audit())).toBeNull();
        for (let minute = 2; minute < 7; minute++) await store.setStanding({ userId: maria.id, standing: 'banned', until: null, reason: 'x', at: at(minute) }, audit({ action: 'ban', at: at(minute), actor: { id: maria.id, name: 'Maria' } }));
        const bans = await store.auditLog({ siteId: SITE, action: 'ban', since: at(3), until: at(5), limit: 10 });
        expect(bans.entries.map((entry) => entry.at)).toEqual([at(5), at(4), at(3)]);
        expect((await store.auditLog({ siteId: SITE, actorId: tom.id, limit: 10 })).entries.map((entry) => entry.action)).toEqual(['settings']);
        const first = await store.auditLog({ siteId: SITE, limit: 4 });
        expect(first.hasMore).toBe(true);
        const rest = await store.auditLog({ siteId: SITE, before: first.entries[3]!.n, limit: 4 });
        expect(rest).toMatchObject({ hasMore: false, entries: [{ action: 'ban' }, { action: 'settings' }] });
        expect((await store.auditLog({ siteId: 'elsewhere', limit: 10 })).entries).toEqual([]);
      });
    });

    describe('questions', () => {
      const QA_TOPIC = `${QUESTION_TOPIC_PREFIX}${TOPIC}`;
      const BADGE = { credential: 'MD, Orthopaedic Surgery' };
      let drLee: UserRecord;

      beforeEach(async () => {
        drLee = await store.createUser({ siteId: SITE, kind: 'member', externalId: 'ehr-900', displayName: 'Dr Lee', createdAt: at(0) });
      });

      const newQuestion = (fields: Partial<NewQuestion> = {}): NewQuestion => ({
        siteId: SITE,
        topic: TOPIC,
        clientId: `question-${++clientIds}`,
        authorId: maria.id,
        body: `Question ${clientIds} about my new knee\n\nSome details`,
        visibility: 'public',
        notify: null,
        createdAt: at(1),
        ...fields,
      });
      const ask = async (fields: Partial<NewQuestion> = {}, held?: HoldRecord) => (await store.createQuestion(newQuestion(fields), held)).question;
      const answerTo = (question: QuestionRecord, fields: Partial<NewAnswer> = {}): NewAnswer => ({
        questionId: question.post.id,
        clientId: `answer-${++clientIds}`,
        authorId: drLee.id,
        body: 'This usually settles within a few weeks.',
        expert: BADGE,
        createdAt: at(2),
        ...fields,
      });
      const answer = async (question: QuestionRecord, fields: Partial<NewAnswer> = {}, held?: HoldRecord) => {
        const added = await store.addAnswer(answerTo(question, fields), held);
        if (!added) throw new Error('the answer was refused');
        return added;
      };
      /** The asker's own reply: a follow-up, never an answer. */
      const followUp = (question: QuestionRecord, fields: Partial<NewAnswer> = {}) =>
        answer(question, { authorId: question.post.author.id, expert: null, body: 'Thanks. Should I keep icing it?', ...fields });
      /** A public question with one published expert answer. */
      const answered = async (body: string, fields: Partial<NewQuestion> = {}) => {
        const question = await ask({ body, ...fields });
        return (await answer(question)).question;
      };
      const id = (question: QuestionRecord) => question.post.id;
      const list = (tab: QuestionTab, viewer: UserRecord | null, viewerIsExpert = false, after: number | null = null, limit = 50) =>
        store.listQuestions({ siteId: SITE, topic: TOPIC, tab, viewerId: viewer?.id ?? null, viewerIsExpert, after, limit });
      const listed = async (tab: QuestionTab, viewer: UserRecord | null, viewerIsExpert = false) => (await list(tab, viewer, viewerIsExpert)).questions.map(id);
      const similar = async (terms: string[], query: { limit?: number; siteId?: string } = {}) =>
        (await store.similarQuestions({ siteId: query.siteId ?? SITE, topic: TOPIC, terms, limit: query.limit ?? 10 })).map(id);
      const elsewhereUser = () => store.createUser({ siteId: 'elsewhere', kind: 'guest', externalId: null, displayName: 'Zed', createdAt: at(0) });

      it('asks a question once per author and clientId, as a post under qa:<topic> that thread reads never see', async () => {
        const input = newQuestion({ clientId: 'ask-once', body: 'Is swelling normal after a knee replacement?\n\nIt has been two weeks.' });
        const first = await store.createQuestion(input);
        expect(first.change.event).toMatchObject({ type: 'post.created', topic: QA_TOPIC, seq: 1 });
        expect(first.question).toMatchObject({
          topic: TOPIC,
          visibility: 'public',
          notifying: false,
          answeredAt: null,
          answers: [],
          post: { topic: QA_TOPIC, body: input.body, parentId: null, rootId: null, status: 'published', author: { id: maria.id, name: 'Maria' } },
        });
        const retry = await store.createQuestion({ ...input, body: 'Something else entirely\n\non retry', visibility: 'private' });
        expect(retry.change.event).toBeNull();
        expect(retry.question).toEqual(first.question);
        expect(await store.topicSeq(SITE, QA_TOPIC)).toBe(1);
        expect(await store.findQuestion(first.question.post.id)).toEqual(first.question);
        const toms = await store.createQuestion({ ...input, authorId: tom.id });
        expect(toms.question.post.id).not.toBe(first.question.post.id);

        // Questions sit beside the topic's thread, never in it.
        const thread = await store.readThreadPage({ siteId: SITE, viewerId: maria.id, topic: TOPIC, sort: 'newest', after: null, limit: 10 });
        expect(thread.roots).toEqual([]);
        expect(await store.topicSeq(SITE, TOPIC)).toBe(0);
        const { post } = await store.createPost(newPost());
        expect(await store.findQuestion(post.id)).toBeNull();
        expect(await store.findQuestion('missing')).toBeNull();
      });

      it('stores a held question with its queue item and no event, for its asker only until it is approved', async () => {
        const held = await store.createQuestion(newQuestion({ body: 'Can I take ibuprofen with warfarin?' }), hold({ findings: ['new guest'] }));
        const questionId = held.question.post.id;
        expect(held.change.event).toBeNull();
        expect(held.question.post.status).toBe('held');
        expect(await store.topicSeq(SITE, QA_TOPIC)).toBe(0);
        const queue = await store.moderationQueue({ siteId: SITE, queue: 'held', order: 'oldest', after: null, limit: 10 });
        expect(queue.items).toMatchObject([{ postId: questionId, queue: 'held', reasons: ['new-member'], findings: ['new guest'], resolvedAt: null }]);
        expect(await listed('mine', maria)).toEqual([questionId]);
        expect(await listed('unanswered', maria)).toEqual([]);
        expect(await listed('unanswered', tom)).toEqual([]);
        expect(await listed('inbox', drLee, true)).toEqual([]);
        expect(await store.addAnswer(answerTo(held.question))).toBeNull();

        const approved = await store.approvePost({ postId: questionId, at: at(5) }, audit({ target: { kind: 'post', id: questionId } }));
        expect(approved?.event).toMatchObject({ type: 'post.created', topic: QA_TOPIC, seq: 1, post: { id: questionId, status: 'published' } });
        expect(await listed('unanswered', tom)).toEqual([questionId]);
        expect(await listed('inbox', drLee, true)).toEqual([questionId]);
      });

      it('adds a reply only to a live, published question, once per author and clientId', async () => {
        const question = await ask();
        const added = await answer(question, { clientId: 'answer-once' });
        const answerId = added.change.post.id;
        expect(added.change.event).toMatchObject({ type: 'post.created', topic: QA_TOPIC, post: { id: answerId } });
        expect(added.question.answers).toMatchObject([
          { post: { id: answerId, parentId: id(question), rootId: id(question), depth: 1, topic: QA_TOPIC, author: { id: drLee.id } }, expert: BADGE, helpedAsker: false },
        ]);
        expect(added.question.post.replyCount).toBe(1);
        const retry = await store.addAnswer(answerTo(question, { clientId: 'answer-once', body: 'a different text on retry' }));
        expect(retry?.change).toEqual({ post: added.change.post, event: null });
        expect(retry?.question.answers).toHaveLength(1);
        // A reply's id finds the question it belongs to.
        expect(await store.findQuestion(answerId)).toEqual(added.question);

        expect(await store.addAnswer({ ...answerTo(question), questionId: 'missing' })).toBeNull();
        expect(await store.addAnswer({ ...answerTo(question), questionId: answerId })).toBeNull();
        const deleted = await ask();
        await store.deletePost({ postId: id(deleted), deletedAt: at(3) });
        const removed = await ask();
        await store.takeDownPost({ postId: id(removed), status: 'removed', reason: 'Off topic', at: at(3) }, audit({ action: 'remove' }));
        const held = await ask({}, hold());
        for (const refused of [deleted, removed, held]) {
          expect(await store.addAnswer(answerTo(refused))).toBeNull();
          expect((await store.findQuestion(id(refused)))?.answers).toEqual([]);
        }
      });

      it('is answered from the first published, live expert answer, and unanswered again when none is left', async () => {
        const question = await ask({ createdAt: at(1) });
        const asked = await followUp(question, { createdAt: at(2) });
        expect(asked.question).toMatchObject({ answeredAt: null, answers: [{ expert: null }] });

        const heldAnswer = await answer(question, { createdAt: at(3) }, hold({ reasons: ['disclosure'] }));
        expect(heldAnswer.change).toMatchObject({ event: null, post: { status: 'held' } });
        expect(heldAnswer.question.answeredAt).toBeNull();
        expect(await listed('unanswered', tom)).toEqual([id(question)]);
        await store.approvePost({ postId: heldAnswer.change.post.id, at: at(6) }, audit());
        // The time it was written, not approved: the asker waited from asking to writing.
        expect((await store.findQuestion(id(question)))?.answeredAt).toBe(at(3));
        expect(await listed('answered', tom)).toEqual([id(question)]);
        expect(await listed('unanswered', tom)).toEqual([]);

        const second = await answer(question, { createdAt: at(7) });
        expect(second.question.answeredAt).toBe(at(3));
        await store.deletePost({ postId: heldAnswer.change.post.id, deletedAt: at(8) });
        expect((await store.findQuestion(id(question)))?.answeredAt).toBe(at(7));
        await store.deletePost({ postId: second.change.post.id, deletedAt: at(9) });
        expect((await store.findQuestion(id(question)))?.answeredAt).toBeNull();
        expect(await listed('answered', tom)).toEqual([]);
        expect(await listed('unanswered', tom)).toEqual([id(question)]);

        const third = await answer(question, { createdAt: at(10) });
        expect(third.question.answeredAt).toBe(at(10));
        await store.takeDownPost({ postId: third.change.post.id, status: 'removed', reason: 'Wrong', at: at(11) }, audit({ action: 'remove' }));
        expect((await store.findQuestion(id(question)))?.answeredAt).toBeNull();
      });

      it('lists each tab as its viewer may see it: private ones for the asker and experts, held ones only in mine, deleted ones never', async () => {
        const mariaAnswered = await ask();
        const tomOpen = await ask({ authorId: tom.id });
        const mariaPrivate = await ask({ visibility: 'private' });
        const tomPrivateAnswered = await ask({ authorId: tom.id, visibility: 'private' });
        const mariaHeld = await ask({}, hold());
        const tomDeleted = await ask({ authorId: tom.id });
        const mariaDeletedPrivate = await ask({ visibility: 'private' });
        await answer(mariaAnswered);
        await answer(tomPrivateAnswered);
        await store.deletePost({ postId: id(tomDeleted), deletedAt: at(3) });
        await store.deletePost({ postId: id(mariaDeletedPrivate), deletedAt: at(3) });
        await ask({ topic: 'hip-replacement' });
        await store.createQuestion(newQuestion({ siteId: 'elsewhere', authorId: (await elsewhereUser()).id }));

        expect(await listed('answered', null)).toEqual([id(mariaAnswered)]);
        expect(await listed('unanswered', null)).toEqual([id(tomOpen)]);
        expect(await listed('mine', null)).toEqual([]);
        expect(await listed('answered', tom)).toEqual([id(tomPrivateAnswered), id(mariaAnswered)]);
        expect(await listed('unanswered', tom)).toEqual([id(tomOpen)]);
        expect(await listed('mine', tom)).toEqual([id(tomPrivateAnswered), id(tomOpen)]);
        expect(await listed('answered', maria)).toEqual([id(mariaAnswered)]);
        expect(await listed('unanswered', maria)).toEqual([id(mariaPrivate), id(tomOpen)]);
        expect(await listed('mine', maria)).toEqual([id(mariaHeld), id(mariaPrivate), id(mariaAnswered)]);
        expect(await listed('answered', drLee, true)).toEqual([id(tomPrivateAnswered), id(mariaAnswered)]);
        expect(await listed('unanswered', drLee, true)).toEqual([id(mariaPrivate), id(tomOpen)]);
        // The inbox runs oldest first, and only for the topic's experts.
        expect(await listed('inbox', drLee, true)).toEqual([id(tomOpen), id(mariaPrivate)]);
        expect(await listed('inbox', drLee, false)).toEqual([]);
        expect(await listed('inbox', maria)).toEqual([]);
      });

      it('pages every tab by keyset, covering each question exactly once', async () => {
        const asked: QuestionRecord[] = [];
        for (let i = 0; i < 8; i++) asked.push(await ask({ createdAt: at(i + 1) }));
        for (const [index, question] of asked.entries()) if (index % 2 === 0) await answer(question, { createdAt: at(20 + index) });
        const even = asked.filter((_, index) => index % 2 === 0);
        const odd = asked.filter((_, index) => index % 2 === 1);
        const expected: Record<QuestionTab, string[]> = {
          answered: [...even].reverse().map(id),
          unanswered: [...odd].reverse().map(id),
          mine: [...asked].reverse().map(id),
          inbox: odd.map(id),
        };
        for (const tab of QUESTION_TABS) {
          const seen: string[] = [];
          let after: number | null = null;
          let pages = 0;
          for (;;) {
            const page = await list(tab, maria, true, after, 3);
            pages++;
            seen.push(...page.questions.map(id));
            const last = page.questions[page.questions.length - 1];
            if (!page.hasMore || !last) break;
            after = last.post.n;
            expect(pages).toBeLessThan(10);
          }
          expect(seen, tab).toEqual(expected[tab]);
          expect(pages, tab).toBe(Math.ceil(expected[tab].length / 3));
        }
        // A page that ends on the last question says so.
        expect(await list('answered', maria, true, null, 4)).toMatchObject({ hasMore: false, questions: { length: 4 } });
      });

      it('finds answered public questions of the topic by stemmed words, best match first', async () => {
        const kneeSwelled = await answered('My knee swelled up after surgery');
        const ankleSwelled = await answered('Ankle swelled after the long flight home');
        const swollen = await answered('Is a swollen leg after surgery normal?');
        await answered('My knee swelled on another topic', { topic: 'hip-replacement' });
        await store.createQuestion(newQuestion({ siteId: 'elsewhere', authorId: (await elsewhereUser()).id, body: 'My knee swelled up' }));

        expect(await similar(['knee', 'swelling'])).toEqual([id(kneeSwelled), id(ankleSwelled)]);
        expect(await similar(['knee', 'swelling'], { limit: 1 })).toEqual([id(kneeSwelled)]);
        // Porter stemming joins "swelling" and "swelled", but not the irregular "swollen".
        expect(await similar(['swollen'])).toEqual([id(swollen)]);
        expect(await similar(['swelling'])).not.toContain(id(swollen));
        // Only the question's own text is searched, never its answers ("settles" is in every answer).
        expect(await similar(['settles'])).toEqual([]);
        expect(await similar([])).toEqual([]);
        expect(await similar(['knee'], { siteId: 'elsewhere' })).toEqual([]);
        // Terms are words, never query syntax.
        expect(await similar(['ankle"', 'OR', 'NEAR(knee', 'body:flight', '*'])).toEqual([id(ankleSwelled)]);
      });

      it('never offers private, unanswered, held or deleted questions', async () => {
        const offered = await answered('Stiffness in the morning after knee surgery');
        await answered('Stiffness when I wake up', { visibility: 'private' });
        await ask({ body: 'Stiffness that will not go away' });
        const followedUp = await ask({ body: 'Stiffness after a long drive' });
        await followUp(followedUp);
        const heldAnswer = await ask({ body: 'Stiffness and clicking in the joint' });
        await answer(heldAnswer, {}, hold({ reasons: ['disclosure'] }));
        const hidden = await answered('Stiffness on the stairs');
        await store.reportPost({ postId: id(hidden), reporterId: tom.id, reason: 'spam', note: null, at: at(3), threshold: 1 });
        const deleted = await answered('Stiffness after physio sessions');
        await store.deletePost({ postId: id(deleted), deletedAt: at(4) });
        expect(await similar(['stiffness'])).toEqual([id(offered)]);
      });

      it('follows moderator edits and deletions of the question text', async () => {
        const question = await answered('Bruising around the knee after surgery');
        expect(await similar(['bruising'])).toEqual([id(question)]);
        const edit = (postId: string, body: string) =>
          store.moderatorEditPost({ postId, body, at: at(4) }, audit({ action: 'edit', target: { kind: 'post', id: postId } }));
        await edit(id(question), 'Numbness around the knee after surgery');
        expect(await similar(['bruising'])).toEqual([]);
        expect(await similar(['numbness'])).toEqual([id(question)]);
        // Editing an answer leaves the question's text as it was.
        await edit(question.answers[0]!.post.id, 'Bruising fades in two weeks.');
        expect(await similar(['bruising'])).toEqual([]);
        expect(await similar(['numbness'])).toEqual([id(question)]);
        await store.deletePost({ postId: id(question), deletedAt: at(5) });
        expect(await similar(['numbness', 'knee', 'surgery'])).toEqual([]);
      });

      it('gives the time to the first expert answer of the questions first answered since a moment', async () => {
        const early = await ask({ createdAt: at(1) });
        await answer(early, { createdAt: at(3) });
        await answer(early, { createdAt: at(20) });
        const slow = await ask({ createdAt: at(2) });
        await followUp(slow, { createdAt: at(5) });
        await answer(slow, { createdAt: at(12) });
        await answer(slow, { createdAt: at(14) });
        const quick = await ask({ createdAt: at(4), visibility: 'private' });
        await answer(quick, { createdAt: at(7) });
        await ask({ createdAt: at(5) });
        const otherTopic = await ask({ topic: 'hip-replacement', createdAt: at(4) });
        await answer(otherTopic, { createdAt: at(8) });

        const delays = await store.responseDelays({ siteId: SITE, topic: TOPIC, since: at(4) });
        expect([...delays].sort((a, b) => a - b)).toEqual([3 * 60_000, 10 * 60_000]);
        expect(await store.responseDelays({ siteId: SITE, topic: TOPIC, since: at(30) })).toEqual([]);
      });

      it("marks and unmarks the asker's \"This helped\" on one answer", async () => {
        const question = await ask();
        const first = await answer(question);
        await answer(question, { body: 'Another view on it.' });
        const helped = (record: QuestionRecord | null) => record?.answers.map((reply) => reply.helpedAsker);
        expect(helped(await store.setAskerHelped({ answerId: first.change.post.id, on: true }))).toEqual([true, false]);
        expect(helped(await store.findQuestion(id(question)))).toEqual([true, false]);
        expect(helped(await store.setAskerHelped({ answerId: first.change.post.id, on: false }))).toEqual([false, false]);
        expect(await store.setAskerHelped({ answerId: 'missing', on: true })).toBeNull();
        expect(await store.setAskerHelped({ answerId: id(question), on: true })).toBeNull();
      });

      it('hands over the answer-email address once, then forgets it', async () => {
        const question = await ask({ notify: { email: 'maria@example.org', page: 'https://riverside.example/knee' } });
        expect(question.notifying).toBe(true);
        expect(await store.takeAnswerNotification(id(question))).toEqual({ email: 'maria@example.org', page: 'https://riverside.example/knee' });
        expect(await store.takeAnswerNotification(id(question))).toBeNull();
        expect((await store.findQuestion(id(question)))?.notifying).toBe(false);
        const withoutPage = await ask({ notify: { email: 'tom@example.org', page: null } });
        expect(await store.takeAnswerNotification(id(withoutPage))).toEqual({ email: 'tom@example.org', page: null });
        const silent = await ask();
        expect(silent.notifying).toBe(false);
        expect(await store.takeAnswerNotification(id(silent))).toBeNull();
        expect(await store.takeAnswerNotification('missing')).toBeNull();
      });

      it('counts per topic the published, live, unanswered questions asked before a moment, oldest first', async () => {
        await ask({ createdAt: at(3) });
        await ask({ createdAt: at(8), visibility: 'private' });
        await followUp(await ask({ createdAt: at(9) }), { createdAt: at(10) });
        await answer(await ask({ createdAt: at(1) }), { createdAt: at(2) });
        // A held expert answer does not answer it yet.
        await answer(await ask({ createdAt: at(4) }), { createdAt: at(5) }, hold());
        await ask({ createdAt: at(1) }, hold());
        await store.deletePost({ postId: id(await ask({ createdAt: at(1) })), deletedAt: at(2) });
        await ask({ createdAt: at(40) });
        await ask({ topic: 'wound-care', createdAt: at(2) });
        await store.createQuestion(newQuestion({ siteId: 'elsewhere', authorId: (await elsewhereUser()).id, createdAt: at(1) }));

        expect(await store.waitingQuestions({ siteId: SITE, before: at(30) })).toEqual([
          { topic: 'wound-care', count: 1, oldestAt: at(2) },
          { topic: TOPIC, count: 4, oldestAt: at(3) },
        ]);
        expect(await store.waitingQuestions({ siteId: SITE, before: at(1) })).toEqual([]);
      });

      it('saves one expert profile per site, user and topic, and lists and removes them', async () => {
        const profile = (fields: Partial<ExpertProfile> = {}): ExpertProfile => ({
          siteId: SITE,
          externalId: 'ehr-900',
          topic: TOPIC,
          credential: 'MD, Orthopaedic Surgery',
          npi: '1234567893',
          email: 'lee@riverside.example',
          createdAt: at(1),
          ...fields,
        });
        await store.saveExpert(profile());
        await store.saveExpert(profile({ topic: 'hip-replacement', npi: null, email: null }));
        await store.saveExpert(profile({ externalId: 'ehr-100', credential: 'RN, Wound care' }));
        await store.saveExpert(profile({ siteId: 'elsewhere' }));
        expect(await store.listExperts(SITE)).toEqual([
          profile({ topic: 'hip-replacement', npi: null, email: null }),
          profile({ externalId: 'ehr-100', credential: 'RN, Wound care' }),
          profile(),
        ]);

        await store.saveExpert(profile({ credential: 'MD, FRCS (Orth)', npi: null, email: 'dr.lee@riverside.example', createdAt: at(9) }));
        const knee = await store.listExperts(SITE, TOPIC);
        expect(knee.map((expert) => expert.externalId)).toEqual(['ehr-100', 'ehr-900']);
        expect(knee[1]).toMatchObject({ credential: 'MD, FRCS (Orth)', npi: null, email: 'dr.lee@riverside.example' });

        expect(await store.removeExpert(SITE, 'ehr-900', TOPIC)).toBe(true);
        expect(await store.removeExpert(SITE, 'ehr-900', TOPIC)).toBe(false);
        expect((await store.listExperts(SITE)).map((expert) => [expert.topic, expert.externalId])).toEqual([
          ['hip-replacement', 'ehr-900'],
          [TOPIC, 'ehr-100'],
        ]);
        expect(await store.listExperts('elsewhere')).toEqual([profile({ siteId: 'elsewhere' })]);
        expect(await store.listExperts(SITE, 'wound-care')).toEqual([]);
      });
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
