import type { LitElement } from 'lit';

/** Focuses what `selector` finds in the host's shadow root once the pending render is done. */
export async function focusRendered(host: LitElement, selector: string): Promise<void> {
  await host.updateComplete;
  host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
}
