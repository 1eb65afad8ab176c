import {
  CLIENT_EVENTS,
  type Ack,
  type ClientEventName,
  type ClientEvents,
  type ErrorBody,
} from '@kindred/protocol';
import { isClientEvent, parseRequest, type ParsedRequest } from '@kindred/protocol/schemas';
import { ServiceError } from '../errors.js';
import type { AccessService } from '../services/access.js';
import type { IntroductionService } from '../services/introductions.js';
import type { Caller } from '../services/caller.js';
import { ModerationService } from '../services/moderation.js';
import type { QuestionService } from '../services/questions.js';
import type { SessionService } from '../services/session.js';
import type { ThreadService } from '../services/thread.js';
import { memberRoom, moderatorRoom, nonMemberRoom, questionRoom, topicRoom } from './rooms.js';
import type { KindredSocket } from './types.js';

export interface HandlerDeps {
  sessions: SessionService;
  access: AccessService;
  threads: ThreadService;
  moderation: ModerationService;
  questions: QuestionService;
  introductions: IntroductionService;
  log: Pick<Console, 'error'>;
}

/** One connection can watch this many topics at once; enough for any page. */
const MAX_TOPICS_PER_SOCKET = 50;

type Handler<K extends ClientEventName> = (socket: KindredSocket, request: ParsedRequest<K>) => Promise<ClientEvents[K]['res']>;

/**
 * Sets who the connection is, keeping it in the non-members room exactly while
 * it is not a member, in the moderators room exactly while it is a moderator,
 * and in its person's own room while it has an identity.
 */
export function setCaller(socket: KindredSocket, caller: Caller, access: AccessService): void {
  const before = socket.data.caller?.user?.id;
  if (before && before !== caller.user?.id) void socket.leave(memberRoom(caller.siteId, before));
  if (caller.user) void socket.join(memberRoom(caller.siteId, caller.user.id));
  socket.data.caller = caller;
  const room = nonMemberRoom(caller.siteId);
  if (access.isMember(caller)) void socket.leave(room);
  else void socket.join(room);
  const moderators = moderatorRoom(caller.siteId);
  if (access.isMember(caller) && ModerationService.isModerator(caller.user)) void socket.join(moderators);
  else void socket.leave(moderators);
}

/** Each client event maps to one service call; the rules live in the services. */
function createHandlers({ sessions, access, threads, moderation, questions, introductions }: HandlerDeps): { [K in ClientEventName]: Handler<K> } {
  return {
    'session:guest': async (socket, request) => {
      const { caller, res } = await sessions.signInGuest(socket.data.caller, request);
      setCaller(socket, caller, access);
      return res;
    },
    'session:member': async (socket, request) => {
      const { caller, res } = await sessions.signInMember(socket.data.caller, request);
      setCaller(socket, caller, access);
      return res;
    },
    'session:signout': async (socket) => {
      setCaller(socket, sessions.signOut(socket.data.caller), access);
      return {};
    },
    'topic:join': async (socket, request) => {
      const room = topicRoom(socket.data.caller.siteId, request.topic);
      return joinWhile(socket, room, () => threads.eventsSince(socket.data.caller, request));
    },
    'topic:leave': async (socket, request) => {
      await socket.leave(topicRoom(socket.data.caller.siteId, request.topic));
      return {};
    },
    'thread:list': (socket, request) => threads.listPosts(socket.data.caller, request),
    'post:create': (socket, request) => threads.createPost(socket.data.caller, request),
    'post:edit': (socket, request) => threads.editPost(socket.data.caller, request),
    'post:delete': (socket, request) => threads.deletePost(socket.data.caller, request),
    'reaction:set': (socket, request) => threads.setReaction(socket.data.caller, request),
    'post:report': (socket, request) => moderation.report(socket.data.caller, request),
    'mod:queue': (socket, request) => moderation.queue(socket.data.caller, request),
    'mod:decide': (socket, request) => moderation.decide(socket.data.caller, request),
    'mod:member': (socket, request) => moderation.member(socket.data.caller, request),
    'mod:settings:get': (socket) => moderation.getSettings(socket.data.caller),
    'mod:settings:set': (socket, request) => moderation.setSettings(socket.data.caller, request),
    'mod:audit': (socket, request) => moderation.audit(socket.data.caller, request),
    'question:watch': (socket, request) =>
      joinWhile(socket, questionRoom(socket.data.caller.siteId, request.topic), () => questions.watch(socket.data.caller, request)),
    'question:unwatch': async (socket, request) => {
      await socket.leave(questionRoom(socket.data.caller.siteId, request.topic));
      return {};
    },
    'question:list': (socket, request) => questions.list(socket.data.caller, request),
    'question:ask': (socket, request) => questions.ask(socket.data.caller, request),
    'question:reply': (socket, request) => questions.reply(socket.data.caller, request),
    'answer:helpful': (socket, request) => questions.markHelpful(socket.data.caller, request),
    'question:similar': (socket, request) => questions.similar(socket.data.caller, request),
    'introduce:state': (socket, request) => introductions.state(socket.data.caller, request),
    'introduce:join': (socket, request) => introductions.join(socket.data.caller, request),
    'introduce:pause': (socket, request) => introductions.pause(socket.data.caller, request),
    'introduce:leave': (socket, request) => introductions.leave(socket.data.caller, request),
    'introduction:answer': (socket, request) => introductions.answer(socket.data.caller, request),
    'introduction:messages': (socket, request) => introductions.messages(socket.data.caller, request),
    'introduction:send': (socket, request) => introductions.send(socket.data.caller, request),
    'introduction:block': (socket, request) => introductions.block(socket.data.caller, request),
  };
}

/**
 * Joins a room to follow a topic, then runs `read`; leaves again if `read` is
 * refused. Joining first means no event falls between the read and the
 * subscription (clients drop repeats).
 */
async function joinWhile<T>(socket: KindredSocket, room: string, read: () => Promise<T>): Promise<T> {
  // Besides topic rooms a socket is in its own room and maybe the site's non-members, moderators or its person's room.
  const { siteId, user } = socket.data.caller;
  const others = [nonMemberRoom(siteId), moderatorRoom(siteId), ...(user ? [memberRoom(siteId, user.id)] : [])];
  const topics = socket.rooms.size - 1 - others.filter((other) => socket.rooms.has(other)).length;
  if (!socket.rooms.has(room) && topics >= MAX_TOPICS_PER_SOCKET) {
    throw new ServiceError('RATE_LIMITED', `One connection can follow ${MAX_TOPICS_PER_SOCKET} topics; leave one first.`);
  }
  await socket.join(room);
  try {
    return await read();
  } catch (error) {
    await socket.leave(room);
    throw error;
  }
}

function failure(code: ErrorBody['code'], message: string, field?: string): Ack<never> {
  return { ok: false, error: field ? { code, message, field } : { code, message } };
}

/**
 * Wires every client event through one wrapper: no acknowledgement function,
 * no work; the payload is parsed with the shared schema; errors become
 * acknowledgements and never escape to socket.io.
 */
export function registerHandlers(socket: KindredSocket, deps: HandlerDeps): void {
  const handlers = createHandlers(deps);

  async function dispatch<K extends ClientEventName>(name: K, args: unknown[]): Promise<void> {
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return;
    const reply = (answer: Ack<unknown>) => (ack as (answer: Ack<unknown>) => void)(answer);
    if (args.length !== 2) return reply(failure('INVALID_INPUT', 'Send one payload object and an acknowledgement.'));
    try {
      const parsed = parseRequest(name, args[0]);
      if (!parsed.ok) return reply(failure('INVALID_INPUT', parsed.message, parsed.field));
      const handler = handlers[name] as Handler<K>;
      reply({ ok: true, data: await handler(socket, parsed.value) });
    } catch (error) {
      if (error instanceof ServiceError) return reply({ ok: false, error: error.toBody() });
      deps.log.error(`kindred: ${name} failed`, error);
      reply(failure('INTERNAL', 'Something went wrong on the server. Please try again.'));
    }
  }

  for (const name of CLIENT_EVENTS) {
    socket.on(name, (...args: unknown[]) => void dispatch(name, args));
  }
  socket.onAny((name: unknown, ...args: unknown[]) => {
    if (isClientEvent(name)) return;
    const ack = args[args.length - 1];
    if (typeof ack === 'function') {
      ack(failure('UNKNOWN_EVENT', `This server does not know the event "${String(name).slice(0, 64)}".`));
    }
  });
}
