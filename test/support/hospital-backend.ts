/**
 * A hospital's own website with its own login, on its own origin: the page
 * embeds Kindred with `data-auth-url`, and its backend signs a short-lived
 * host token for whoever is logged in (HS256 with the site's secret), exactly
 * as docs/integration.md tells a hospital to do.
 */
import type { IncomingMessage } from 'node:http';
import { SignJWT } from 'jose';
import { startHostSite, type HostResponse, type HostSite } from './host-site.js';

/** How the backend signs, so tests can also play a misconfigured or stale one. */
export type Signing = 'valid' | 'expired' | 'wrong-key';

interface Login {
  sub: string;
  name: string;
  signing: Signing;
}

function loginOf(request: IncomingMessage): Login | null {
  const cookie = /(?:^|;\s*)hospital_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (!cookie) return null;
  try {
    return JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')) as Login;
  } catch {
    return null;
  }
}

async function signToken(login: Login, site: string, secret: string): Promise<string> {
  const key = new TextEncoder().encode(login.signing === 'wrong-key' ? `${secret}-but-not-quite` : secret);
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = login.signing === 'expired' ? now - 3600 : now;
  return new SignJWT({ name: login.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(login.sub)
    .setAudience(site)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 10 * 60)
    .sign(key);
}

export function hospitalPage(loader: string, site: string, topic: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Riverside General — patient portal</title>
    <script src="${loader}" data-site="${site}" data-auth-url="/auth/kindred-token" async></script>
  </head>
  <body>
    <main>
      <h1>Knee replacement recovery</h1>
      <kindred-thread topic="${topic}"></kindred-thread>
    </main>
  </body>
</html>`;
}

export function startHospitalBackend(options: {
  loader: string;
  site: string;
  secret: string;
  port?: number;
}): Promise<HostSite> {
  return startHostSite(async (url, request): Promise<HostResponse | string> => {
    switch (url.pathname) {
      case '/login': {
        const login: Login = {
          sub: url.searchParams.get('sub') ?? 'patient-1',
          name: url.searchParams.get('name') ?? 'Patient',
          signing: (url.searchParams.get('signing') as Signing | null) ?? 'valid',
        };
        const value = Buffer.from(JSON.stringify(login)).toString('base64url');
        return {
          body: '',
          status: 302,
          headers: {
            'set-cookie': `hospital_session=${value}; Path=/; HttpOnly; SameSite=Lax`,
            location: `/?topic=${url.searchParams.get('topic') ?? 'knee-replacement'}`,
          },
        };
      }
      case '/logout':
        return {
          body: '',
          status: 204,
          headers: { 'set-cookie': 'hospital_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' },
        };
      case '/auth/kindred-token': {
        const login = loginOf(request);
        if (!login) return { body: '', status: 401 };
        return {
          body: JSON.stringify({ token: await signToken(login, options.site, options.secret) }),
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        };
      }
      default:
        return hospitalPage(options.loader, options.site, url.searchParams.get('topic') ?? 'knee-replacement');
    }
  }, options.port);
}
