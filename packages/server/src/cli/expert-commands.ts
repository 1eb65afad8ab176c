import { ExpertService } from '../services/experts.js';
import { Mailer } from '../services/mailer.js';
import { QuestionMail } from '../services/question-mail.js';
import { SiteService } from '../services/sites.js';
import type { Store } from '../store/store.js';
import { parse, type Print } from './parse.js';
import { EXPERT_ADD_HELP, EXPERT_DIGEST_HELP, EXPERT_LIST_HELP, EXPERT_REMOVE_HELP, UsageError } from './usage.js';

/** `kindred expert add|list|remove|digest`; `smtp` is where the digest goes (KINDRED_SMTP_URL). */
export async function expertCommand(store: Store, args: string[], print: Print, smtp: { smtpUrl?: string; smtpFrom?: string } = {}): Promise<void> {
  const [sub, ...rest] = args;
  const now = () => new Date();
  const experts = new ExpertService({ store, sites: new SiteService(store), now });
  switch (sub) {
    case 'add': {
      const parsed = parse(
        rest,
        { topic: { type: 'string' }, credential: { type: 'string' }, npi: { type: 'string' }, email: { type: 'string' } },
        EXPERT_ADD_HELP,
        ['site', 'user'],
      );
      if (!parsed) return print(EXPERT_ADD_HELP);
      const [siteId, externalId] = parsed.positionals as [string, string];
      const { topic, credential, npi, email } = parsed.values as Record<string, string | undefined>;
      if (!topic) throw new UsageError('An expert is an expert in a topic: add --topic <topic>.', EXPERT_ADD_HELP);
      if (!credential) throw new UsageError('Give the credential their badge shows: --credential "MD, Cardiology".', EXPERT_ADD_HELP);
      const profile = await experts.add({ siteId, externalId, topic, credential, ...(npi !== undefined && { npi }), ...(email !== undefined && { email }) });
      print(`${profile.externalId} is now an expert of "${profile.topic}" on ${profile.siteId}, shown as "${profile.credential}" (from the next sign-in).`);
      if (profile.npi) print('NPI checked and recorded (never shown to visitors).');
      return;
    }
    case 'list': {
      const parsed = parse(rest, { json: { type: 'boolean' } }, EXPERT_LIST_HELP, ['site']);
      if (!parsed) return print(EXPERT_LIST_HELP);
      const list = (await experts.list(parsed.positionals[0]!)).map(({ npi, ...shown }) => ({ ...shown, npiRecorded: npi !== null }));
      if (parsed.values.json) return print(JSON.stringify(list, null, 2));
      if (list.length === 0) return print('No experts yet. Add one with: kindred expert add <site> <user> --topic <topic> --credential <text>');
      for (const expert of list) {
        print(`${expert.topic.padEnd(24)} ${expert.externalId.padEnd(24)} ${expert.credential}${expert.email ? `  <${expert.email}>` : ''}${expert.npiRecorded ? '  (NPI recorded)' : ''}`);
      }
      return;
    }
    case 'remove': {
      const parsed = parse(rest, { topic: { type: 'string' } }, EXPERT_REMOVE_HELP, ['site', 'user']);
      if (!parsed) return print(EXPERT_REMOVE_HELP);
      const [siteId, externalId] = parsed.positionals as [string, string];
      const topic = parsed.values.topic;
      if (typeof topic !== 'string') throw new UsageError('Say which topic: --topic <topic>.', EXPERT_REMOVE_HELP);
      await experts.remove({ siteId, externalId, topic });
      print(`${externalId} is no longer an expert of "${topic}" on ${siteId} (from the next sign-in).`);
      return;
    }
    case 'digest': {
      const parsed = parse(rest, {}, EXPERT_DIGEST_HELP, ['site']);
      if (!parsed) return print(EXPERT_DIGEST_HELP);
      if (!smtp.smtpUrl) throw new UsageError('Set KINDRED_SMTP_URL to the SMTP server the digest goes through.', EXPERT_DIGEST_HELP);
      const site = await new SiteService(store).get(parsed.positionals[0]!);
      const mailer = new Mailer({ smtpUrl: smtp.smtpUrl, ...(smtp.smtpFrom && { smtpFrom: smtp.smtpFrom }), log: console });
      try {
        const sent = await new QuestionMail({ store, mailer, now }).sendDigests(site.id);
        if (sent.length === 0) return print(`No expert of ${site.id} has questions waiting more than a day (or an address to send to).`);
        for (const digest of sent) print(`Sent ${digest.email}: ${digest.topics.map((entry) => `${entry.topic} ${entry.count}`).join(', ')}`);
      } finally {
        mailer.close();
      }
      return;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      return print([EXPERT_ADD_HELP, EXPERT_LIST_HELP, EXPERT_REMOVE_HELP, EXPERT_DIGEST_HELP].join('\n\n'));
    default:
      throw new UsageError(`Unknown expert command "${sub}"; use add, list, remove or digest.`, 'Run "kindred expert --help".');
  }
}
