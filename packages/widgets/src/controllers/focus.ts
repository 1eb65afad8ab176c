import type { LitElement } from 'lit';

/** Focuses what `selector` finds in the host's shadow root once the pending render is done. */
export async function focusRendered(host: LitElement, selector: string): Promise<void> {
  await host.updateComplete;
  host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
}

/** "Edit my post": back into the field `selector`, with `range` (what a draft check found first) selected. */
export async function focusSelecting(host: LitElement, selector: string, range: { start: number; end: number } | null | undefined): Promise<void> {
  await focusRendered(host, selector);
  if (range) host.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector)?.setSelectionRange(range.start, range.end);
}
