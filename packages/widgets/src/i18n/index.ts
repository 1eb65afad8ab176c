export { en, type Messages } from './en.js';
export { Localizer, loadTable, lookUp, readsServerWords, untilStringsFor, type KeyOf, type MessageKey, type MessageParams, type TableLoaders } from './localizer.js';
