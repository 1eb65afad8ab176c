import { optionsFromEnv } from './config.js';
import { startServer } from './index.js';

/** `kindred serve`: start from the environment and close gracefully on SIGINT/SIGTERM. */
export async function serve(env: NodeJS.ProcessEnv): Promise<void> {
  const options = optionsFromEnv(env);
  const server = await startServer(options);
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : new URL(server.url).hostname;
  console.info(`Kindred listening on http://${shownHost}:${server.port} (store: sqlite ${options.dbPath})`);
  if (options.publicUrl) console.info(`Public URL: ${options.publicUrl}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`Kindred: ${signal} again, exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.info(`Kindred: ${signal} received, closing.`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Kindred: error while closing', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
