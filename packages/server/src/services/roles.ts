import { ROLES, SLUG_PATTERN, type Role } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import type { RoleGrant, Store } from '../store/store.js';
import type { SiteService } from './sites.js';

const EXTERNAL_ID_MAX = 200;

/**
 * Roles of the host site's users, kept by this server (`kindred user role`).
 * A user is named by the host's own id, the `sub` of its tokens, so roles can
 * be given before the person first signs in.
 */
export class RoleService {
  constructor(private readonly deps: { store: Store; sites: SiteService; now: () => Date }) {}

  /** Grants (or with `remove`, takes away) a role; returns every role the user then holds. */
  async change(request: { siteId: string; externalId: string; role: string; topic?: string; remove?: boolean }): Promise<RoleGrant[]> {
    const site = await this.deps.sites.get(request.siteId);
    const grant: RoleGrant = { siteId: site.id, externalId: checkedUserId(request.externalId), role: checkedRole(request.role), topic: '' };
    if (grant.role === 'expert') {
      if (!request.topic) throw invalid('An expert is an expert in a topic: add --topic <topic>.');
      if (!SLUG_PATTERN.test(request.topic)) throw invalid(`"${request.topic}" is not a topic id: use lower-case letters, digits and dashes.`);
      grant.topic = request.topic;
    } else if (request.topic) {
      throw invalid(`"${grant.role}" applies to the whole site; drop --topic.`);
    }
    if (request.remove) {
      if (!(await this.deps.store.revokeRole(grant))) throw invalid(`${grant.externalId} does not hold ${describe(grant)} on ${site.id}.`);
    } else {
      await this.deps.store.grantRole(grant, this.deps.now().toISOString());
    }
    return this.deps.store.rolesOf(site.id, grant.externalId);
  }
}

export function describe(grant: Pick<RoleGrant, 'role' | 'topic'>): string {
  return grant.topic ? `${grant.role} (${grant.topic})` : grant.role;
}

function checkedRole(role: string): Exclude<Role, 'member'> {
  if (role === 'member') throw invalid('Everyone who signs in through the host site is a member already; give expert, moderator or admin.');
  if (!(ROLES as readonly string[]).includes(role)) throw invalid(`"${role}" is not a role; use expert, moderator or admin.`);
  return role as Exclude<Role, 'member'>;
}

function checkedUserId(id: string): string {
  if (id.length === 0 || id.length > EXTERNAL_ID_MAX) throw invalid(`Give the user's id on the host site (its tokens' "sub"), 1 to ${EXTERNAL_ID_MAX} characters.`);
  return id;
}

function invalid(message: string): ServiceError {
  return new ServiceError('INVALID_INPUT', message);
}
