/** Registers `<kindred-thread>`; tolerates the chunk being loaded twice. This is the build's chunk entry. */
import { KindredThread } from './thread.js';

if (!customElements.get('kindred-thread')) customElements.define('kindred-thread', KindredThread);
