import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HostAuth, expiryOf } from './host-auth.js';

/** A compact JWT with this payload; unsigned, since the client never verifies. */
const jwt = (payload: object): string =>
  ['{"alg":"HS256"}', JSON.stringify(payload)].map((part) => Buffer.from(part).toString('base64url')).join('.') +
  '.c2lnbmF0dXJl';

/** The host site's auth endpoint on loopback: answers with whatever `next` says. */
let host: Server;
let hostUrl: string;
let next: { status: number; body?: string } = { status: 204 };
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  host = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(next.status, next.body ? { 'content-type': 'application/json' } : {});
    res.end(next.body);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/session/kindred-token`;
});

afterAll(() => new Promise((resolve) => host.close(resolve)));

const open: HostAuth[] = [];
afterEach(() => {
  for (const auth of open.splice(0)) auth.close();
  vi.useRealTimers();
  seen.length = 0;
});

function follow(options: Partial<ConstructorParameters<typeof HostAuth>[1]> = {}) {
  const changes: (string | null)[] = [];
  const auth = new HostAuth(hostUrl, { onChange: (token) => changes.push(token), ...options });
  open.push(auth);
  return { auth, changes };
}

describe('HostAuth against a loopback auth URL', () => {
  it('reads {token} from a 200 JSON answer, asking with credentials and accept: application/json', async () => {
    const token = jwt({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 600 });
    next = { status: 200, body: JSON.stringify({ token }) };
    const calls: [RequestInfo | URL, RequestInit | undefined][] = [];
    const { auth, changes } = follow({ fetch: (url, init) => (calls.push([url, init]), fetch(url, init)) });
    await auth.ready;
    expect(auth.token).toBe(token);
    expect(changes).toEqual([token]);
    expect(calls[0]![1]).toMatchObject({ credentials: 'include', headers: { accept: 'application/json' } });
    expect(seen[0]!.accept).toBe('application/json');
  });

  it('takes 204 and 401 as signed out, and reports only changes', async () => {
    next = { status: 204 };
    const { auth, changes } = follow();
    await auth.ready;
    expect(auth.token).toBeNull();
    next = { status: 401, body: '{"error":"login required"}' };
    await auth.refresh();
    next = { status: 200, body: JSON.stringify({ token: jwt({ exp: Math.floor(Date.now() / 1000) + 600 }) }) };
    await auth.refresh();
    next = { status: 401 };
    await auth.refresh();
    expect(changes).toEqual([null, expect.any(String), null]);
  });

  it('keeps the state on any other answer: 500, HTML, a missing token, a token over the size limit', async () => {
    const token = jwt({ exp: Math.floor(Date.now() / 1000) + 600 });
    next = { status: 200, body: JSON.stringify({ token }) };
    const { auth, changes } = follow();
    await auth.ready;
    for (const answer of [
      { status: 500 },
      { status: 302 },
      { status: 200, body: '<html>login</html>' },
      { status: 200, body: '{"jwt":"x"}' },
      { status: 200, body: JSON.stringify({ token: 'x'.repeat(5000) }) },
    ]) {
      next = answer;
      await auth.refresh();
      expect(auth.token).toBe(token);
    }
    expect(changes).toEqual([token]);
  });

  it('resolves a relative auth URL against the page', () => {
    vi.stubGlobal('location', { href: 'https://hospital.example/patients/knee.html' });
    try {
      const { auth } = follow({ fetch: () => Promise.reject(new Error('offline')) });
      expect(auth.url).toBe(hostUrl);
      const relative = new HostAuth('/session/kindred-token', { onChange() {}, fetch: () => Promise.reject(new Error('offline')) });
      open.push(relative);
      expect(relative.url).toBe('https://hospital.example/session/kindred-token');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('HostAuth timing', () => {
  /** A fake host whose answers the test sets, counting the requests. */
  function fakeHost(answer: () => Response) {
    const state = { calls: 0 };
    const fetchStub = async (): Promise<Response> => {
      state.calls++;
      return answer();
    };
    return { state, fetch: fetchStub as typeof fetch };
  }

  it('asks again a minute before the token expires', async () => {
    vi.useFakeTimers({ now: Date.parse('2025-06-01T10:00:00Z') });
    const exp = Date.now() / 1000 + 10 * 60;
    const host = fakeHost(() => Response.json({ token: jwt({ exp }) }));
    const { auth } = follow({ fetch: host.fetch });
    await auth.ready;
    expect(host.state.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(9 * 60_000 - 1000);
    expect(host.state.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.state.calls).toBe(2);
  });

  it('backs off after failures and does not chase a token that is already expired', async () => {
    vi.useFakeTimers({ now: Date.parse('2025-06-01T10:00:00Z') });
    let failing = true;
    const host = fakeHost(() =>
      failing ? new Response('busy', { status: 503 }) : Response.json({ token: jwt({ exp: Date.now() / 1000 - 5 }) }),
    );
    const { auth } = follow({ fetch: host.fetch });
    await auth.ready;
    expect(auth.token).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5000); // 1st retry after 5 s
    await vi.advanceTimersByTimeAsync(10_000); // 2nd after 10 s more
    expect(host.state.calls).toBe(3);
    failing = false;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(host.state.calls).toBe(4);
    expect(auth.token).toEqual(expect.any(String));
    // Expired on arrival: asked again only after minutes, not in a loop.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(host.state.calls).toBe(4);
  });

  it('asks again when the page becomes visible or focused, once for both, not while hidden', async () => {
    vi.useFakeTimers({ now: Date.parse('2025-06-01T10:00:00Z') });
    const host = fakeHost(() => new Response(null, { status: 204 }));
    const events = new EventTarget();
    let visible = false;
    const { auth } = follow({ fetch: host.fetch, events, isVisible: () => visible });
    await auth.ready;
    await vi.advanceTimersByTimeAsync(10_000);
    events.dispatchEvent(new Event('visibilitychange'));
    expect(host.state.calls).toBe(1);
    visible = true;
    events.dispatchEvent(new Event('visibilitychange'));
    events.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(0);
    expect(host.state.calls).toBe(2);
    await vi.advanceTimersByTimeAsync(6000);
    events.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(0);
    expect(host.state.calls).toBe(3);
    auth.close();
    await vi.advanceTimersByTimeAsync(6000);
    events.dispatchEvent(new Event('focus'));
    expect(host.state.calls).toBe(3);
  });
});

describe('expiryOf', () => {
  it('reads exp from a base64url payload without verifying, and null from anything else', () => {
    expect(expiryOf(jwt({ exp: 1_900_000_000, name: 'Zoë ~~??' }))).toBe(1_900_000_000_000);
    expect(expiryOf(jwt({ sub: 'x' }))).toBeNull();
    expect(expiryOf('not-a-jwt')).toBeNull();
    expect(expiryOf('a.%%%.c')).toBeNull();
  });
});
