import { LIMITS, PROTOCOL_VERSION } from '@kindred/protocol';
import { Server } from 'socket.io';
import type { IdentityService } from '../services/identity.js';
import type { SiteService } from '../services/sites.js';
import type { Publish, ThreadService } from '../services/thread.js';
import { registerHandlers } from './handlers.js';
import { createAllowRequest, siteOfRequest } from './handshake.js';
import { topicRoom } from './rooms.js';
import type { KindredServer } from './types.js';

export interface SocketDeps {
  sites: SiteService;
  identity: IdentityService;
  threads: ThreadService;
  log: Pick<Console, 'error'>;
}

/** Created before the HTTP server so services can publish through it; attach it afterwards. */
export function createSocketServer(sites: SiteService, log: Pick<Console, 'error'>): KindredServer {
  return new Server({
    serveClient: false,
    maxHttpBufferSize: LIMITS.maxMessageBytes,
    allowRequest: createAllowRequest(sites, log),
    // Reflect any origin, without credentials, so a refused page can read the 403 body and say why.
    // This is not the access check: allowRequest refuses origins the site does not allow.
    cors: { origin: true, credentials: false },
  });
}

export function publisherFor(io: KindredServer): Publish {
  return (siteId, event) => io.to(topicRoom(siteId, event.topic)).emit('topic:event', event);
}

export function handleConnections(io: KindredServer, deps: SocketDeps): void {
  io.use((socket, next) => {
    const site = siteOfRequest(socket.request);
    if (!site) return next(new Error('UNKNOWN_SITE'));
    const token: unknown = socket.handshake.auth?.token;
    const presented = token !== undefined && token !== null && token !== '';
    const resolved = presented && typeof token === 'string' ? deps.identity.resolveToken(site.id, token) : Promise.resolve(null);
    resolved.then(
      (user) => {
        socket.data.caller = { siteId: site.id, user };
        // A token that proves nothing still lets the visitor read; the reason tells the client to forget it.
        if (presented && !user) socket.data.sessionReason = 'NOT_AUTHORISED';
        next();
      },
      (error: unknown) => next(error instanceof Error ? error : new Error('UNAVAILABLE')),
    );
  });
  io.on('connection', (socket) => {
    registerHandlers(socket, deps);
    const reason = socket.data.sessionReason;
    socket.emit('session', {
      protocol: PROTOCOL_VERSION,
      user: socket.data.caller.user,
      ...(reason && { reason }),
    });
  });
}
