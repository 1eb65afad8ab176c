import type { Identity } from '@kindred/protocol';
import { ServiceError } from '../errors.js';

/** Who is asking, and for which site. The site comes from the connection, never from a payload. */
export interface Caller {
  siteId: string;
  user: Identity | null;
}

export function requireUser(caller: Caller, action: string): Identity {
  if (!caller.user) throw new ServiceError('NOT_SIGNED_IN', `Choose a display name or sign in to ${action}.`);
  return caller.user;
}
