/**
 * A fresh id for an optimistic send, matching /^[A-Za-z0-9_-]+$/. Uses
 * getRandomValues rather than randomUUID, which insecure (http) pages lack.
 */
export function newClientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
