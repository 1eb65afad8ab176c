import { fileURLToPath } from 'node:url';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { defineConfig } from 'vite';

const widgets = (path: string): string =>
  fileURLToPath(new URL(`./packages/widgets/${path}`, import.meta.url));

/**
 * Two builds into packages/widgets/dist, both run by `pnpm build`:
 * - default: one ES chunk per element (`kindred-thread.js`) with shared code
 *   (Lit, the client, socket.io-client) split into `chunks/`, so every
 *   widget on a page shares one copy;
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
        input: { 'kindred-thread': widgets('src/thread/define.ts'), 'kindred-moderation': widgets('src/moderation/define.ts') },
        preserveEntrySignatures: 'strict',
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          // Everything but the console in one shared chunk: the thread page (the budgeted one)
          // pays no cross-chunk import overhead, and the staff page loads it alongside the console.
          manualChunks: (id: string) => (id.includes('/src/moderation/') ? undefined : 'kindred'),
        },
      },
    },
  };
});
