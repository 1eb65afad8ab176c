/** Registers `<kindred-introduce-me>`; tolerates the chunk being loaded twice. This is the build's chunk entry. */
import { KindredIntroduceMe } from './introduce-me.js';

if (!customElements.get('kindred-introduce-me')) customElements.define('kindred-introduce-me', KindredIntroduceMe);
