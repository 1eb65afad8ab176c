/**
 * What the thread loads when a visitor starts to write (see on-demand.ts):
 * the browser's side of the safety rules, and the identifier warning and
 * crisis support panel they lead to.
 */
export { detectCrisis, findIdentifiers } from '@kindred/protocol/safety';
export { renderCrisisPanel, renderIdentifierWarning } from './safety-notes.js';
