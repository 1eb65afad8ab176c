/**
 * The tab an arrow key, Home or End moves to in a horizontal tablist of
 * `count` tabs, wrapping at the ends; undefined for any other key. The arrows
 * follow the element's direction: in right-to-left text the next tab is on
 * the left, so ArrowLeft moves forward.
 */
export function tabAfterKey(element: Element, key: string, index: number, count: number): number | undefined {
  const forward = getComputedStyle(element).direction === 'rtl' ? -1 : 1;
  const next = { ArrowRight: index + forward, ArrowLeft: index - forward, Home: 0, End: count - 1 }[key];
  return next === undefined ? undefined : (next + count) % count;
}
