import { fileURLToPath } from 'node:url';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { defineConfig } from 'vite';

const widgets = (path: string): string =>
  fileURLToPath(new URL(`./packages/widgets/${path}`, import.meta.url));

/**
 * What ask-an-expert and introduce-me share and the thread does not (the
 * guest sign-in, the store lifecycle, their common styles and form pieces):
 * kept out of the thread's chunk, in one chunk of its own that those two
 * pages load beside it.
 */
const VISITOR_SHARED = ['/widgets/src/shared/', '/client/src/viewer-store.ts'];

/**
 * Modules kept out of the thread's chunk: the console's, ask-an-expert's
 * (the element, its store, its protocol constants, the clinician-disclosure
 * rules), introduce-me's (the element, its store, its protocol constants)
 * and what those two share. Everything else is shared and lives in the
 * thread's chunk.
 */
const OWN_CHUNK = [
  '/widgets/src/moderation/',
  '/widgets/src/ask-expert/',
  '/client/src/question-store.ts',
  '/protocol/src/questions.ts',
  '/protocol/src/safety/disclosure.ts',
  '/widgets/src/introduce-me/',
  '/client/src/introduction-store.ts',
  '/protocol/src/introductions.ts',
  ...VISITOR_SHARED,
];

/**
 * Two builds into packages/widgets/dist, both run by `pnpm build`:
 * - default: one ES chunk per element (`kindred-thread.js`,
 *   `kindred-moderation.js`, `kindred-ask-expert.js`,
 *   `kindred-introduce-me.js`); the code they share
 *   (Lit, the client, socket.io-client, the safety rules) is part of
 *   `kindred-thread.js`, which the others import, so every widget on a
 *   page shares one copy and the thread page loads a single file; what
 *   only ask-an-expert and introduce-me share is `chunks/kindred-visitor-*.js`;
 * - `--mode loader`: the tiny classic script `kindred.js` hosts embed.
 */
export default defineConfig(({ mode }) => {
  const common = {
    outDir: widgets('dist'),
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
  } as const;

  if (mode === 'loader') {
    return {
      build: {
        ...common,
        // Every page pays for the loader's bytes, and it is a few lines: its map is written, but not linked from it.
        sourcemap: 'hidden',
        emptyOutDir: false,
        lib: {
          entry: widgets('src/loader/loader.ts'),
          formats: ['iife'],
          name: 'kindredLoader',
          fileName: () => 'kindred.js',
        },
      },
    };
  }

  return {
    // Lit's html`` and css`` literals keep their source indentation otherwise; it all ships.
    plugins: [minifyTemplateLiterals()],
    build: {
      ...common,
      emptyOutDir: true,
      manifest: true,
      modulePreload: false,
      rollupOptions: {
        input: {
          'kindred-thread': widgets('src/thread/define.ts'),
          'kindred-moderation': widgets('src/moderation/define.ts'),
          'kindred-ask-expert': widgets('src/ask-expert/define.ts'),
          'kindred-introduce-me': widgets('src/introduce-me/define.ts'),
        },
        preserveEntrySignatures: 'allow-extension',
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          // The thread page (the budgeted one) pays no cross-chunk import overhead: its entry is the
          // shared chunk (hence 'allow-extension': it exports what the other elements import).
          // Dependencies are not claimed recursively, so the barrels in it (the protocol's, the
          // client's) do not pull ask-an-expert's modules onto the thread page. The client's package
          // says it has no side effects, so its barrel does not pull in the stores built on ViewerStore
          // (a class that extends another would otherwise count as one).
          codeSplitting: {
            groups: [
              {
                name: 'kindred',
                test: (id: string) => !OWN_CHUNK.some((part) => id.includes(part)),
                includeDependenciesRecursively: false,
              },
              {
                name: 'kindred-visitor',
                test: (id: string) => VISITOR_SHARED.some((part) => id.includes(part)),
                includeDependenciesRecursively: false,
              },
            ],
          },
        },
      },
    },
  };
});
