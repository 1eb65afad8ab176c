import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture.js';
import { tempDir } from '../testing/temp-dir.js';
import { IdentityService, loadSigningSecret } from './identity.js';

describe('IdentityService', () => {
  let f: ServiceFixture;
  beforeEach(async () => {
    f = await serviceFixture();
  });
  afterEach(() => f.dispose());

  it('signs a guest in and recognises its token on the same site', async () => {
    const session = await f.identity.signInGuest('riverside', { displayName: 'Maria' });
    expect(session.user).toMatchObject({ name: 'Maria', kind: 'guest' });
    expect(session.user.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(await f.store.findUser(session.user.id)).toMatchObject({ siteId: 'riverside', kind: 'guest', externalId: null });
    expect(await f.identity.resolveToken('riverside', session.token)).toEqual(session.user);
  });

  it('rejects a token for another site, a tampered token and an expired one', async () => {
    const { token } = await f.identity.signInGuest('riverside', { displayName: 'Maria' });
    expect(await f.identity.resolveToken('elsewhere', token)).toBeNull();
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), name: 'Admin' })).toString('base64url');
    expect(await f.identity.resolveToken('riverside', `${header}.${forged}.${signature}`)).toBeNull();
    expect(await f.identity.resolveToken('riverside', 'not a token')).toBeNull();
    f.clock.advance(179 * 24 * 3600 * 1000);
    expect(await f.identity.resolveToken('riverside', token)).not.toBeNull();
    f.clock.advance(2 * 24 * 3600 * 1000);
    expect(await f.identity.resolveToken('riverside', token)).toBeNull();
  });

  it('rejects a token signed with another key or for a user that does not exist', async () => {
    const other = new IdentityService({ store: f.store, now: () => f.clock.now, secret: new TextEncoder().encode('y'.repeat(32)) });
    const { token } = await other.signInGuest('riverside', { displayName: 'Mallory' });
    expect(await f.identity.resolveToken('riverside', token)).toBeNull();
    const ghost = await new SignJWT({ kind: 'guest', name: 'Ghost' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('kindred')
      .setSubject('no-such-user')
      .setAudience('riverside')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await f.identity.resolveToken('riverside', ghost)).toBeNull();
  });
});

describe('loadSigningSecret', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('generates a key once and keeps it in the store across restarts', async () => {
    const path = dir.file('secret.db');
    const first = openSqliteStore(path);
    await first.migrate();
    const key = await loadSigningSecret(first);
    expect(key.byteLength).toBeGreaterThanOrEqual(32);
    await first.close();
    const second = openSqliteStore(path);
    expect(await loadSigningSecret(second)).toEqual(key);
    await second.close();
  });

  it('uses KINDRED_SECRET when given, and refuses a short one', async () => {
    const store = openSqliteStore(dir.file('env.db'));
    await store.migrate();
    expect(new TextDecoder().decode(await loadSigningSecret(store, 's'.repeat(40)))).toBe('s'.repeat(40));
    await expect(loadSigningSecret(store, 'short')).rejects.toThrow(/at least 32/);
    await store.close();
  });
});
