export { en, type Messages } from './en.js';
export { Localizer, type MessageKey, type MessageParams } from './localizer.js';
