// The package's index.d.ts re-exports './browser/commands.mjs', which has no .d.mts beside it, so
// TypeScript finds no members under NodeNext resolution; this declares the one command the tests use.
declare module '@web/test-runner-visual-regression' {
  /** Compares a screenshot of `element` with the baseline called `name` (see web-test-runner.config.mjs). */
  export function visualDiff(element: Node, name: string): Promise<void>;
}
