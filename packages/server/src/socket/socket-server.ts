import { LIMITS, PROTOCOL_VERSION, type Identity } from '@kindred/protocol';
import { Server } from 'socket.io';
import { ServiceError } from '../errors.js';
import type { AccessService } from '../services/access.js';
import type { IntroductionService, NotifyMember } from '../services/introductions.js';
import type { ModerationService, NotifyModerators } from '../services/moderation.js';
import { clientAddressOf } from '../services/client-address.js';
import type { QuestionService, RelayQuestion } from '../services/questions.js';
import { canSeeQuestion, isTopicExpert, toQuestionView } from '../services/question-view.js';
import type { SessionService } from '../services/session.js';
import type { SiteService } from '../services/sites.js';
import type { Publish, ThreadService } from '../services/thread.js';
import { registerHandlers, setCaller } from './handlers.js';
import { createAllowRequest, siteOfRequest, type HandshakeDeps } from './handshake.js';
import { memberRoom, moderatorRoom, nonMemberRoom, questionRoom, topicRoom } from './rooms.js';
import type { KindredServer } from './types.js';

export interface SocketDeps {
  sites: SiteService;
  sessions: SessionService;
  access: AccessService;
  threads: ThreadService;
  moderation: ModerationService;
  questions: QuestionService;
  introductions: IntroductionService;
  trustProxy: boolean;
  log: Pick<Console, 'error'>;
}

/** Created before the HTTP server so services can publish through it; attach it afterwards. */
export function createSocketServer(handshake: HandshakeDeps): KindredServer {
  return new Server({
    serveClient: false,
    maxHttpBufferSize: LIMITS.maxMessageBytes,
    allowRequest: createAllowRequest(handshake),
    // Reflect any origin, without credentials, so a refused page can read the 403 body and say why.
    // This is not the access check: allowRequest refuses origins the site does not allow.
    cors: { origin: true, credentials: false },
  });
}

/** Members-only topics reach only the members in the topic's room. */
export function publisherFor(io: KindredServer, sites: SiteService): Publish {
  return (siteId, event) => {
    const room = io.to(topicRoom(siteId, event.topic));
    const audience = sites.isMembersOnlyTopic(siteId, event.topic) ? room.except(nonMemberRoom(siteId)) : room;
    audience.emit('topic:event', event);
  };
}

/**
 * Sends a question to each connection following its topic that may see it,
 * as that viewer may see it; a question that left view (deleted, held, taken
 * down) is `removed` for the others. A private question is never mentioned to
 * anyone else. Per connection, so the rule is `canSeeQuestion` and nothing else.
 */
export function questionRelay(io: KindredServer, log: Pick<Console, 'error'>): RelayQuestion {
  return (siteId, question) => {
    const gone = question.post.deletedAt !== null || question.post.status !== 'published';
    // Only those who could have had it on screen hear that it went: anyone for a public question, the asker and experts for a private one.
    const mayHaveSeen = (viewer: Identity | null) =>
      question.visibility === 'public' || viewer?.id === question.post.author.id || isTopicExpert(viewer, question.topic);
    void io
      .in(questionRoom(siteId, question.topic))
      .fetchSockets()
      .then((sockets) => {
        for (const socket of sockets) {
          const viewer = socket.data.caller?.user ?? null;
          if (canSeeQuestion(question, viewer)) {
            socket.emit('qa:event', { type: 'question.changed', topic: question.topic, question: toQuestionView(question, viewer) });
          } else if (gone && mayHaveSeen(viewer)) {
            socket.emit('qa:event', { type: 'question.removed', topic: question.topic, questionId: question.post.id });
          }
        }
      })
      .catch((error: unknown) => log.error('kindred: relaying a question failed', error));
  };
}

/** Introductions are personal: each event goes to the connections of the one member it is for. */
export function memberNotifier(io: KindredServer): NotifyMember {
  return (siteId, userId, event) => void io.to(memberRoom(siteId, userId)).emit('intro:event', event);
}

export function moderatorNotifier(io: KindredServer): NotifyModerators {
  return (siteId, event) => void io.to(moderatorRoom(siteId)).emit('mod:event', event);
}

export function handleConnections(io: KindredServer, deps: SocketDeps): void {
  io.use((socket, next) => {
    const site = siteOfRequest(socket.request);
    if (!site) return next(new Error('UNKNOWN_SITE'));
    deps.sessions.connect(site, socket.handshake.auth, clientAddressOf(socket.request, deps.trustProxy)).then(
      (start) => {
        socket.data.caller = start.caller;
        if (start.reason) socket.data.sessionReason = start.reason;
        next();
      },
      (error: unknown) => {
        if (error instanceof ServiceError) {
          const refusal = new Error(error.code) as Error & { data?: unknown };
          refusal.data = error.toBody();
          return next(refusal);
        }
        deps.log.error('kindred: connection setup failed', error);
        next(new Error('UNAVAILABLE'));
      },
    );
  });
  io.on('connection', (socket) => {
    registerHandlers(socket, deps);
    const { caller, sessionReason: reason } = socket.data;
    setCaller(socket, caller, deps.access);
    const site = siteOfRequest(socket.request)!;
    socket.emit('session', {
      protocol: PROTOCOL_VERSION,
      user: caller.user,
      site: deps.sites.info(site),
      ...(reason && { reason }),
    });
  });
}
