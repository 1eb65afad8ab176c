import { LitElement, type PropertyDeclarations } from 'lit';
import { untilStringsFor } from '../i18n/index.js';

/** The built-in themes of `styles/base.styles.ts`; unset, an element keeps the page's background. */
export type Theme = 'light' | 'dark' | 'high-contrast' | 'auto';

/**
 * What the four Kindred elements share besides their subject (`topic`,
 * `community`): the server and site that override the loader's, the host
 * site's sign-in URL and the theme (reflected, so the theme rules match); and
 * a first render that waits for the strings of the element's language, so it
 * never speaks English first.
 */
export abstract class KindredElement extends LitElement {
  static override properties: PropertyDeclarations = {
    server: { type: String },
    site: { type: String },
    authUrl: { type: String, attribute: 'auth-url' },
    theme: { type: String, reflect: true },
  };

  declare server: string;
  declare site: string;
  declare authUrl: string;
  declare theme: Theme | undefined;

  /** The element's localizer; its `ready()` settles once the strings of the element's language are there. */
  protected abstract get strings(): { ready(): Promise<unknown> };

  protected override scheduleUpdate(): void | Promise<unknown> {
    return this.hasUpdated ? super.scheduleUpdate() : untilStringsFor(this.strings).then(() => super.scheduleUpdate());
  }
}
