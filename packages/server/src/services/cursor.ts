import type { Sort } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import type { PagePosition, PostRecord } from '../store/store.js';

/** Cursors are opaque to clients: base64url JSON naming the sort and the last post of the page. */
export function encodeCursor(sort: Sort, last: PostRecord): string {
  return Buffer.from(JSON.stringify({ s: sort, n: last.n, h: last.reactions.helpful })).toString('base64url');
}

export function decodeCursor(sort: Sort, cursor: string | undefined): PagePosition | null {
  if (cursor === undefined || cursor === '') return null;
  const invalid = new ServiceError('INVALID_INPUT', 'cursor: this page link is not valid; load the thread again', 'cursor');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof decoded !== 'object' || decoded === null) throw invalid;
  const { s, n, h } = decoded as Record<string, unknown>;
  if (s !== sort || !isCount(n) || !isCount(h)) throw invalid;
  return { n, helpful: h };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
