export { en, type Messages } from './en.js';
export { Localizer, lookUp, type KeyOf, type MessageKey, type MessageParams } from './localizer.js';
