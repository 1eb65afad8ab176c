import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';

type Key = Parameters<SignJWT['sign']>[0];

/** A host token as a hospital backend would sign it; `claims` overrides or (with undefined) removes defaults. */
export async function hostToken(
  key: Key | string,
  claims: JWTPayload & Record<string, unknown>,
  header: { alg: string; kid?: string } = { alg: 'HS256' },
  now = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const payload: Record<string, unknown> = { name: 'Maria Lopez', iat, exp: iat + 600, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const signingKey = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', ...header }).sign(signingKey);
}

/** An unsigned token (`alg: none`), which must never be accepted. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

export interface JwksServer {
  url: string;
  es256: { privateKey: Key; kid: string };
  rs256: { privateKey: Key; kid: string };
  /** How many times the key set was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

/** Serves a JWKS with one ES256 and one RS256 public key on loopback, as a hospital's identity provider would. */
export async function jwksServer(): Promise<JwksServer> {
  const es = await generateKeyPair('ES256');
  const rs = await generateKeyPair('RS256');
  const keys: JWK[] = [
    { ...(await exportJWK(es.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
    { ...(await exportJWK(rs.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' },
  ];
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    es256: { privateKey: es.privateKey, kid: 'es-1' },
    rs256: { privateKey: rs.privateKey, kid: 'rs-1' },
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
