/**
 * What component tests need of the host page: its auth URLs answered in the
 * page (standing in for the hospital's backend; the Kindred server stays
 * real), host tokens for the test server's `demo` site signed as that backend
 * would, and typing and clicking as a person does.
 */
declare global {
  interface Window {
    KINDRED_TEST_DEMO_SECRET: string;
  }
}

type Answer = () => Response | Promise<Response>;

/** The page's own fetch, for requests the tests must not intercept. */
export const realFetch = window.fetch;
const answers = new Map<string, Answer>();
// Only the paths a test registered are answered here; everything else goes out for real.
window.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input), location.href);
  const answer = answers.get(url.pathname);
  return answer ? Promise.resolve(answer()) : realFetch(input, init);
};

/** Makes the host page answer `path` (an auth URL) with `answer`. */
export function answerAuthUrl(path: string, answer: Answer): void {
  answers.set(path, answer);
}

const b64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A host token for the demo site, signed as the hospital's backend would (HS256, WebCrypto). */
export async function hostToken({ sub, name }: { sub: string; name: string }): Promise<string> {
  const encode = (value: unknown): string => b64url(new TextEncoder().encode(JSON.stringify(value)));
  const now = Math.floor(Date.now() / 1000);
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub, name, aud: 'demo', iat: now, exp: now + 600 })}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(window.KINDRED_TEST_DEMO_SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)));
  return `${input}.${b64url(signature)}`;
}

/** Types into a field as a person does: the value, then an input event. */
export function type(field: HTMLTextAreaElement | HTMLInputElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

const text = (node: Node): string => node.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** The button whose text is `name` (or matches it). */
export function button(scope: ParentNode, name: string | RegExp): HTMLButtonElement {
  const found = [...scope.querySelectorAll('button')].find((b) => (typeof name === 'string' ? text(b) === name : name.test(text(b))));
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}
