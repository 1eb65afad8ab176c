import { siteCommand, userCommand } from './cli/admin-commands.js';
import { expertCommand } from './cli/expert-commands.js';
import { communityCommand, matchCommand } from './cli/match-commands.js';
import { MAIN_HELP, UsageError } from './cli/usage.js';
import { optionsFromEnv } from './config.js';
import { ServiceError } from './errors.js';
import { serve } from './serve.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';

/** Opens KINDRED_DB, brings it up to date, runs `work` and closes it. */
async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const { dbPath } = optionsFromEnv(process.env);
  const store = openSqliteStore(dbPath);
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

async function migrate(): Promise<void> {
  const { dbPath } = optionsFromEnv(process.env);
  const store = openSqliteStore(dbPath);
  try {
    const applied = await store.migrate();
    console.info(applied.length ? `Applied migrations ${applied.join(', ')} to ${dbPath}.` : `${dbPath} is up to date.`);
  } finally {
    await store.close();
  }
}

const print = (line: string) => console.info(line);

async function run([command, ...rest]: string[]): Promise<void> {
  switch (command) {
    case 'serve':
    case undefined:
      return serve(process.env);
    case 'migrate':
      return migrate();
    case 'site':
      return withStore((store) => siteCommand(store, rest, print));
    case 'user':
      return withStore((store) => userCommand(store, rest, print));
    case 'expert': {
      const { smtpUrl, smtpFrom } = optionsFromEnv(process.env);
      return withStore((store) => expertCommand(store, rest, print, { ...(smtpUrl && { smtpUrl }), ...(smtpFrom && { smtpFrom }) }));
    }
    case 'community':
      return withStore((store) => communityCommand(store, rest, print));
    case 'match':
      return withStore((store) => matchCommand(store, rest, print));
    case 'help':
    case '--help':
    case '-h':
      console.info(MAIN_HELP);
      return;
    default:
      throw new UsageError(`Unknown command "${command}".`, MAIN_HELP);
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`kindred: ${error.message}\n\n${error.help}`);
    process.exit(2);
  }
  // A refusal (unknown site, bad origin…) carries a message for the operator; anything else is a failure.
  console.error(`kindred: ${error instanceof ServiceError || error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
