/** Registers `<kindred-ask-expert>`; tolerates the chunk being loaded twice. This is the build's chunk entry. */
import { KindredAskExpert } from './ask-expert.js';

if (!customElements.get('kindred-ask-expert')) customElements.define('kindred-ask-expert', KindredAskExpert);
