import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { defineConfig, type Plugin } from 'vite';
import { ELEMENT_CHUNKS, type ElementFiles } from './packages/widgets/src/loader/element-chunks.js';

const widgets = (path: string): string =>
  fileURLToPath(new URL(`./packages/widgets/${path}`, import.meta.url));

/**
 * What ask-an-expert and introduce-me share and the thread does not (the
 * guest sign-in, the store lifecycle, their common styles and form pieces):
 * one chunk that those two pages load.
 */
const VISITOR_SHARED = ['/widgets/src/shared/', '/client/src/viewer-store.ts'];

/**
 * What the thread loads only once it is wanted (thread/on-demand.ts), each an
 * entry of its own so that `import()` gets the chunk itself: the draft checks
 * (the browser's identifier and crisis rules, the identifier warning and the
 * crisis support panel) when a composer is first focused, and the report form
 * when Report is first pressed. Ask-an-expert and introduce-me import both
 * from the start.
 */
const ON_DEMAND = {
  'kindred-draft-checks': [
    '/widgets/src/thread/draft-checks.ts',
    '/widgets/src/thread/safety-notes.ts',
    '/protocol/src/safety/identifiers.ts',
    '/protocol/src/safety/crisis.ts',
    '/protocol/src/safety/dates.ts',
  ],
  'kindred-report-form': ['/widgets/src/thread/report-form.ts'],
  // Strings of other languages than English, loaded when an element's `lang` asks for them.
  'kindred-strings-es': ['/widgets/src/i18n/es.ts'],
  'kindred-ask-expert-es': ['/widgets/src/ask-expert/strings.es.ts'],
  'kindred-introduce-me-es': ['/widgets/src/introduce-me/strings.es.ts'],
  'kindred-moderation-es': ['/widgets/src/moderation/strings.es.ts'],
};

/**
 * Modules kept out of the shared chunk: each element's own (the thread's with
 * its store; the console's; ask-an-expert's with its store, its protocol
 * constants and the clinician-disclosure rules; introduce-me's with its store
 * and protocol constants), what ask-an-expert and introduce-me share, and the
 * thread's on-demand code. Everything else (Lit, the client, socket.io-client,
 * the localizer, the controllers) is the shared chunk every element imports.
 */
const NOT_SHARED = [
  '/widgets/src/thread/',
  '/client/src/thread-store.ts',
  '/widgets/src/moderation/',
  '/widgets/src/ask-expert/',
  '/client/src/question-store.ts',
  '/protocol/src/questions.ts',
  '/protocol/src/safety/disclosure.ts',
  '/widgets/src/introduce-me/',
  '/client/src/introduction-store.ts',
  '/protocol/src/introductions.ts',
  ...VISITOR_SHARED,
  ...Object.values(ON_DEMAND).flat(),
];

const ELEMENTS = {
  'kindred-thread': 'src/thread/define.ts',
  'kindred-moderation': 'src/moderation/define.ts',
  'kindred-ask-expert': 'src/ask-expert/define.ts',
  'kindred-introduce-me': 'src/introduce-me/define.ts',
};

const group = (name: string, parts: readonly string[]) => ({
  name,
  test: (id: string) => parts.some((part) => id.includes(part)),
  includeDependenciesRecursively: false,
});

/**
 * Vite wraps every `import()` in a helper that adds `<link rel="modulepreload">`
 * tags for the imported chunk's dependencies, and ships it (about 0.9 KB
 * brotli) even with `modulePreload: false`, when every list it is given is
 * empty (vitejs/vite#18551). The widgets' on-demand chunks need nothing
 * preloaded (their imports are already loaded), so the helper just imports.
 */
function withoutPreloadHelper(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'kindred:without-preload-helper',
    enforce: 'pre',
    load: (id) => (id === helper ? 'export const __vitePreload = (load) => load();' : undefined),
  };
}

interface ManifestChunk {
  file: string;
  name?: string;
  imports?: string[];
}

/**
 * For the loader: each element's chunk with every chunk it imports, and the
 * string tables of each language it asks for (the shared table, and its own
 * where it has one: the ON_DEMAND entry `<tag>-<language>`), read from the
 * manifest the widgets build wrote (which therefore runs first).
 */
function elementFiles(): Record<string, ElementFiles> {
  const manifest = JSON.parse(readFileSync(widgets('dist/.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const byName = (name: string): ManifestChunk | undefined => Object.values(manifest).find((chunk) => chunk.name === name && !chunk.file.endsWith('.css'));
  const withImports = (chunk: ManifestChunk, into = new Set<string>()): Set<string> => {
    into.add(chunk.file);
    for (const key of chunk.imports ?? []) withImports(manifest[key]!, into);
    return into;
  };
  const languages = Object.keys(ON_DEMAND).flatMap((name) => name.match(/^kindred-strings-(\w+)$/)?.[1] ?? []);
  return Object.fromEntries(
    Object.keys(ELEMENT_CHUNKS).map((tag) => {
      const element = byName(tag);
      if (!element) throw new Error(`the widgets build has no chunk for ${tag}: run it before the loader build`);
      const tables = Object.fromEntries(
        languages.map((language) => [language, [`kindred-strings-${language}`, `${tag}-${language}`].flatMap((name) => byName(name)?.file ?? [])]),
      );
      return [tag, { files: [...withImports(element)], tables }];
    }),
  );
}

/**
 * Two builds into packages/widgets/dist, both run by `pnpm build`:
 * - default: one ES chunk per element (`kindred-thread.js`,
 *   `kindred-moderation.js`, `kindred-ask-expert.js`,
 *   `kindred-introduce-me.js`); the code they share (Lit, the client,
 *   socket.io-client, the localizer) is `chunks/kindred-shared-*.js`, which
 *   each imports, so every widget on a page shares one copy and no page loads
 *   another element's code; what only ask-an-expert and introduce-me share is
 *   `chunks/kindred-visitor-*.js`; the thread's on-demand code is
 *   `chunks/kindred-draft-checks-*.js` and `chunks/kindred-report-form-*.js`;
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
      define: { __KINDRED_ELEMENT_FILES__: JSON.stringify(elementFiles()) },
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
    plugins: [minifyTemplateLiterals(), withoutPreloadHelper()],
    build: {
      ...common,
      emptyOutDir: true,
      manifest: true,
      modulePreload: false,
      rollupOptions: {
        input: {
          ...Object.fromEntries(Object.entries(ELEMENTS).map(([name, path]) => [name, widgets(path)])),
          // Each on-demand group's first module is its entry.
          ...Object.fromEntries(Object.entries(ON_DEMAND).map(([name, [first]]) => [name, widgets(first!.replace('/widgets/', ''))])),
        },
        preserveEntrySignatures: 'allow-extension',
        output: {
          format: 'es',
          // The loader imports elements by name; everything else is content-hashed.
          entryFileNames: (chunk) => (chunk.name in ELEMENTS ? '[name].js' : 'chunks/[name]-[hash].js'),
          chunkFileNames: 'chunks/[name]-[hash].js',
          // Dependencies are not claimed recursively, so the barrels in the shared chunk (the
          // protocol's, the client's) do not pull an element's own modules into it. The client's
          // package says it has no side effects, so its barrel does not pull in the stores built on
          // ViewerStore (a class that extends another would otherwise count as one).
          codeSplitting: {
            groups: [
              {
                name: 'kindred-shared',
                test: (id: string) => !NOT_SHARED.some((part) => id.includes(part)),
                includeDependenciesRecursively: false,
              },
              group('kindred-visitor', VISITOR_SHARED),
              ...Object.entries(ON_DEMAND).map(([name, parts]) => group(name, parts)),
            ],
          },
        },
      },
    },
  };
});
