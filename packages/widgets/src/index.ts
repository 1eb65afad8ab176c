/** The element classes, unregistered: import `./thread/define.js` (or define your own tag name) to use them. */
export { KindredThread } from './thread/thread.js';
export { KindredAskExpert } from './ask-expert/ask-expert.js';
export { KindredIntroduceMe } from './introduce-me/introduce-me.js';
export { Announcer, ConnectionController } from './controllers/index.js';
export { Localizer, en, type MessageKey, type Messages } from './i18n/index.js';
export { renderText } from './text/render-text.js';
