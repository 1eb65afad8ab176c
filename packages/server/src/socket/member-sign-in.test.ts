import { DEFAULT_CRISIS_RESOURCES, type ClientEvents, type Identity, type TopicEvent } from '@kindred/protocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { RoleService } from '../services/roles.js';
import { SiteService } from '../services/sites.js';
import { hostToken, jwksServer, unsignedToken, type JwksServer } from '../testing/host-tokens.js';
import { client, countRows, nextEvent, session, type TestClient } from '../testing/socket-client.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';

type Res<K extends keyof ClientEvents> = ClientEvents[K]['res'];
const SITE = 'riverside';
const PUBLIC = 'knee-replacement';
const PRIVATE = 'cancer-support';
const nowSec = () => Math.floor(Date.now() / 1000);

describe('host-site sign-in over socket.io and HTTP', () => {
  const dir = tempDir();
  let server: RunningServer;
  let sites: SiteService;
  let secret: string;
  let jwks: JwksServer;
  const clients: TestClient[] = [];

  const open = (options: Parameters<typeof client>[1] = {}) => {
    const socket = client(server.url, { site: SITE, ...options });
    clients.push(socket);
    return socket;
  };
  const token = (claims: Record<string, unknown> = {}) => hostToken(secret, { sub: 'ehr-1001', aud: SITE, ...claims });
  /** A socket signed in through the handshake as the member the claims describe. */
  const member = async (claims: Record<string, unknown> = {}) => {
    const socket = open({ auth: { hostToken: await token(claims) } });
    const greeting = await session(socket);
    if (!greeting.user) throw new Error(`not signed in: ${greeting.reason}`);
    return { socket, user: greeting.user };
  };
  const signInByEvent = async (socket: TestClient, hostTokenText: string) =>
    socket.ask<Res<'session:member'>>('session:member', { token: hostTokenText });

  beforeAll(async () => {
    jwks = await jwksServer();
  });
  afterAll(() => jwks.close());
  beforeEach(async () => {
    server = await startServer({ port: 0, dbPath: dir.file('kindred.db'), log: silentLog });
    sites = new SiteService(server.store);
    ({ secret } = await sites.create({ id: SITE, name: 'Riverside General', origins: ['https://www.riverside.example'] }, new Date()));
    await sites.update(SITE, { addMembersOnlyTopics: [PRIVATE] });
  });
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.disconnect();
    await server.close();
    dir.remove();
  });

  describe('signing in', () => {
    it('signs a member in through the handshake, with roles and the site in the session event', async () => {
      const socket = open({ auth: { hostToken: await token({ email: 'maria@example.org' }) } });
      expect(await session(socket)).toEqual({
        protocol: 1,
        user: { id: expect.any(String), name: 'Maria Lopez', kind: 'member', roles: ['member'], expertTopics: [] },
        site: { id: SITE, name: 'Riverside General', guestsAllowed: true, disclaimer: null, crisisResources: DEFAULT_CRISIS_RESOURCES },
      });
      const posted = await socket.ask<Res<'post:create'>>('post:create', { topic: PUBLIC, clientId: 'c1', body: 'Hello' });
      expect(posted).toMatchObject({ ok: true, data: { post: { author: { name: 'Maria Lopez', kind: 'member' } } } });
    });

    it('signs an anonymous connection in by event, keeps one user per sub and refreshes the name', async () => {
      const socket = open();
      expect((await session(socket)).user).toBeNull();
      const first = await signInByEvent(socket, await token());
      expect(first).toMatchObject({ ok: true, data: { user: { kind: 'member', name: 'Maria Lopez' } } });
      const refreshed = await signInByEvent(socket, await token({ name: 'Maria L.' }));
      expect(refreshed.ok && first.ok && refreshed.data.user.id).toBe(first.ok && first.data.user.id);
      expect(refreshed).toMatchObject({ ok: true, data: { user: { name: 'Maria L.' } } });
      expect(countRows(dir.file('kindred.db')).users).toBe(1);
      const posted = await socket.ask<Res<'post:create'>>('post:create', { topic: PUBLIC, clientId: 'c1', body: 'Hi' });
      expect(posted).toMatchObject({ ok: true, data: { post: { author: { name: 'Maria L.' } } } });
    });

    it('turns a guest connection into the member, never the other way round', async () => {
      const socket = open();
      await session(socket);
      const guest = await socket.ask<Res<'session:guest'>>('session:guest', { displayName: 'Pseudonym' });
      const signedIn = await signInByEvent(socket, await token());
      expect(signedIn).toMatchObject({ ok: true, data: { user: { kind: 'member' } } });
      const posted = await socket.ask<Res<'post:create'>>('post:create', { topic: PUBLIC, clientId: 'c1', body: 'Hi' });
      expect(posted.ok && posted.data.post.author).toMatchObject({ kind: 'member', name: 'Maria Lopez' });
      expect(posted.ok && guest.ok && posted.data.post.author.id).not.toBe(guest.ok && guest.data.user.id);
    });

    it('signs out: the connection reads on but cannot post', async () => {
      const { socket } = await member();
      expect(await socket.ask('session:signout', {})).toEqual({ ok: true, data: {} });
      expect(await socket.ask('post:create', { topic: PUBLIC, clientId: 'c1', body: 'Hi' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
      expect(await socket.ask('thread:list', { topic: PUBLIC, sort: 'newest' })).toMatchObject({ ok: true });
    });
  });

  describe('refusing tokens', () => {
    const refusals: Array<[string, () => Promise<string>, 'TOKEN_EXPIRED' | 'TOKEN_INVALID', RegExp]> = [
      ['expired beyond the clock skew', () => token({ iat: nowSec() - 600, exp: nowSec() - 90 }), 'TOKEN_EXPIRED', /expired/],
      ['not valid yet', () => token({ nbf: nowSec() + 300 }), 'TOKEN_INVALID', /not valid yet/],
      ['issued in the future', () => token({ iat: nowSec() + 300, exp: nowSec() + 600 }), 'TOKEN_INVALID', /future/],
      ['for another site', () => token({ aud: 'elsewhere' }), 'TOKEN_INVALID', /"aud" claim must be "riverside"/],
      ['without an audience', () => token({ aud: undefined }), 'TOKEN_INVALID', /aud/],
      ['signed with another key', () => hostToken('w'.repeat(43), { sub: 'ehr-1', aud: SITE }), 'TOKEN_INVALID', /signature/],
      ['unsigned (alg none)', async () => unsignedToken({ sub: 'ehr-1', aud: SITE, name: 'Eve', exp: nowSec() + 60 }), 'TOKEN_INVALID', /none/],
      ['valid for too long', () => token({ iat: nowSec(), exp: nowSec() + 2 * 3600 }), 'TOKEN_INVALID', /too long/],
      ['valid for too long, without iat', () => token({ iat: undefined, exp: nowSec() + 2 * 3600 }), 'TOKEN_INVALID', /too long/],
      ['without exp', () => token({ exp: undefined }), 'TOKEN_INVALID', /exp/],
      ['without sub', () => token({ sub: undefined }), 'TOKEN_INVALID', /sub/],
      ['with an overlong sub', () => token({ sub: 'x'.repeat(201) }), 'TOKEN_INVALID', /sub/],
      ['with a name that imitates another', () => token({ name: 'Dr\u202EHouse' }), 'TOKEN_INVALID', /name/],
    ];

    it.each(refusals)('refuses a token %s, by event and in the handshake', async (_what, make, code, message) => {
      const text = await make();
      const socket = open();
      await session(socket);
      const answer = await signInByEvent(socket, text);
      expect(answer).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(message) } });

      const greeted = open({ auth: { hostToken: text } });
      expect(await session(greeted)).toMatchObject({ user: null, reason: code });
      // The widget falls back to reading.
      expect(await greeted.ask('thread:list', { topic: PUBLIC, sort: 'newest' })).toMatchObject({ ok: true });
      expect(countRows(dir.file('kindred.db')).users).toBe(0);
    });

    it('accepts a token that expired within the clock skew', async () => {
      const socket = open();
      await session(socket);
      expect(await signInByEvent(socket, await token({ iat: nowSec() - 600, exp: nowSec() - 30 }))).toMatchObject({ ok: true });
    });

    it('opens anonymously, not as the guest, when a bad host token comes with a good guest token', async () => {
      const guest = open();
      await session(guest);
      const signIn = await guest.ask<Res<'session:guest'>>('session:guest', { displayName: 'Pseudonym' });
      const both = open({ auth: { token: signIn.ok && signIn.data.token, hostToken: await token({ aud: 'elsewhere' }) } });
      expect(await session(both)).toMatchObject({ user: null, reason: 'TOKEN_INVALID' });
    });

    it('stops a rotated secret at once', async () => {
      const before = await token();
      await sites.rotateSecret(SITE);
      const socket = open({ auth: { hostToken: before } });
      expect(await session(socket)).toMatchObject({ user: null, reason: 'TOKEN_INVALID' });
    });
  });

  describe('roles', () => {
    const roles = () => new RoleService({ store: server.store, sites, now: () => new Date() });

    it('come from the server records; a roles claim is ignored unless the site trusts it', async () => {
      await roles().change({ siteId: SITE, externalId: 'ehr-1001', role: 'expert', topic: PUBLIC });
      await roles().change({ siteId: SITE, externalId: 'ehr-1001', role: 'moderator' });
      const claims = { roles: ['admin'], expertTopics: ['cardiology'] };
      expect((await member(claims)).user).toMatchObject({ roles: ['member', 'expert', 'moderator'], expertTopics: [PUBLIC] });
      expect((await member({ sub: 'ehr-2002', ...claims })).user).toMatchObject({ roles: ['member'], expertTopics: [] });

      await sites.update(SITE, { trustTokenRoles: true });
      expect((await member({ sub: 'ehr-2002', ...claims })).user).toMatchObject({ roles: ['member', 'expert', 'admin'], expertTopics: ['cardiology'] });
    });
  });

  describe('JWKS sites', () => {
    beforeEach(async () => {
      await sites.update(SITE, { jwksUrl: jwks.url });
    });

    it('accepts ES256 and RS256 tokens from the site key set, fetching it once', async () => {
      const es = await hostToken(jwks.es256.privateKey, { sub: 'ehr-1', aud: SITE }, { alg: 'ES256', kid: jwks.es256.kid });
      const rs = await hostToken(jwks.rs256.privateKey, { sub: 'ehr-2', aud: SITE, name: 'Tom' }, { alg: 'RS256', kid: jwks.rs256.kid });
      const fetchesBefore = jwks.fetches();
      expect(await session(open({ auth: { hostToken: es } }))).toMatchObject({ user: { kind: 'member', name: 'Maria Lopez' } });
      expect(await session(open({ auth: { hostToken: rs } }))).toMatchObject({ user: { kind: 'member', name: 'Tom' } });
      expect(jwks.fetches() - fetchesBefore).toBe(1);
    });

    it('refuses an HS256 token signed with the site secret, and a key the set does not hold', async () => {
      expect(await session(open({ auth: { hostToken: await token() } }))).toMatchObject({ user: null, reason: 'TOKEN_INVALID' });
      const socket = open();
      await session(socket);
      const answer = await signInByEvent(socket, await token());
      expect(answer).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID', message: expect.stringMatching(/HS256.*RS256 or ES256/) } });
      const stranger = await hostToken((await import('jose')).base64url.decode('A'.repeat(43)), { sub: 'x', aud: SITE }, { alg: 'HS256' });
      expect(await signInByEvent(socket, stranger)).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
      const wrongKid = await hostToken(jwks.es256.privateKey, { sub: 'ehr-1', aud: SITE }, { alg: 'ES256', kid: 'unknown' });
      expect(await signInByEvent(socket, wrongKid)).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
    });

    it('refuses a JWKS-signed token on a site that uses its HS256 secret', async () => {
      await sites.update(SITE, { jwksUrl: '' });
      const es = await hostToken(jwks.es256.privateKey, { sub: 'ehr-1', aud: SITE }, { alg: 'ES256', kid: jwks.es256.kid });
      expect(await session(open({ auth: { hostToken: es } }))).toMatchObject({ user: null, reason: 'TOKEN_INVALID' });
    });
  });

  describe('members-only topics', () => {
    it('refuses anonymous visitors and guests over the socket, for reads and writes', async () => {
      const socket = open();
      await session(socket);
      expect(await socket.ask('topic:join', { topic: PRIVATE })).toMatchObject({ ok: false, error: { code: 'MEMBERS_ONLY' } });
      expect(await socket.ask('thread:list', { topic: PRIVATE, sort: 'newest' })).toMatchObject({ ok: false, error: { code: 'MEMBERS_ONLY' } });
      expect(await socket.ask('post:create', { topic: PRIVATE, clientId: 'c1', body: 'x' })).toMatchObject({ ok: false, error: { code: 'MEMBERS_ONLY' } });
      await socket.ask('session:guest', { displayName: 'Pseudonym' });
      expect(await socket.ask('thread:list', { topic: PRIVATE, sort: 'newest' })).toMatchObject({ ok: false, error: { code: 'MEMBERS_ONLY' } });
      expect(await socket.ask('post:create', { topic: PRIVATE, clientId: 'c2', body: 'x' })).toMatchObject({ ok: false, error: { code: 'MEMBERS_ONLY' } });
      expect(countRows(dir.file('kindred.db')).posts).toBe(0);
    });

    it('refuses edits and reactions on a members-only post by anyone but members', async () => {
      const maria = await member();
      const created = await maria.socket.ask<Res<'post:create'>>('post:create', { topic: PRIVATE, clientId: 'c1', body: 'Chemo week 3' });
      const postId = created.ok ? created.data.post.id : '';
      const guest = open();
      await session(guest);
      await guest.ask('session:guest', { displayName: 'Pseudonym' });
      expect(await guest.ask('reaction:set', { postId, reaction: 'thanks', on: true })).toMatchObject({ ok: false, error: { code: 'MEMBERS_ONLY' } });
      await maria.socket.ask('session:signout', {});
      expect(await maria.socket.ask('post:edit', { postId, body: 'changed' })).toMatchObject({ ok: false, error: { code: 'MEMBERS_ONLY' } });
    });

    it('lets members read, write and hear each other; a member who signs out hears no more', async () => {
      const maria = await member();
      const tom = await member({ sub: 'ehr-2002', name: 'Tom' });
      const leaver = await member({ sub: 'ehr-3003', name: 'Lee' });
      for (const { socket } of [tom, leaver]) expect(await socket.ask('topic:join', { topic: PRIVATE })).toMatchObject({ ok: true });
      await leaver.socket.ask('session:signout', {});
      const heardByLeaver: TopicEvent[] = [];
      leaver.socket.on('topic:event', (event: TopicEvent) => heardByLeaver.push(event));

      const heard = nextEvent<TopicEvent>(tom.socket, 'topic:event');
      expect(await maria.socket.ask('post:create', { topic: PRIVATE, clientId: 'c1', body: 'Chemo week 3' })).toMatchObject({ ok: true });
      expect((await heard).post.body).toBe('Chemo week 3');
      // The leaver's socket is served by the same process: anything sent to it would have arrived with Tom's.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heardByLeaver).toEqual([]);
      expect(await tom.socket.ask('thread:list', { topic: PRIVATE, sort: 'newest' })).toMatchObject({ ok: true, data: { posts: [{ body: 'Chemo week 3' }] } });
    });

    it('serves members-only posts over HTTP only with a valid host token', async () => {
      const maria = await member();
      await maria.socket.ask('post:create', { topic: PRIVATE, clientId: 'c1', body: 'Chemo week 3' });
      const url = `${server.url}/api/sites/${SITE}/topics/${PRIVATE}/posts`;
      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(403);
      expect(await anonymous.json()).toMatchObject({ error: { code: 'MEMBERS_ONLY' } });
      const signedIn = await fetch(url, { headers: { Authorization: `Bearer ${await token({ sub: 'ehr-2002', name: 'Tom' })}` } });
      expect(signedIn.status).toBe(200);
      expect(await signedIn.json()).toMatchObject({ posts: [{ body: 'Chemo week 3' }] });
      const expired = await fetch(url, { headers: { Authorization: `Bearer ${await token({ iat: nowSec() - 900, exp: nowSec() - 120 })}` } });
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ error: { code: 'TOKEN_EXPIRED' } });
      const malformed = await fetch(url, { headers: { Authorization: 'Basic abc' } });
      expect(malformed.status).toBe(401);
      expect((await fetch(`${server.url}/api/sites/${SITE}/topics/${PUBLIC}/posts`)).status).toBe(200);
    });
  });

  describe('sites that deny guests', () => {
    it('refuses new guests and writes by existing guests, who still read', async () => {
      const early = open();
      await session(early);
      const signIn = await early.ask<Res<'session:guest'>>('session:guest', { displayName: 'Early bird' });
      const guestToken = signIn.ok ? signIn.data.token : '';
      await sites.update(SITE, { guestsAllowed: false });

      const fresh = open();
      expect((await session(fresh)).site).toMatchObject({ guestsAllowed: false });
      expect(await fresh.ask('session:guest', { displayName: 'Late' })).toMatchObject({ ok: false, error: { code: 'GUESTS_NOT_ALLOWED' } });

      const returning = open({ token: guestToken });
      expect((await session(returning)).user as Identity).toMatchObject({ kind: 'guest', name: 'Early bird' });
      expect(await returning.ask('thread:list', { topic: PUBLIC, sort: 'newest' })).toMatchObject({ ok: true });
      expect(await returning.ask('post:create', { topic: PUBLIC, clientId: 'c1', body: 'x' })).toMatchObject({ ok: false, error: { code: 'GUESTS_NOT_ALLOWED' } });
      const { socket } = await member();
      expect(await socket.ask('post:create', { topic: PUBLIC, clientId: 'c1', body: 'Members still post' })).toMatchObject({ ok: true });
    });
  });

  describe('malformed sign-in input', () => {
    it('refuses huge and deeply nested payloads with INVALID_INPUT before any verification', async () => {
      const socket = open();
      await session(socket);
      expect(await socket.ask('session:member', { token: 'a'.repeat(20_000) })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'token' } });
      let nested: unknown = 'x';
      for (let depth = 0; depth < 3_000; depth++) nested = [nested];
      expect(await socket.ask('session:member', { token: nested })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await socket.ask('session:signout', { extra: nested })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const greeted = open({ auth: { hostToken: { nested } } });
      expect(await session(greeted)).toMatchObject({ user: null, reason: 'TOKEN_INVALID' });
    });
  });
});
