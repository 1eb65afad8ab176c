import type { Identity } from '@kindred/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../http/csv.js';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture.js';
import type { Caller } from './caller.js';
import { memberIdentity } from './identity.js';

const TOPIC = 'knee-replacement';
const DAY = 24 * 60 * 60 * 1000;

describe('moderation service', () => {
  let f: ServiceFixture;
  let mod: Caller & { user: Identity };
  let clientIds = 0;

  const post = (caller: Caller, body: string) => f.threads.createPost(caller, { topic: TOPIC, clientId: `c${++clientIds}`, body });

  beforeEach(async () => {
    f = await serviceFixture();
    const user = await f.store.upsertMember({ siteId: 'riverside', externalId: 'ehr-mod', displayName: 'Dr Lee', at: f.clock.now.toISOString() });
    await f.store.grantRole({ siteId: 'riverside', externalId: 'ehr-mod', role: 'moderator', topic: '' }, f.clock.now.toISOString());
    mod = { siteId: 'riverside', user: memberIdentity(user, [{ role: 'moderator', topic: '' }]) };
  });
  afterEach(() => f.dispose());

  it('lifts a suspension by itself when its days are up', async () => {
    const maria = await f.guest('Maria');
    expect(await f.moderation.member(mod, { userId: maria.user.id, action: 'suspend', days: 2, reason: 'Cooling off' })).toEqual({ standing: 'suspended' });
    await expect(post(maria, 'Still here')).rejects.toMatchObject({ code: 'SUSPENDED', message: expect.stringContaining('2026-03-03 10:00 UTC') });
    f.clock.advance(2 * DAY - 1000);
    await expect(post(maria, 'Still here')).rejects.toMatchObject({ code: 'SUSPENDED' });
    f.clock.advance(1000);
    expect((await post(maria, 'Back again')).post.body).toBe('Back again');
    await expect(f.moderation.member(mod, { userId: maria.user.id, action: 'suspend', reason: 'How long?' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'days' });
  });

  it("keeps a moderator's edit and the original in the audit log, and a held post stays held when its author edits it", async () => {
    await f.store.saveModerationSettings('riverside', { suspectWords: ['miracle cure'] }, { siteId: 'riverside', at: f.clock.now.toISOString(), actor: { id: 'op', name: 'op' }, action: 'settings', target: { kind: 'site', id: 'riverside' }, reason: null, before: null, after: null });
    const maria = await f.guest('Maria');
    const { post: held, notices } = await post(maria, 'A miracle cure, see drjones.example');
    expect(notices).toEqual(['held']);
    const edited = await f.threads.editPost(maria, { postId: held.id, body: 'A miracle cure? Ask your surgeon' });
    expect(edited).toMatchObject({ post: { status: 'held' }, notices: ['held'] });
    const { item } = await f.moderation.decide(mod, { postId: held.id, action: 'edit', body: 'Ask your surgeon', note: 'Claim removed' });
    expect(item).toMatchObject({ post: { body: 'Ask your surgeon', status: 'held', editedAt: f.clock.now.toISOString() }, queue: 'held' });
    const { entries } = await f.moderation.audit(mod, { action: 'edit' });
    expect(entries).toMatchObject([{ reason: 'Claim removed', before: { body: 'A miracle cure? Ask your surgeon' }, after: { body: 'Ask your surgeon' } }]);
  });

  it("resolves the queue item of a held post its author deletes, and tells moderators", async () => {
    await f.store.updateSite('riverside', { moderation: { heldFirstPosts: { guest: 1, member: 0 } } });
    const maria = await f.guest('Maria');
    const { post: held } = await post(maria, 'first post');
    await f.threads.deletePost(maria, { postId: held.id });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(f.modEvents.map(({ event }) => event.type)).toEqual(['item.added', 'item.resolved']);
    expect((await f.moderation.queue(mod, { queue: 'held', order: 'oldest' })).counts.held).toBe(0);
    expect(f.published).toEqual([]);
  });

  it('pages the queue and the audit log with cursors, and refuses cursors it did not give', async () => {
    await f.store.updateSite('riverside', { moderation: { heldFirstPosts: { guest: 100, member: 0 } } });
    const maria = await f.guest('Maria');
    for (let i = 0; i < 25; i++) await post(maria, `post ${i}`);
    const first = await f.moderation.queue(mod, { queue: 'held', order: 'urgent' });
    expect(first.items).toHaveLength(20);
    const second = await f.moderation.queue(mod, { queue: 'held', order: 'urgent', cursor: first.nextCursor! });
    expect(second).toMatchObject({ nextCursor: null, counts: { held: 25 } });
    expect([...first.items, ...second.items].map((item) => item.post.body)).toEqual(Array.from({ length: 25 }, (_, i) => `post ${i}`));
    await expect(f.moderation.queue(mod, { queue: 'held', order: 'urgent', cursor: 'bogus' })).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'cursor' });
    await expect(f.moderation.audit(mod, { cursor: 'bogus' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('takes roles from the server records at the time of asking', async () => {
    await f.store.revokeRole({ siteId: 'riverside', externalId: 'ehr-mod', role: 'moderator', topic: '' });
    await expect(f.moderation.getSettings(mod)).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
    await expect(f.moderation.getSettings({ ...mod, siteId: 'elsewhere' })).rejects.toMatchObject({ code: 'NOT_AUTHORISED' });
  });
});

describe('CSV export cells', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`).startsWith(`'${start}`) || csvCell(`${start}1+1`).startsWith(`"'${start}`)).toBe(true);
    expect(csvCell('=SUM(A1,A2)')).toBe(`"'=SUM(A1,A2)"`);
    expect(csvCell(null)).toBe('');
    expect(toCsv([['a', 'b'], [1, null]])).toBe('a,b\r\n1,\r\n');
  });
});
