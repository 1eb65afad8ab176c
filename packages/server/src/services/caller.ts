import type { Identity } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import type { ClientAddress } from './client-address.js';

/** Who is asking, and for which site. The site comes from the connection, never from a payload. */
export interface Caller {
  siteId: string;
  user: Identity | null;
  /** Where the request came from; only ever hashed (rate limits). Absent in service tests. */
  address?: ClientAddress;
  /** For members: when the host token they signed in with expires (ms since the epoch). */
  memberUntil?: number;
}

export function requireUser(caller: Caller, action: string): Identity {
  if (!caller.user) throw new ServiceError('NOT_SIGNED_IN', `Choose a display name or sign in to ${action}.`);
  return caller.user;
}
