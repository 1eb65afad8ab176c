/**
 * What component tests ask of the test runner, outside the page: the
 * viewport, emulated media, real key presses (@web/test-runner-commands),
 * and an introductions round made by the real CLI on the test server's
 * database (`kindred-match-run`, see web-test-runner.config.mjs).
 */
import { emulateMedia, executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';

export { emulateMedia, sendKeys, setViewport };

/** `kindred match run demo <community> --json`, as the operator runs it; resolves with its summary. */
export function matchRound(community: string): Promise<{ pairs: number }> {
  return executeServerCommand('kindred-match-run', { community });
}

/** Emulates the visitor's colour-scheme preference (for theme="auto"). */
export function emulateColorScheme(colorScheme: 'light' | 'dark'): Promise<void> {
  return emulateMedia({ colorScheme });
}
