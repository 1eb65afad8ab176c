import { optionsFromEnv } from './config.js';
import { serve } from './serve.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';

const USAGE = `Usage: kindred <command>

Commands:
  serve     start the server (PORT, HOST, KINDRED_DB, KINDRED_DEMO_ORIGINS, KINDRED_PUBLIC_URL, KINDRED_SECRET)
  migrate   apply database migrations to KINDRED_DB and exit
  help      show this text`;

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

async function run(command: string | undefined): Promise<void> {
  switch (command) {
    case 'serve':
    case undefined:
      return serve(process.env);
    case 'migrate':
      return migrate();
    case 'help':
    case '--help':
    case '-h':
      console.info(USAGE);
      return;
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

run(process.argv[2]).catch((error: unknown) => {
  console.error(`kindred: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
