import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '@kindred/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { SERVER_VERSION } from '../paths.js';
import { client, session } from '../testing/socket-client.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';

const ALLOWED = 'http://127.0.0.1:5999';

/** A raw request, so paths like `/../x` reach the server unnormalised (fetch would resolve them). */
function raw(url: string, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP routes', () => {
  const dir = tempDir();
  let server: RunningServer;

  beforeAll(async () => {
    const widgetsDir = join(dir.path, 'public', 'widgets');
    const demoDir = join(dir.path, 'public', 'demo');
    mkdirSync(join(widgetsDir, 'chunks'), { recursive: true });
    mkdirSync(join(demoDir, 'moderation'), { recursive: true });
    writeFileSync(join(widgetsDir, 'kindred.js'), "import('./kindred-thread.js');\n");
    writeFileSync(join(widgetsDir, 'kindred.js.map'), '{"version":3}');
    writeFileSync(join(widgetsDir, 'chunks', 'thread-3f9a.js'), 'export const x = 1;\n');
    writeFileSync(join(widgetsDir, '.env'), 'SECRET=widgets-dotfile');
    writeFileSync(join(dir.path, 'public', 'secret.txt'), 'TOP-SECRET');
    writeFileSync(join(dir.path, 'secret.txt'), 'TOP-SECRET');
    writeFileSync(join(demoDir, 'index.html'), '<!doctype html><title>Riverside General</title>');
    writeFileSync(join(demoDir, 'moderation', 'index.html'), '<!doctype html><title>Moderation</title>');
    // Not about moderation: the demo site publishes a guest's first post at once here.
    const demoHeldFirstPosts = { guest: 0, member: 0 };
    server = await startServer({ port: 0, dbPath: dir.file('kindred.db'), widgetsDir, demoDir, demoOrigins: [ALLOWED], demoHeldFirstPosts, log: silentLog });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('answers /healthz with version, protocol and store status', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'ok', version: SERVER_VERSION, protocol: PROTOCOL_VERSION, store: { kind: 'sqlite', ok: true } });
  });

  describe('widget bundle', () => {
    it('serves /kindred.js to any origin, revalidated on every load', async () => {
      const response = await fetch(`${server.url}/kindred.js`, { headers: { origin: 'https://any-hospital.example' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('kindred-thread.js');
    });

    it('caches hashed chunks for good, and serves source maps as JSON', async () => {
      const chunk = await fetch(`${server.url}/chunks/thread-3f9a.js`);
      expect(chunk.status).toBe(200);
      expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
      const map = await fetch(`${server.url}/kindred.js.map`);
      expect(map.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('keeps CORS on revalidation (304)', async () => {
      const first = await fetch(`${server.url}/kindred.js`);
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      const again = await fetch(`${server.url}/kindred.js`, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
      expect(again.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('never serves files outside its folders, dot-files, or broken paths', async () => {
      for (const path of [
        '/../secret.txt',
        '/../../secret.txt',
        '/%2e%2e/secret.txt',
        '/%2E%2E/%2E%2E/secret.txt',
        '/chunks/..%2f..%2fsecret.txt',
        '/demo/../../secret.txt',
        '/demo/%2e%2e/%2e%2e/secret.txt',
        '/.env',
        '/%2eenv',
        '/%E0%A4%A',
        '/demo/%',
        '//etc/passwd',
      ]) {
        const response = await raw(server.url, path);
        expect(response.status, path).toBeGreaterThanOrEqual(400);
        expect(response.body, path).not.toMatch(/TOP-SECRET|widgets-dotfile|root:/);
      }
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });
  });

  describe('demo site', () => {
    it('redirects / to /demo/ and serves index.html for folders', async () => {
      const root = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/demo/');
      const demo = await fetch(`${server.url}/demo/`);
      expect(demo.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await demo.text()).toContain('Riverside General');
      expect(await (await fetch(`${server.url}/demo/moderation/`)).text()).toContain('Moderation');
      expect(demo.headers.get('content-security-policy')).toBeNull();
    });

    it('serves the same pages under /demo/strict/ with the strict policy a hospital would send', async () => {
      const strict = await fetch(`${server.url}/demo/strict/`);
      expect(await strict.text()).toContain('Riverside General');
      const policy = strict.headers.get('content-security-policy') ?? '';
      expect(policy).toContain(`script-src 'self' ${server.url}`);
      expect(policy).toContain("require-trusted-types-for 'script'; trusted-types lit-html");
      const nested = await fetch(`${server.url}/demo/strict/moderation/`);
      expect(await nested.text()).toContain('Moderation');
      expect(nested.headers.get('content-security-policy')).toBe(policy);
      const bare = await fetch(`${server.url}/demo/strict`, { redirect: 'manual' });
      expect(bare.headers.get('location')).toBe('/demo/strict/');
      // Any spelling of the path gets the policy, even where it serves nothing.
      const encoded = await fetch(`${server.url}/demo/%73trict/`);
      expect(encoded.headers.get('content-security-policy')).toBe(policy);
    });
  });

  it('answers unknown paths and methods with JSON errors', async () => {
    const missing = await fetch(`${server.url}/nothing-here.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await fetch(`${server.url}/api/unknown`)).status).toBe(404);
    const post = await fetch(`${server.url}/healthz`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  describe('thread list API', () => {
    const api = (site: string, topic: string, query = '') => `${server.url}/api/sites/${site}/topics/${topic}/posts${query}`;

    beforeAll(async () => {
      const socket = client(server.url);
      await session(socket);
      await socket.ask('session:guest', { displayName: 'Maria' });
      for (let i = 1; i <= 3; i++) await socket.ask('post:create', { topic: 'hip', clientId: `c${i}`, body: `post ${i}` });
      socket.disconnect();
    });

    it('returns the same page as thread:list', async () => {
      const response = await fetch(api('demo', 'hip', '?sort=oldest&limit=2'));
      expect(response.status).toBe(200);
      const page = (await response.json()) as { posts: Array<{ body: string }>; nextCursor: string; seq: number };
      expect(page.posts.map((post) => post.body)).toEqual(['post 1', 'post 2']);
      expect(page.seq).toBe(3);
      const socket = client(server.url);
      await session(socket);
      const viaSocket = await socket.ask('thread:list', { topic: 'hip', sort: 'oldest', limit: 2 });
      socket.disconnect();
      expect(viaSocket).toEqual({ ok: true, data: page });
      const rest = await (await fetch(api('demo', 'hip', `?sort=oldest&cursor=${page.nextCursor}`))).json();
      expect(rest).toMatchObject({ posts: [{ body: 'post 3' }], nextCursor: null });
      expect(await (await fetch(api('demo', 'hip'))).json()).toMatchObject({ posts: [{ body: 'post 3' }, {}, {}] });
    });

    it('reflects an allowed origin, and refuses any other with 403', async () => {
      const allowed = await fetch(api('demo', 'hip'), { headers: { origin: ALLOWED } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(allowed.headers.get('vary')).toMatch(/Origin/);

      const other = await fetch(api('demo', 'hip'), { headers: { origin: 'https://evil.example' } });
      expect(other.status).toBe(403);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect(await other.json()).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });

      const sameOrigin = await fetch(api('demo', 'hip'));
      expect(sameOrigin.status).toBe(200);
      expect(sameOrigin.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers unknown sites and bad queries with clear errors', async () => {
      const unknown = await fetch(api('nowhere', 'hip'));
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_SITE' } });
      for (const url of [api('demo', 'hip', '?sort=loudest'), api('demo', 'Not%20A%20Slug'), api('demo', 'hip', '?limit=5000'), api('demo', 'hip', '?cursor=garbage'), api('demo', '%E0%A4%A')]) {
        const bad = await fetch(url);
        expect(bad.status, url).toBe(400);
        expect(await bad.json(), url).toMatchObject({ error: { code: 'INVALID_INPUT' } });
      }
    });
  });

  it('reports 503 when the store stops answering', async () => {
    const dbDir = tempDir();
    const broken = await startServer({ port: 0, dbPath: dbDir.file('broken.db'), widgetsDir: dbDir.path, demoDir: dbDir.path, log: silentLog });
    await broken.store.close();
    const response = await fetch(`${broken.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unavailable', store: { kind: 'sqlite', ok: false } });
    await broken.close();
    dbDir.remove();
  });
});
