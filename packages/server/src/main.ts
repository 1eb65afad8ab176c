import { serve } from './serve.js';

serve(process.env).catch((error: unknown) => {
  console.error(`Kindred could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
