import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage.js';

export type Print = (line: string) => void;

export interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/** node:util parseArgs, with its errors turned into usage errors that show the command's help. */
export function parse(args: string[], options: ParseArgsConfig['options'], help: string, positionals: string[]): Parsed | null {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as Parsed;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), help);
  }
  if (parsed.values.help) return null;
  if (parsed.positionals.length !== positionals.length) {
    const missing = positionals.slice(parsed.positionals.length);
    throw new UsageError(
      missing.length ? `Missing ${missing.map((name) => `<${name}>`).join(' ')}.` : `Unexpected "${parsed.positionals[positionals.length]}".`,
      help,
    );
  }
  return parsed;
}

