import { ServiceError } from '../errors.js';
import type { ExpertProfile, Store } from '../store/store.js';
import { isValidNpi } from './npi.js';
import { RoleService } from './roles.js';
import type { SiteService } from './sites.js';

export interface NewExpert {
  siteId: string;
  externalId: string;
  topic: string;
  credential: string;
  npi?: string;
  email?: string;
}

const CREDENTIAL_MAX = 80;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Experts are assigned per topic by an admin (`kindred expert add`): the
 * expert role for the topic, and the credential their badge shows. An NPI,
 * when given, must pass its check digit; it is kept for the hospital's
 * records and never shown.
 */
export class ExpertService {
  private readonly roles: RoleService;

  constructor(private readonly deps: { store: Store; sites: SiteService; now: () => Date }) {
    this.roles = new RoleService(deps);
  }

  async add(request: NewExpert): Promise<ExpertProfile> {
    const credential = request.credential.trim().replace(/\s+/g, ' ');
    if (credential.length < 2 || credential.length > CREDENTIAL_MAX) {
      throw invalid(`Give the credential the badge shows, 2 to ${CREDENTIAL_MAX} characters, e.g. "MD, Cardiology".`);
    }
    const npi = request.npi?.trim();
    if (npi !== undefined && !isValidNpi(npi)) {
      throw invalid(`"${npi}" is not a valid NPI: it must be 10 digits whose last digit is the check digit. Check it against the NPI registry.`);
    }
    const email = request.email?.trim();
    if (email !== undefined && !EMAIL.test(email)) throw invalid(`"${email}" is not an email address.`);
    const grants = await this.roles.change({ siteId: request.siteId, externalId: request.externalId, role: 'expert', topic: request.topic });
    const grant = grants.find((held) => held.role === 'expert' && held.topic === request.topic)!;
    // Running it again updates what is given and keeps what is not.
    const earlier = (await this.deps.store.listExperts(grant.siteId, grant.topic)).find((expert) => expert.externalId === grant.externalId);
    const profile: ExpertProfile = {
      siteId: grant.siteId,
      externalId: grant.externalId,
      topic: grant.topic,
      credential,
      npi: npi ?? earlier?.npi ?? null,
      email: email ?? earlier?.email ?? null,
      createdAt: earlier?.createdAt ?? this.deps.now().toISOString(),
    };
    await this.deps.store.saveExpert(profile);
    return profile;
  }

  /** Takes away the expert role for the topic and its profile. */
  async remove(request: { siteId: string; externalId: string; topic: string }): Promise<void> {
    const hadProfile = await this.deps.store.removeExpert(request.siteId, request.externalId, request.topic);
    try {
      await this.roles.change({ ...request, role: 'expert', remove: true });
    } catch (error) {
      // The role may have been taken away on its own (`kindred user role … --remove`); the profile still had to go.
      if (!hadProfile) throw error;
    }
  }

  async list(siteId: string): Promise<ExpertProfile[]> {
    const site = await this.deps.sites.get(siteId);
    return this.deps.store.listExperts(site.id);
  }
}

function invalid(message: string): ServiceError {
  return new ServiceError('INVALID_INPUT', message);
}
