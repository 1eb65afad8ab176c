/** The built-in themes of `styles/base.styles.ts`; unset, an element keeps the page's background. */
export type Theme = 'light' | 'dark' | 'high-contrast' | 'auto';

/**
 * The reactive properties every Kindred element has besides its subject
 * (`topic`, `community`): the server and site that override the loader's, the
 * host site's sign-in URL, and the theme (reflected, so the theme rules match).
 */
export const ELEMENT_PROPERTIES = {
  server: { type: String },
  site: { type: String },
  authUrl: { type: String, attribute: 'auth-url' },
  theme: { type: String, reflect: true },
} as const;
