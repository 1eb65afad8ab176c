/**
 * The DEMO hospital's own login, for the `demo` site only. Riverside General
 * (the fictional hospital under /demo/) needs a login of its own so its staff
 * page can show the moderator console; this plays that hospital's backend on
 * Kindred's origin. It is not part of Kindred's sign-in: a real hospital logs
 * its people in on its own site and signs their tokens there (docs/integration.md).
 * Anyone can "log in" here as the demo moderator or a demo patient: that is
 * the point of a demo, and why it signs for the `demo` site and nothing else.
 *
 *   GET /demo/auth/login?as=moderator|expert|patient  sets the demo hospital's session cookie, back to the page
 *   GET /demo/auth/logout                      clears it, back to the page
 *   GET /demo/auth/token                       200 {token} (HS256, aud demo, 10 min) or 401
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT } from 'jose';
import { newSigningSecret, DEMO_SITE_ID } from '../services/sites.js';
import type { Store } from '../store/store.js';
import { sendError, sendJson } from './respond.js';

const COOKIE = 'riverside_demo_login';
const TOKEN_LIFETIME_S = 10 * 60;

/** The demo hospital's people; the server seeds the moderator role for `demo-moderator` and the knee-replacement expert `demo-expert`. */
const DEMO_PEOPLE = {
  moderator: { sub: 'demo-moderator', name: 'Dr. Priya Patel (moderator)' },
  expert: { sub: 'demo-expert', name: 'Dr. Alex Morgan' },
  patient: { sub: 'demo-patient-1', name: 'Maria G.' },
} as const;
type DemoLogin = keyof typeof DEMO_PEOPLE;

const isDemoLogin = (value: string | null | undefined): value is DemoLogin => !!value && Object.hasOwn(DEMO_PEOPLE, value);

export type DemoHospitalHandler = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<void>;

/** Handles `/demo/auth/…`; anything else under it is 404. */
export function demoHospitalLogin(store: Store): DemoHospitalHandler {
  // One secret even when two token requests race on a demo site that has none yet.
  let secret: Promise<string> | null = null;
  const demoSecret = (): Promise<string> =>
    (secret ??= (async () => {
      const existing = await store.siteSecret(DEMO_SITE_ID);
      if (existing) return existing;
      // `pnpm demo` without KINDRED_DEMO_SECRET: give the demo site a secret so its login works.
      const fresh = newSigningSecret();
      await store.setSiteSecret(DEMO_SITE_ID, fresh);
      return fresh;
    })().catch((error: unknown) => {
      secret = null;
      throw error;
    }));

  return async (req, res, path, query) => {
    if (path === '/demo/auth/login') {
      const as = query.get('as');
      if (!isDemoLogin(as)) return sendError(res, 400, 'INVALID_INPUT', 'Log in to the demo hospital with ?as=moderator, ?as=expert or ?as=patient.', 'as');
      return backToPage(req, res, `${COOKIE}=${as}; Path=/demo/; HttpOnly; SameSite=Lax`);
    }
    if (path === '/demo/auth/logout') {
      return backToPage(req, res, `${COOKIE}=; Path=/demo/; HttpOnly; SameSite=Lax; Max-Age=0`);
    }
    if (path === '/demo/auth/token') {
      const login = loginOf(req);
      if (!login) return sendError(res, 401, 'NOT_SIGNED_IN', 'Nobody is logged in to the demo hospital.');
      const person = DEMO_PEOPLE[login];
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ name: person.name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(person.sub)
        .setAudience(DEMO_SITE_ID)
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_LIFETIME_S)
        .sign(new TextEncoder().encode(await demoSecret()));
      return sendJson(res, 200, { token });
    }
    sendError(res, 404, 'NOT_FOUND', `Nothing at ${path}.`);
  };
}

function loginOf(req: IncomingMessage): DemoLogin | null {
  const value = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]*)`).exec(req.headers.cookie ?? '')?.[1];
  return isDemoLogin(value) ? value : null;
}

/** Back to the demo page the visitor came from (its path only, so never off this origin); the staff page otherwise. */
function backToPage(req: IncomingMessage, res: ServerResponse, cookie: string): void {
  let location = '/demo/admin/';
  try {
    const from = new URL(req.headers.referer ?? '');
    if (from.pathname.startsWith('/demo/') && !from.pathname.startsWith('/demo/auth/')) location = from.pathname;
  } catch {
    // no usable Referer: the staff page
  }
  res.writeHead(302, { Location: location, 'Set-Cookie': cookie, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}
