import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { startServer } from '../index.js';
import { hostToken } from '../testing/host-tokens.js';
import { client, session } from '../testing/socket-client.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';

const bin = fileURLToPath(new URL('../../bin/kindred.js', import.meta.url));

// Each command is a fresh process that loads TypeScript through tsx: about a second apiece.
describe('kindred command line', { timeout: 90_000 }, () => {
  const dir = tempDir();
  afterEach(() => dir.remove());
  const kindred = (...args: string[]) => {
    // No SMTP server unless a test sets one, whatever the machine running the tests has.
    const { KINDRED_SMTP_URL: _smtp, ...env } = process.env;
    const result = spawnSync(process.execPath, [bin, ...args], {
      env: { ...env, KINDRED_DB: dir.file('kindred.db') },
      encoding: 'utf8',
      timeout: 15_000,
    });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };
  const secretIn = (text: string) => /^ {2}([A-Za-z0-9_-]{43})$/m.exec(text)?.[1];
  const readSite = async (id: string) => {
    const store = openSqliteStore(dir.file('kindred.db'));
    try {
      return { site: await store.findSite(id), secret: await store.siteSecret(id), roles: await store.rolesOf(id, 'ehr-7') };
    } finally {
      await store.close();
    }
  };

  it('adds a site, prints its secret once, and the secret signs a member in', async () => {
    const added = kindred('site', 'add', 'riverside', '--origin', 'https://www.riverside.example/', '--origin', 'https://intranet.riverside.example', '--name', 'Riverside General');
    expect(added.code).toBe(0);
    const secret = secretIn(added.out)!;
    expect(secret).toBeDefined();
    expect(added.out).toMatch(/shown only this once/);
    expect((await readSite('riverside')).site).toMatchObject({
      name: 'Riverside General',
      origins: ['https://www.riverside.example', 'https://intranet.riverside.example'],
      guestsAllowed: true,
      trustTokenRoles: false,
    });

    const listed = kindred('site', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/riverside {2}Riverside General/);
    expect(listed.out).not.toContain(secret);
    const json = kindred('site', 'list', '--json');
    expect(JSON.parse(json.out)).toMatchObject([{ id: 'riverside', signIn: 'hs256' }]);
    expect(json.out).not.toContain(secret);

    const server = await startServer({ port: 0, dbPath: dir.file('kindred.db'), log: silentLog });
    try {
      const socket = client(server.url, { site: 'riverside', auth: { hostToken: await hostToken(secret, { sub: 'ehr-7', aud: 'riverside' }) } });
      expect(await session(socket)).toMatchObject({ user: { kind: 'member', name: 'Maria Lopez' } });
      socket.disconnect();

      const rotated = kindred('site', 'rotate-secret', 'riverside');
      expect(rotated.code).toBe(0);
      const fresh = secretIn(rotated.out)!;
      expect(fresh).not.toBe(secret);
      const stale = client(server.url, { site: 'riverside', auth: { hostToken: await hostToken(secret, { sub: 'ehr-7', aud: 'riverside' }) } });
      expect(await session(stale)).toMatchObject({ user: null, reason: 'TOKEN_INVALID' });
      stale.disconnect();
    } finally {
      await server.close();
    }
  });

  it('updates site settings and reports mistakes with exit codes', async () => {
    kindred('site', 'add', 'riverside', '--origin', 'https://www.riverside.example');
    const updated = kindred(
      'site', 'update', 'riverside',
      '--add-origin', 'http://localhost:3000',
      '--guests', 'deny',
      '--members-only-topic', 'cancer-support', '--members-only-topic', 'grief',
      '--disclaimer', 'Not medical advice.',
      '--trust-token-roles', 'true',
      '--rate-limit', 'posts=3/60', '--rate-limit', 'reactions=10/30',
    );
    expect(updated.code).toBe(0);
    expect(updated.out).toMatch(/rate limits: +posts=3\/60, reactions=10\/30/);
    expect((await readSite('riverside')).site).toMatchObject({
      origins: ['https://www.riverside.example', 'http://localhost:3000'],
      guestsAllowed: false,
      membersOnlyTopics: ['cancer-support', 'grief'],
      disclaimer: 'Not medical advice.',
      trustTokenRoles: true,
      rateLimits: { posts: { points: 3, durationSec: 60 }, reactions: { points: 10, durationSec: 30 } },
    });
    kindred('site', 'update', 'riverside', '--public-topic', 'grief', '--rate-limit', 'posts=default', '--remove-origin', 'http://localhost:3000', '--jwks-url', 'https://login.riverside.example/jwks.json');
    expect((await readSite('riverside')).site).toMatchObject({
      origins: ['https://www.riverside.example'],
      membersOnlyTopics: ['cancer-support'],
      rateLimits: { reactions: { points: 10, durationSec: 30 } },
      jwksUrl: 'https://login.riverside.example/jwks.json',
    });

    // The hospital's own record-number format joins the identifier scan; unsafe patterns are refused; "" clears.
    expect(kindred('site', 'update', 'riverside', '--record-number-pattern', 'RG-\\d{7}')).toMatchObject({ code: 0 });
    expect((await readSite('riverside')).site?.moderation).toMatchObject({ recordNumberPatterns: ['RG-\\d{7}'] });
    expect(kindred('site', 'update', 'riverside', '--record-number-pattern', '(a+)+$')).toMatchObject({ code: 1, err: expect.stringMatching(/cannot be used/) });
    expect((await readSite('riverside')).site?.moderation).toMatchObject({ recordNumberPatterns: ['RG-\\d{7}'] });
    expect(kindred('site', 'update', 'riverside', '--record-number-pattern', '')).toMatchObject({ code: 0 });
    expect((await readSite('riverside')).site?.moderation).toMatchObject({ recordNumberPatterns: [] });

    expect(kindred('site', 'add', 'riverside', '--origin', 'https://x.example')).toMatchObject({ code: 1, err: expect.stringMatching(/already exists/) });
    expect(kindred('site', 'add', 'Bad Id', '--origin', 'https://x.example')).toMatchObject({ code: 1, err: expect.stringMatching(/cannot be a site id/) });
    expect(kindred('site', 'add', 'other')).toMatchObject({ code: 1, err: expect.stringMatching(/--origin/) });
    expect(kindred('site', 'update', 'nowhere', '--guests', 'deny')).toMatchObject({ code: 1, err: expect.stringMatching(/no site "nowhere"/) });
    expect(kindred('site', 'update', 'riverside', '--guests', 'maybe')).toMatchObject({ code: 2, err: expect.stringMatching(/allow or deny/) });
    expect(kindred('site', 'update', 'riverside', '--rate-limit', 'likes=1/1')).toMatchObject({ code: 2, err: expect.stringMatching(/no rate limit called "likes"/) });
    expect(kindred('site', 'update', 'riverside', '--jwks-url', 'http://login.example/jwks')).toMatchObject({ code: 1, err: expect.stringMatching(/https/) });
    expect(kindred('site', 'update', 'riverside', '--colour', 'red')).toMatchObject({ code: 2, err: expect.stringMatching(/--colour/) });
    expect(kindred('site', 'update')).toMatchObject({ code: 2, err: expect.stringMatching(/Missing <id>/) });
    expect(kindred('launch')).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown command "launch"/) });
    expect(kindred('site', 'update', 'riverside', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/--members-only-topic/) });
    expect(kindred('--help')).toMatchObject({ code: 0, out: expect.stringMatching(/site rotate-secret/) });
  });

  it('gives and removes roles by the host site user id', async () => {
    kindred('site', 'add', 'riverside', '--origin', 'https://www.riverside.example');
    expect(kindred('user', 'role', 'riverside', 'ehr-7', 'expert', '--topic', 'knee-replacement')).toMatchObject({ code: 0 });
    const moderator = kindred('user', 'role', 'riverside', 'ehr-7', 'moderator');
    expect(moderator).toMatchObject({ code: 0, out: expect.stringMatching(/ehr-7 now holds: member, moderator, expert \(knee-replacement\)/) });
    expect((await readSite('riverside')).roles.map(({ role, topic }) => [role, topic])).toEqual([['moderator', ''], ['expert', 'knee-replacement']]);
    expect(kindred('user', 'role', 'riverside', 'ehr-7', 'moderator', '--remove')).toMatchObject({ code: 0 });
    expect((await readSite('riverside')).roles.map(({ role }) => role)).toEqual(['expert']);

    expect(kindred('user', 'role', 'riverside', 'ehr-7', 'expert')).toMatchObject({ code: 1, err: expect.stringMatching(/--topic/) });
    expect(kindred('user', 'role', 'riverside', 'ehr-7', 'wizard')).toMatchObject({ code: 1, err: expect.stringMatching(/not a role/) });
    expect(kindred('user', 'role', 'riverside', 'ehr-7', 'admin', '--topic', 'x')).toMatchObject({ code: 1, err: expect.stringMatching(/whole site/) });
    expect(kindred('user', 'role', 'riverside', 'ehr-7', 'admin', '--remove')).toMatchObject({ code: 1, err: expect.stringMatching(/does not hold admin/) });
    expect(kindred('user', 'role', 'nowhere', 'ehr-7', 'admin')).toMatchObject({ code: 1 });
    expect(kindred('user', 'role', 'riverside')).toMatchObject({ code: 2, err: expect.stringMatching(/Missing <user> <role>/) });
  });
  it('makes a host-site user an expert of a topic, with a checked NPI that is never shown', async () => {
    const secret = secretIn(kindred('site', 'add', 'riverside', '--origin', 'https://www.riverside.example').out)!;
    const added = kindred(
      'expert', 'add', 'riverside', 'ehr-7',
      '--topic', 'knee-replacement', '--credential', ' MD,  Orthopaedic   Surgery ', '--npi', '1234567893', '--email', 'lee@riverside.example',
    );
    expect(added).toMatchObject({ code: 0, out: expect.stringMatching(/ehr-7 is now an expert of "knee-replacement" on riverside, shown as "MD, Orthopaedic Surgery"/) });
    expect(added.out).toMatch(/NPI checked and recorded/);
    const listed = kindred('expert', 'list', 'riverside');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/knee-replacement +ehr-7 +MD, Orthopaedic Surgery {2}<lee@riverside\.example> {2}\(NPI recorded\)/);
    const json = kindred('expert', 'list', 'riverside', '--json');
    expect(JSON.parse(json.out)).toEqual([
      { siteId: 'riverside', externalId: 'ehr-7', topic: 'knee-replacement', credential: 'MD, Orthopaedic Surgery', email: 'lee@riverside.example', createdAt: expect.any(String), npiRecorded: true },
    ]);
    for (const output of [added.out, added.err, listed.out, json.out]) expect(output).not.toContain('1234567893');
    expect((await readSite('riverside')).roles.map(({ role, topic }) => [role, topic])).toEqual([['expert', 'knee-replacement']]);

    // From their next sign-in they are the topic's expert.
    const server = await startServer({ port: 0, dbPath: dir.file('kindred.db'), log: silentLog });
    try {
      const socket = client(server.url, { site: 'riverside', auth: { hostToken: await hostToken(secret, { sub: 'ehr-7', aud: 'riverside', name: 'Dr Lee' }) } });
      expect(await session(socket)).toMatchObject({ user: { roles: ['member', 'expert'], expertTopics: ['knee-replacement'] } });
      socket.disconnect();
    } finally {
      await server.close();
    }

    // Running it again updates the profile in place.
    expect(kindred('expert', 'add', 'riverside', 'ehr-7', '--topic', 'knee-replacement', '--credential', 'MD, FRCS (Orth)')).toMatchObject({ code: 0 });
    expect(JSON.parse(kindred('expert', 'list', 'riverside', '--json').out)).toMatchObject([{ externalId: 'ehr-7', credential: 'MD, FRCS (Orth)' }]);
  });

  it('refuses an expert with an NPI that fails its check digit, or without a credential or topic', async () => {
    kindred('site', 'add', 'riverside', '--origin', 'https://www.riverside.example');
    const refused = kindred('expert', 'add', 'riverside', 'ehr-7', '--topic', 'knee-replacement', '--credential', 'MD, Cardiology', '--npi', '1234567890');
    expect(refused).toMatchObject({ code: 1, err: expect.stringMatching(/"1234567890" is not a valid NPI: .*check digit/) });
    expect(kindred('expert', 'add', 'riverside', 'ehr-7', '--topic', 'knee-replacement', '--credential', 'MD', '--npi', '12345')).toMatchObject({ code: 1, err: expect.stringMatching(/not a valid NPI/) });
    expect(kindred('expert', 'add', 'riverside', 'ehr-7', '--topic', 'knee-replacement')).toMatchObject({ code: 2, err: expect.stringMatching(/--credential/) });
    expect(kindred('expert', 'add', 'riverside', 'ehr-7', '--credential', 'MD, Cardiology')).toMatchObject({ code: 2, err: expect.stringMatching(/--topic/) });
    expect(kindred('expert', 'add', 'riverside', 'ehr-7', '--topic', 'knee-replacement', '--credential', 'MD', '--email', 'not-an-address')).toMatchObject({ code: 1, err: expect.stringMatching(/not an email address/) });
    expect(kindred('expert', 'add', 'nowhere', 'ehr-7', '--topic', 'knee-replacement', '--credential', 'MD, Cardiology')).toMatchObject({ code: 1, err: expect.stringMatching(/no site "nowhere"/) });
    // Nothing refused was recorded.
    expect(kindred('expert', 'list', 'riverside')).toMatchObject({ code: 0, out: expect.stringMatching(/No experts yet/) });
    expect((await readSite('riverside')).roles).toEqual([]);
  });

  it('removes an expert of a topic, role and profile', async () => {
    kindred('site', 'add', 'riverside', '--origin', 'https://www.riverside.example');
    kindred('expert', 'add', 'riverside', 'ehr-7', '--topic', 'knee-replacement', '--credential', 'MD, Orthopaedic Surgery');
    kindred('expert', 'add', 'riverside', 'ehr-7', '--topic', 'hip-replacement', '--credential', 'MD, Orthopaedic Surgery');
    const removed = kindred('expert', 'remove', 'riverside', 'ehr-7', '--topic', 'knee-replacement');
    expect(removed).toMatchObject({ code: 0, out: expect.stringMatching(/ehr-7 is no longer an expert of "knee-replacement" on riverside/) });
    expect(JSON.parse(kindred('expert', 'list', 'riverside', '--json').out)).toMatchObject([{ externalId: 'ehr-7', topic: 'hip-replacement' }]);
    expect((await readSite('riverside')).roles.map(({ role, topic }) => [role, topic])).toEqual([['expert', 'hip-replacement']]);
    expect(kindred('expert', 'remove', 'riverside', 'ehr-7', '--topic', 'knee-replacement')).toMatchObject({ code: 1, err: expect.stringMatching(/does not hold expert \(knee-replacement\)/) });
    expect(kindred('expert', 'remove', 'riverside', 'ehr-7')).toMatchObject({ code: 2, err: expect.stringMatching(/--topic/) });
  });

  it('needs an SMTP server for the expert digest', () => {
    kindred('site', 'add', 'riverside', '--origin', 'https://www.riverside.example');
    expect(kindred('expert', 'digest', 'riverside')).toMatchObject({ code: 2, err: expect.stringMatching(/Set KINDRED_SMTP_URL/) });
    expect(kindred('expert', 'digest')).toMatchObject({ code: 2, err: expect.stringMatching(/Missing <site>/) });
    expect(kindred('expert', 'promote')).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown expert command "promote"/) });
  });

  it('sets up an introductions community and runs a round of it, printing figures and never names', async () => {
    expect(kindred('site', 'add', 'riverside', '--origin', 'https://www.riverside.example').code).toBe(0);
    const added = kindred('community', 'add', 'riverside', 'joint-replacement', '--name', 'Joint replacement', '--topic', 'knee-replacement=Knee replacement', '--stage', 'after-surgery=Recovering after surgery', '--language', 'en', '--rounds-every', 'off');
    expect(added).toMatchObject({ code: 0, out: expect.stringContaining('No scheduled rounds') });
    const store = openSqliteStore(dir.file('kindred.db'));
    try {
      const at = new Date().toISOString();
      for (const name of ['Ana Secretname', 'Ben Secretname']) {
        const user = await store.createUser({ siteId: 'riverside', kind: 'guest', externalId: null, displayName: name, createdAt: at });
        await store.saveProfile({ siteId: 'riverside', community: 'joint-replacement', userId: user.id, role: 'patient', wants: 'peer', topics: [{ id: 'knee-replacement' }], languages: ['en'], aboutPostId: null, at });
      }
    } finally {
      await store.close();
    }
    const ran = kindred('match', 'run', 'riverside', 'joint-replacement', '--json');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.out)).toMatchObject({ n: 1, members: 2, pairs: 1, trigger: 'admin', expired: 0 });
    const rounds = kindred('match', 'rounds', 'riverside', 'joint-replacement');
    expect(rounds.out).toMatch(/Round 1 \(admin\) of joint-replacement .*: 2 members, 1 introductions proposed/);
    expect(ran.out + rounds.out).not.toMatch(/Secretname/);
    expect(kindred('community', 'list', 'riverside').out).toContain('knee-replacement="Knee replacement"');

    expect(kindred('community', 'add', 'riverside', 'Bad Id', '--name', 'x y', '--topic', 'a')).toMatchObject({ code: 1, err: expect.stringContaining('not a community id') });
    expect(kindred('community', 'add', 'riverside', 'empty', '--name', 'Empty')).toMatchObject({ code: 1, err: expect.stringContaining('at least one topic') });
    expect(kindred('community', 'add', 'riverside', 'weekly', '--name', 'Weekly', '--topic', 'a', '--rounds-every', 'often')).toMatchObject({ code: 2 });
    expect(kindred('match', 'run', 'riverside', 'no-such-community')).toMatchObject({ code: 1, err: expect.stringContaining('no community "no-such-community"') });
  });
});
