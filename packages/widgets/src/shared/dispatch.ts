/** Dispatches one of the element's events, typed by HTMLElementEventMap: each bubbles and is composed. */
export function dispatch<K extends keyof HTMLElementEventMap>(
  host: HTMLElement,
  type: K,
  detail: HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
