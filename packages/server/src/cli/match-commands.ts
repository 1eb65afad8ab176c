import { checkedCommunity, parseOption } from '../services/communities.js';
import { MatchRounds } from '../services/match-rounds.js';
import { SiteService } from '../services/sites.js';
import type { CommunityRecord, RoundRecord, Store } from '../store/store.js';
import { parse, type Print } from './parse.js';
import { COMMUNITY_ADD_HELP, COMMUNITY_LIST_HELP, MATCH_ROUNDS_HELP, MATCH_RUN_HELP, UsageError } from './usage.js';

const DEFAULT_ROUND_HOURS = 168;

/** `kindred community add|list`. */
export async function communityCommand(store: Store, args: string[], print: Print): Promise<void> {
  const [sub, ...rest] = args;
  const sites = new SiteService(store);
  switch (sub) {
    case 'add': {
      const parsed = parse(
        rest,
        {
          name: { type: 'string' },
          topic: { type: 'string', multiple: true },
          stage: { type: 'string', multiple: true },
          language: { type: 'string', multiple: true },
          'rounds-every': { type: 'string' },
        },
        COMMUNITY_ADD_HELP,
        ['site', 'id'],
      );
      if (!parsed) return print(COMMUNITY_ADD_HELP);
      const [siteId, id] = parsed.positionals as [string, string];
      const values = parsed.values as { name?: string; topic?: string[]; stage?: string[]; language?: string[]; 'rounds-every'?: string };
      if (!values.name) throw new UsageError('Give the community a name: --name "Joint replacement".', COMMUNITY_ADD_HELP);
      const site = await sites.get(siteId);
      const community = await store.saveCommunity(
        checkedCommunity({
          siteId: site.id,
          id,
          name: values.name,
          topics: (values.topic ?? []).map(parseOption),
          stages: (values.stage ?? []).map(parseOption),
          languages: values.language ?? ['en'],
          roundEveryHours: roundHours(values['rounds-every']),
        }),
        new Date().toISOString(),
      );
      print(`Saved community "${community.id}" on ${site.id}: ${community.topics.length} topics, ${community.stages.length} stages, languages ${community.languages.join(', ')}.`);
      print(community.nextRoundAt ? `Rounds every ${community.roundEveryHours} hours; the next is due ${community.nextRoundAt}.` : 'No scheduled rounds: run them with "kindred match run".');
      return;
    }
    case 'list': {
      const parsed = parse(rest, { json: { type: 'boolean' } }, COMMUNITY_LIST_HELP, ['site']);
      if (!parsed) return print(COMMUNITY_LIST_HELP);
      const site = await sites.get(parsed.positionals[0]!);
      const list = await store.listCommunities(site.id);
      if (parsed.values.json) return print(JSON.stringify(list, null, 2));
      if (list.length === 0) return print('No communities yet. Add one with: kindred community add <site> <id> --name <text> --topic <id=Label>');
      for (const community of list) print(describeCommunity(community));
      return;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      return print([COMMUNITY_ADD_HELP, COMMUNITY_LIST_HELP].join('\n\n'));
    default:
      throw new UsageError(`Unknown community command "${sub}"; use add or list.`, 'Run "kindred community --help".');
  }
}

/** `kindred match run|rounds`. The round is written to the store; a running server tells the members. */
export async function matchCommand(store: Store, args: string[], print: Print): Promise<void> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'run': {
      const parsed = parse(rest, { json: { type: 'boolean' } }, MATCH_RUN_HELP, ['site', 'community']);
      if (!parsed) return print(MATCH_RUN_HELP);
      const [siteId, community] = parsed.positionals as [string, string];
      const site = await new SiteService(store).get(siteId);
      const { round, expired } = await new MatchRounds({ store, now: () => new Date() }).run(site.id, community, 'admin');
      if (parsed.values.json) return print(JSON.stringify({ ...round, expired: expired.length }, null, 2));
      print(describeRound(round));
      if (expired.length) print(`${expired.length} earlier proposal(s) lapsed unanswered.`);
      return;
    }
    case 'rounds': {
      const parsed = parse(rest, { json: { type: 'boolean' }, limit: { type: 'string' } }, MATCH_ROUNDS_HELP, ['site', 'community']);
      if (!parsed) return print(MATCH_ROUNDS_HELP);
      const [siteId, community] = parsed.positionals as [string, string];
      const limit = parsed.values.limit === undefined ? 10 : Number(parsed.values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit is a number from 1 to 1000.', MATCH_ROUNDS_HELP);
      const rounds = await store.listRounds((await new SiteService(store).get(siteId)).id, community, limit);
      if (parsed.values.json) return print(JSON.stringify(rounds, null, 2));
      if (rounds.length === 0) return print(`No rounds yet for "${community}". Run one with: kindred match run ${siteId} ${community}`);
      for (const round of rounds) print(describeRound(round));
      return;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      return print([MATCH_RUN_HELP, MATCH_ROUNDS_HELP].join('\n\n'));
    default:
      throw new UsageError(`Unknown match command "${sub}"; use run or rounds.`, 'Run "kindred match --help".');
  }
}

function roundHours(text: string | undefined): number | null {
  if (text === undefined) return DEFAULT_ROUND_HOURS;
  if (text === 'off') return null;
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`--rounds-every is a number of hours or "off", not "${text}".`, COMMUNITY_ADD_HELP);
  return Number(text);
}

function describeCommunity(community: CommunityRecord): string {
  const schedule = community.nextRoundAt ? `every ${community.roundEveryHours} h, next ${community.nextRoundAt}` : 'rounds by "match run" only';
  return [
    `${community.id}  "${community.name}"  (${schedule})`,
    `  topics: ${community.topics.map((topic) => `${topic.id}="${topic.label}"`).join(', ')}`,
    `  stages: ${community.stages.map((stage) => `${stage.id}="${stage.label}"`).join(', ') || 'none'}`,
    `  languages: ${community.languages.join(', ')}`,
  ].join('\n');
}

function describeRound(round: RoundRecord): string {
  return `Round ${round.n} (${round.trigger}) of ${round.community} at ${round.startedAt}: ${round.members} members, ${round.pairs} introductions proposed, score ${round.totalScore}, ${round.candidateEdges} candidate pairs, ${round.algorithm}, ${round.tookMs} ms.`;
}
