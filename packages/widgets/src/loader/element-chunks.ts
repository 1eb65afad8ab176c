/** Each element the loader knows, and the chunk (next to the loader) that defines it. */
export const ELEMENT_CHUNKS: Record<string, string> = {
  'kindred-thread': 'kindred-thread.js',
  'kindred-moderation': 'kindred-moderation.js',
  'kindred-ask-expert': 'kindred-ask-expert.js',
  'kindred-introduce-me': 'kindred-introduce-me.js',
};
