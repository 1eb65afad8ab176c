/** Registers `<kindred-moderation>`; tolerates the chunk being loaded twice. This is the build's chunk entry. */
import { KindredModeration } from './moderation.js';

if (!customElements.get('kindred-moderation')) customElements.define('kindred-moderation', KindredModeration);
