/** Each element the loader knows, and the chunk (next to the loader) that defines it. */
export const ELEMENT_CHUNKS: Record<string, string> = {
  'kindred-thread': 'kindred-thread.js',
  'kindred-moderation': 'kindred-moderation.js',
  'kindred-ask-expert': 'kindred-ask-expert.js',
  'kindred-introduce-me': 'kindred-introduce-me.js',
};

/**
 * What the loader fetches for one element, all at once: the element's chunk
 * and every chunk it imports (else the browser finds those only once the
 * element's chunk has arrived), and per language the string tables the
 * element will ask for under that `lang`. Written into the loader at build
 * time from the widgets build's manifest (see vite.config.ts).
 */
export interface ElementFiles {
  files: string[];
  tables: Record<string, string[]>;
}
