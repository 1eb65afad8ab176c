import { LIMIT_NAMES, formatLimit, limitFor, parseLimitSetting, type LimitName } from '../services/rate-limits.js';
import { RoleService, describe } from '../services/roles.js';
import { SiteService, type SiteUpdate } from '../services/sites.js';
import type { RateLimitSetting, SiteRecord, Store } from '../store/store.js';
import { parse, type Parsed, type Print } from './parse.js';
import { SITE_ADD_HELP, SITE_LIST_HELP, SITE_ROTATE_HELP, SITE_UPDATE_HELP, UsageError, USER_ROLE_HELP } from './usage.js';

function secretLines(siteId: string, secret: string): string[] {
  return [
    `Signing secret for host tokens of "${siteId}" (HS256). It is shown only this once:`,
    'put it in the hospital backend\'s secret store now. If it is lost, run',
    `"kindred site rotate-secret ${siteId}" for a new one.`,
    '',
    `  ${secret}`,
    '',
  ];
}

export async function siteCommand(store: Store, args: string[], print: Print): Promise<void> {
  const [sub, ...rest] = args;
  const sites = new SiteService(store);
  switch (sub) {
    case 'add': {
      const parsed = parse(rest, { origin: { type: 'string', multiple: true }, name: { type: 'string' } }, SITE_ADD_HELP, ['id']);
      if (!parsed) return print(SITE_ADD_HELP);
      const { site, secret } = await sites.create(
        { id: parsed.positionals[0]!, origins: (parsed.values.origin as string[] | undefined) ?? [], ...(typeof parsed.values.name === 'string' && { name: parsed.values.name }) },
        new Date(),
      );
      print(`Created site "${site.id}" (${site.name}), allowing ${site.origins.join(', ')}.`);
      print('');
      for (const line of secretLines(site.id, secret)) print(line);
      return;
    }
    case 'list': {
      const parsed = parse(rest, { json: { type: 'boolean' } }, SITE_LIST_HELP, []);
      if (!parsed) return print(SITE_LIST_HELP);
      const list = await sites.list();
      if (parsed.values.json) return print(JSON.stringify(list.map(publicView), null, 2));
      if (list.length === 0) return print('No sites yet. Create one with: kindred site add <id> --origin <url>');
      for (const site of list) describeSite(site, print);
      return;
    }
    case 'update': {
      const parsed = parse(
        rest,
        {
          name: { type: 'string' },
          origin: { type: 'string', multiple: true },
          'add-origin': { type: 'string', multiple: true },
          'remove-origin': { type: 'string', multiple: true },
          guests: { type: 'string' },
          'members-only-topic': { type: 'string', multiple: true },
          'public-topic': { type: 'string', multiple: true },
          disclaimer: { type: 'string' },
          'jwks-url': { type: 'string' },
          'trust-token-roles': { type: 'string' },
          'rate-limit': { type: 'string', multiple: true },
          'record-number-pattern': { type: 'string', multiple: true },
        },
        SITE_UPDATE_HELP,
        ['id'],
      );
      if (!parsed) return print(SITE_UPDATE_HELP);
      const update = siteUpdateOf(parsed.values);
      if (Object.keys(update).length === 0) throw new UsageError('Say what to change.', SITE_UPDATE_HELP);
      const site = await sites.update(parsed.positionals[0]!, update);
      print(`Updated site "${site.id}".`);
      describeSite(site, print);
      return;
    }
    case 'rotate-secret': {
      const parsed = parse(rest, {}, SITE_ROTATE_HELP, ['id']);
      if (!parsed) return print(SITE_ROTATE_HELP);
      const siteId = parsed.positionals[0]!;
      const secret = await sites.rotateSecret(siteId);
      print(`Replaced the signing secret of "${siteId}"; tokens signed with the old one no longer work.`);
      print('');
      for (const line of secretLines(siteId, secret)) print(line);
      return;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      return print([SITE_ADD_HELP, SITE_LIST_HELP, SITE_UPDATE_HELP, SITE_ROTATE_HELP].join('\n\n'));
    default:
      throw new UsageError(`Unknown site command "${sub}"; use add, list, update or rotate-secret.`, 'Run "kindred site --help".');
  }
}

export async function userCommand(store: Store, args: string[], print: Print): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'role') {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') return print(USER_ROLE_HELP);
    throw new UsageError(`Unknown user command "${sub}"; use: kindred user role …`, USER_ROLE_HELP);
  }
  const parsed = parse(rest, { topic: { type: 'string' }, remove: { type: 'boolean' } }, USER_ROLE_HELP, ['site', 'user', 'role']);
  if (!parsed) return print(USER_ROLE_HELP);
  const [siteId, externalId, role] = parsed.positionals as [string, string, string];
  const roles = new RoleService({ store, sites: new SiteService(store), now: () => new Date() });
  const held = await roles.change({
    siteId,
    externalId,
    role,
    ...(typeof parsed.values.topic === 'string' && { topic: parsed.values.topic }),
    remove: parsed.values.remove === true,
  });
  print(`${parsed.values.remove ? 'Removed' : 'Gave'} ${role}${parsed.values.topic ? ` (${String(parsed.values.topic)})` : ''} ${parsed.values.remove ? 'from' : 'to'} ${externalId} on ${siteId}.`);
  print(`${externalId} now holds: member${held.map((grant) => `, ${describe(grant)}`).join('')} (from the next sign-in).`);
}

function siteUpdateOf(values: Parsed['values']): SiteUpdate {
  const list = (name: string) => values[name] as string[] | undefined;
  const text = (name: string) => values[name] as string | undefined;
  const update: SiteUpdate = {};
  if (text('name') !== undefined) update.name = text('name')!;
  if (list('origin')) update.origins = list('origin')!;
  if (list('add-origin')) update.addOrigins = list('add-origin')!;
  if (list('remove-origin')) update.removeOrigins = list('remove-origin')!;
  const guests = text('guests');
  if (guests !== undefined) {
    if (guests !== 'allow' && guests !== 'deny') throw new UsageError(`--guests takes allow or deny, not "${guests}".`, SITE_UPDATE_HELP);
    update.guestsAllowed = guests === 'allow';
  }
  if (list('members-only-topic')) update.addMembersOnlyTopics = list('members-only-topic')!;
  if (list('public-topic')) update.removeMembersOnlyTopics = list('public-topic')!;
  if (text('disclaimer') !== undefined) update.disclaimer = text('disclaimer')!;
  if (text('jwks-url') !== undefined) update.jwksUrl = text('jwks-url')!;
  const trust = text('trust-token-roles');
  if (trust !== undefined) {
    if (trust !== 'true' && trust !== 'false') throw new UsageError(`--trust-token-roles takes true or false, not "${trust}".`, SITE_UPDATE_HELP);
    update.trustTokenRoles = trust === 'true';
  }
  const patterns = list('record-number-pattern');
  // One empty pattern clears the list; otherwise the given patterns replace it.
  if (patterns) update.recordNumberPatterns = patterns.filter((pattern) => pattern !== '');
  if (list('rate-limit')) {
    const limits: Partial<Record<LimitName, RateLimitSetting | null>> = {};
    for (const item of list('rate-limit')!) {
      const reset = /^([A-Za-z]+)=default$/.exec(item);
      if (reset) {
        if (!(LIMIT_NAMES as string[]).includes(reset[1]!)) throw new UsageError(`There is no rate limit called "${reset[1]}".`, SITE_UPDATE_HELP);
        limits[reset[1] as LimitName] = null;
        continue;
      }
      try {
        const { name, setting } = parseLimitSetting(item);
        limits[name] = setting;
      } catch (error) {
        throw new UsageError((error as Error).message, SITE_UPDATE_HELP);
      }
    }
    update.rateLimits = limits;
  }
  return update;
}

/** Everything about a site except its secret, which is not part of SiteRecord. */
function publicView(site: SiteRecord) {
  return { ...site, signIn: site.jwksUrl ? 'jwks' : 'hs256' };
}

function describeSite(site: SiteRecord, print: Print): void {
  print(`${site.id}  ${site.name}`);
  print(`  origins:            ${site.origins.join(', ') || '(none)'}`);
  print(`  guests:             ${site.guestsAllowed ? 'allowed' : 'denied'}`);
  print(`  members-only:       ${site.membersOnlyTopics.join(', ') || '(no topics)'}`);
  print(`  host sign-in:       ${site.jwksUrl ? `RS256/ES256 via ${site.jwksUrl}` : 'HS256 with the site secret'}`);
  print(`  token roles:        ${site.trustTokenRoles ? 'trusted' : 'ignored (roles from "kindred user role")'}`);
  print(`  disclaimer:         ${site.disclaimer ?? '(none)'}`);
  const overrides = Object.keys(site.rateLimits) as LimitName[];
  print(`  rate limits:        ${overrides.length ? overrides.map((name) => `${name}=${formatLimit(limitFor(name, site))}`).join(', ') : 'defaults'}`);
}

