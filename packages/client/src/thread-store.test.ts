import { describe, expect, it } from 'vitest';
import type { TopicEvent } from '@kindred/protocol';
import { KindredError } from './errors.js';
import { ThreadStore } from './thread-store.js';
import { until, useRealServer } from './testing/real-server.js';

const { visitor, thread, newTopic } = useRealServer('topic');

/** Everything a visitor sees, in order: top-level posts, each followed by its replies. */
function snapshot(store: ThreadStore): string[] {
  return store.posts.flatMap((post) => [post, ...store.replies(post.id)]).map((post) =>
    [post.id, post.deleted ? '(deleted)' : post.body, post.editedAt ? 'edited' : '', JSON.stringify(post.reactions)].join(' '),
  );
}

describe('ThreadStore against a real server', () => {
  it('shows a post at once as sending, then reconciles it with the server copy by clientId', async () => {
    const alice = await visitor('Alice');
    const store = await thread(alice, newTopic());
    const sending = store.post('  Hello from Alice  ');
    expect(store.posts).toHaveLength(1);
    expect(store.posts[0]).toMatchObject({ body: 'Hello from Alice', sendState: 'sending' });
    const clientId = store.posts[0]!.clientId;
    const post = await sending;
    expect(post.clientId).toBe(clientId);
    expect(store.posts).toHaveLength(1);
    expect(store.posts[0]).toMatchObject({ id: post.id, clientId, body: 'Hello from Alice' });
    expect(store.posts[0]!.sendState).toBeUndefined();
    expect(store.pendingCount).toBe(0);
  });

  it('retries a send whose acknowledgements were lost with the same clientId, creating no duplicate', async () => {
    const topic = newTopic();
    const alice = await visitor('Alice');
    // The server receives and stores every attempt; only the answers to the first three are lost on the way back.
    const request = alice.request.bind(alice);
    let lost = 0;
    alice.request = (async (name, req, options) => {
      const answer = await request(name, req, options);
      if (name === 'post:create' && lost++ < 3) throw new KindredError('UNAVAILABLE', 'The server did not answer in time.');
      return answer;
    }) as typeof alice.request;
    // Not started, so not in the topic's room: no live event can deliver the post, only an acknowledgement.
    const store = new ThreadStore(alice, topic);
    await expect(store.post('Only once, please')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const [local] = store.posts;
    expect(local).toMatchObject({ sendState: 'failed', body: 'Only once, please' });

    const post = await store.retry(local!.clientId);
    expect(post).toMatchObject({ clientId: local!.clientId, body: 'Only once, please' });
    expect(store.posts.map((p) => [p.id, p.sendState])).toEqual([[post!.id, undefined]]);
    const fresh = await thread(await visitor(), topic);
    expect(fresh.posts.map((p) => p.id)).toEqual([post!.id]);
  });

  it('turns an acknowledgement timeout into UNAVAILABLE', async () => {
    const alice = await visitor('Alice');
    alice.socket.disconnect();
    await expect(alice.request('topic:join', { topic: newTopic() }, { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('marks a definite refusal as failed, keeps it for Retry, and Discard removes it', async () => {
    const reader = await visitor();
    const store = await thread(reader, newTopic());
    // Signed in on this client only: the server still sees an anonymous socket and refuses.
    reader.identity = { id: 'nobody', name: 'Nobody', kind: 'guest' };
    await expect(store.post('Hello?')).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(store.posts[0]).toMatchObject({ sendState: 'failed', sendError: { code: 'NOT_SIGNED_IN' } });
    store.discard(store.posts[0]!.clientId);
    expect(store.posts).toHaveLength(0);
  });

  it("holds others' new posts behind a count and shows their replies, edits and reactions live", async () => {
    const topic = newTopic();
    const alice = await thread(await visitor('Alice'), topic);
    const bob = await thread(await visitor('Bob'), topic);
    const mine = await alice.post('A question about physio');
    await until(() => bob.pendingCount === 1, "Bob's pending count");
    expect(bob.posts).toHaveLength(0);
    expect(bob.showPending()).toEqual([mine.id]);
    expect(bob.posts.map((post) => post.id)).toEqual([mine.id]);

    const reply = await bob.post('Ice helped me', mine.id);
    await until(() => alice.replies(mine.id).length === 1, 'the reply at Alice');
    expect(alice.replies(mine.id)[0]).toMatchObject({ id: reply.id, depth: 1, body: 'Ice helped me' });

    await bob.edit(reply.id, 'Ice and rest helped me');
    await bob.react(mine.id, 'metoo', true);
    await until(() => alice.posts[0]!.reactions.metoo === 1, 'the reaction at Alice');
    await until(() => alice.replies(mine.id)[0]!.editedAt !== null, 'the edit at Alice');
    expect(alice.replies(mine.id)[0]!.body).toBe('Ice and rest helped me');

    // A deleted post with a live reply stays as a placeholder; without one it goes.
    await alice.remove(mine.id);
    await until(() => bob.posts[0]?.deleted === true, 'the deletion at Bob');
    expect(bob.replies(mine.id)).toHaveLength(1);
    await bob.remove(reply.id);
    await until(() => alice.posts.length === 0, 'the thread to empty at Alice');
    expect(snapshot(alice)).toEqual(snapshot(bob));
  });

  it('after a disconnect asks for everything since lastSeq and ends equal to a fresh list', async () => {
    const topic = newTopic();
    const aliceConnection = await visitor('Alice');
    const alice = await thread(aliceConnection, topic);
    const bob = await thread(await visitor('Bob'), topic);
    const kept = await alice.post('Before the tunnel');
    const gone = await bob.post('Soon deleted');
    await until(() => bob.pendingCount === 1 && alice.pendingCount === 1, 'both to see both');
    bob.showPending();
    alice.showPending();

    aliceConnection.socket.disconnect();
    await until(() => aliceConnection.status === 'offline', 'offline');
    const arrived: string[] = [];
    alice.subscribe((posts) => arrived.push(...posts.map((post) => post.body)));
    const newer = await bob.post('While you were away');
    await bob.post('A reply while away', kept.id);
    await bob.react(kept.id, 'helpful', true);
    await bob.remove(gone.id);
    const brief = await bob.post('Here and gone while you were away');
    await bob.remove(brief.id);
    aliceConnection.socket.connect();
    await until(() => alice.pendingCount === 1 && alice.replies(kept.id).length === 1, 'the resync');
    expect(arrived).toContain('While you were away');
    expect(alice.showPending()).toEqual([newer.id]);

    const fresh = await thread(await visitor(), topic);
    expect(snapshot(alice)).toEqual(snapshot(fresh));
  }, 30_000);

  it('fills a gap in the live sequence by asking for the missed events', async () => {
    const topic = newTopic();
    const aliceConnection = await visitor('Alice');
    const alice = await thread(aliceConnection, topic);
    const bob = await thread(await visitor('Bob'), topic);
    // Alice's socket leaves the room behind the store's back, so two events never reach her.
    await aliceConnection.request('topic:leave', { topic });
    await bob.post('Missed one');
    await bob.post('Missed two');
    await aliceConnection.request('topic:join', { topic });
    const seqBefore = alice.lastSeq;
    await bob.post('Arrives live');
    await until(() => alice.pendingCount === 3, 'the gap to fill');
    expect(alice.lastSeq).toBe(seqBefore + 3);
    alice.showPending();
    expect(alice.posts.map((post) => post.body)).toEqual(['Arrives live', 'Missed two', 'Missed one']);
  });

  it('applies repeated and stale events idempotently', async () => {
    const topic = newTopic();
    const aliceConnection = await visitor('Alice');
    const alice = await thread(aliceConnection, topic);
    const bob = await thread(await visitor('Bob'), topic);
    const seen: TopicEvent[] = [];
    aliceConnection.onTopicEvent(topic, (event) => seen.push(event));
    const post = await bob.post('Once');
    await bob.edit(post.id, 'Once, edited');
    await bob.post('Reply', post.id);
    await until(() => seen.length === 3, 'three events');
    alice.showPending();
    const before = snapshot(alice);
    const deliver = aliceConnection.socket.listeners('topic:event')[0]!;
    for (const event of [...seen, ...seen.reverse()]) deliver(event);
    expect(snapshot(alice)).toEqual(before);
    expect(alice.pendingCount).toBe(0);
  });

  it('rolls a reaction back when the server refuses it', async () => {
    const topic = newTopic();
    const bob = await thread(await visitor('Bob'), topic);
    const post = await bob.post('React to me');
    const reader = await thread(await visitor(), topic);
    const reacting = reader.react(post.id, 'thanks', true);
    expect(reader.posts[0]!.reactions.thanks).toBe(1);
    expect(reader.posts[0]!.mine).toEqual(['thanks']);
    await expect(reacting).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(reader.posts[0]!.reactions.thanks).toBe(0);
    expect(reader.posts[0]!.mine).toEqual([]);
  });

  it('only lets the author edit, within the window', async () => {
    const alice = await visitor('Alice');
    const store = await thread(alice, newTopic());
    const post = await store.post('Mine');
    expect(store.canEdit(post)).toBe(true);
    expect(store.canEdit(post, Date.parse(post.createdAt) + 16 * 60_000)).toBe(false);
    expect(store.canEdit({ ...post, author: { ...post.author, id: 'someone-else' } })).toBe(false);
  });
});
