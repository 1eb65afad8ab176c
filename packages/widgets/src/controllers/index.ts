export { Announcer } from './announcer.js';
export { ConnectionController } from './connection-controller.js';
