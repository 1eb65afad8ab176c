/**
 * Validation schemas for every client → server event. The server parses each
 * inbound payload with these before anything else runs; the client never
 * imports this module, so zod stays out of the browser bundle.
 */
import { z } from 'zod';
import {
  CLIENT_EVENTS,
  LIMITS,
  REACTIONS,
  SLUG_PATTERN,
  SORTS,
  MEMBER_ACTIONS,
  MODERATION_QUEUES,
  MODERATOR_ACTIONS,
  REPORT_REASONS,
  QUESTION_LIMITS,
  QUESTION_TABS,
  QUESTION_VISIBILITIES,
  INTRO_LIMITS,
  INTRO_ROLES,
  INTRO_WANTS,
  LANGUAGE_PATTERN,
  characterCount,
  normaliseBody,
  type ClientEventName,
  type ClientEvents,
} from './index.js';

export const slug = z
  .string()
  .max(LIMITS.slugMax)
  .regex(SLUG_PATTERN, 'use lower-case letters, digits and dashes');

export const body = z
  .string()
  .max(LIMITS.bodyMax * 4)
  .transform(normaliseBody)
  .refine((text) => characterCount(text) >= LIMITS.bodyMin, 'write something first')
  .refine(
    (text) => characterCount(text) <= LIMITS.bodyMax,
    `keep it to ${LIMITS.bodyMax} characters`,
  );

export const displayName = z
  .string()
  .max(LIMITS.displayNameMax * 4)
  .transform((name) => name.trim().replace(/\s+/g, ' '))
  .refine(
    (name) =>
      characterCount(name) >= LIMITS.displayNameMin &&
      characterCount(name) <= LIMITS.displayNameMax,
    `use ${LIMITS.displayNameMin} to ${LIMITS.displayNameMax} characters`,
  )
  // Control and format characters (bidi overrides, zero-width joiners) let one name imitate another.
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), 'use letters, digits and spaces');

const id = z.string().min(1).max(LIMITS.clientIdMax).regex(/^[A-Za-z0-9_-]+$/);

/** A reason or note a person writes for another person: 1–500 characters. */
const shortText = z
  .string()
  .max(2000)
  .transform((text) => text.trim())
  .refine((text) => characterCount(text) >= 1 && characterCount(text) <= 500, 'use 1 to 500 characters');

const isoDate = z.iso.datetime({ offset: true });

/** Text within `min`–`max` code points after trimming; `what` names it in the message. */
const boundedText = (min: number, max: number) =>
  z
    .string()
    .max(max * 4)
    .transform((text) => text.trim())
    .refine((text) => characterCount(text) >= min && characterCount(text) <= max, `use ${min} to ${max} characters`);

/** The short question: one line, so the stored text's first line is always the title. */
const questionTitle = boundedText(QUESTION_LIMITS.titleMin, QUESTION_LIMITS.titleMax)
  .transform((title) => title.replace(/\s+/g, ' '))
  .refine((title) => !/[\p{Cc}]/u.test(title), 'use one line of text');

const languages = z
  .array(z.string().max(35).regex(LANGUAGE_PATTERN, 'use language codes such as "en" or "es"'))
  .min(1, 'choose at least one language')
  .max(INTRO_LIMITS.languagesMax)
  .refine((list) => new Set(list).size === list.length, 'list each language once');

const profileTopics = z
  .array(z.strictObject({ id: slug, stage: slug.optional() }))
  .min(1, 'choose at least one topic')
  .max(INTRO_LIMITS.topicsMax)
  .refine((list) => new Set(list.map((topic) => topic.id)).size === list.length, 'list each topic once');

const wordList = z.array(z.string().trim().min(1).max(80)).max(1000);

const moderationSettings = z
  .strictObject({
    bannedWords: wordList,
    suspectWords: wordList,
    heldFirstPosts: z.strictObject({ guest: z.number().int().min(0).max(100), member: z.number().int().min(0).max(100) }),
    reportThreshold: z.number().int().min(1).max(100),
    identifierPolicy: z.enum(['hold', 'mask']),
    crisisResources: z.strictObject({
      call: z.string().trim().min(1).max(40),
      text: z.string().trim().min(1).max(40).nullable(),
      chatUrl: z.url({ protocol: /^https?$/ }).max(500).nullable(),
      emergency: z.string().trim().min(1).max(40),
    }),
    alertWebhookUrl: z.url({ protocol: /^https?$/ }).max(500).nullable(),
    alertEmail: z.email().max(200).nullable(),
  })
  .partial();

export const schemas = {
  'session:guest': z.strictObject({ displayName }),
  'session:member': z.strictObject({
    token: z.string().min(1).max(LIMITS.hostTokenMax).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, 'expected a signed token'),
  }),
  'session:signout': z.strictObject({}),
  'topic:join': z.strictObject({
    topic: slug,
    since: z.number().int().min(0).optional(),
  }),
  'topic:leave': z.strictObject({ topic: slug }),
  'thread:list': z.strictObject({
    topic: slug,
    sort: z.enum(SORTS),
    cursor: z.string().max(LIMITS.cursorMax).optional(),
    limit: z.number().int().min(1).max(LIMITS.pageSizeMax).optional(),
  }),
  'post:create': z.strictObject({
    topic: slug,
    clientId: id,
    body,
    parentId: id.optional(),
  }),
  'post:edit': z.strictObject({ postId: id, body }),
  'post:delete': z.strictObject({ postId: id }),
  'reaction:set': z.strictObject({
    postId: id,
    reaction: z.enum(REACTIONS),
    on: z.boolean(),
  }),
  'post:report': z.strictObject({
    postId: id,
    reason: z.enum(REPORT_REASONS),
    note: shortText.optional(),
  }),
  'mod:queue': z.strictObject({
    queue: z.enum(MODERATION_QUEUES),
    order: z.enum(['oldest', 'urgent']),
    cursor: z.string().max(LIMITS.cursorMax).optional(),
  }),
  'mod:decide': z
    .strictObject({
      postId: id,
      action: z.enum(MODERATOR_ACTIONS),
      reason: shortText.optional(),
      body: body.optional(),
      note: shortText.optional(),
    })
    .refine((req) => !['reject', 'remove'].includes(req.action) || !!req.reason, {
      message: 'give a reason the author will see',
      path: ['reason'],
    })
    .refine((req) => req.action !== 'edit' || !!req.body, { message: 'give the edited text', path: ['body'] }),
  'mod:member': z.strictObject({
    userId: id,
    action: z.enum(MEMBER_ACTIONS),
    reason: shortText,
    days: z.number().int().min(1).max(3650).optional(),
  }),
  'mod:settings:get': z.strictObject({}),
  'mod:settings:set': z.strictObject({ settings: moderationSettings }),
  'mod:audit': z.strictObject({
    actorId: id.optional(),
    action: z.enum([...MODERATOR_ACTIONS, ...MEMBER_ACTIONS, 'settings']).optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    cursor: z.string().max(LIMITS.cursorMax).optional(),
  }),
  'question:watch': z.strictObject({ topic: slug }),
  'question:unwatch': z.strictObject({ topic: slug }),
  'question:list': z.strictObject({
    topic: slug,
    tab: z.enum(QUESTION_TABS),
    cursor: z.string().max(LIMITS.cursorMax).optional(),
  }),
  'question:ask': z.strictObject({
    topic: slug,
    clientId: id,
    title: questionTitle,
    details: boundedText(0, QUESTION_LIMITS.detailsMax).optional(),
    visibility: z.enum(QUESTION_VISIBILITIES),
    notify: z.strictObject({ email: z.email().max(200), consent: z.literal(true) }).optional(),
    page: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  }),
  'question:reply': z.strictObject({ questionId: id, clientId: id, body }),
  'answer:helpful': z.strictObject({ answerId: id, on: z.boolean() }),
  'question:similar': z.strictObject({ topic: slug, text: z.string().max(QUESTION_LIMITS.searchMax * 4) }),
  'introduce:state': z.strictObject({ community: slug }),
  'introduce:join': z.strictObject({
    community: slug,
    clientId: id,
    role: z.enum(INTRO_ROLES),
    wants: z.enum(INTRO_WANTS),
    topics: profileTopics,
    languages,
    about: boundedText(0, INTRO_LIMITS.aboutMax),
    consent: z.literal(true, 'say yes to how introductions work first'),
  }),
  'introduce:pause': z.strictObject({ community: slug, paused: z.boolean() }),
  'introduce:leave': z.strictObject({ community: slug }),
  'introduction:answer': z.strictObject({ introductionId: id, accept: z.boolean() }),
  'introduction:messages': z.strictObject({ introductionId: id, cursor: z.string().max(LIMITS.cursorMax).optional() }),
  'introduction:send': z.strictObject({ introductionId: id, clientId: id, body }),
  'introduction:block': z.strictObject({ introductionId: id }),
} satisfies { [K in ClientEventName]: z.ZodType<unknown, ClientEvents[K]['req']> };

export type ParsedRequest<K extends ClientEventName> = z.output<(typeof schemas)[K]>;

export function isClientEvent(name: unknown): name is ClientEventName {
  return typeof name === 'string' && (CLIENT_EVENTS as readonly string[]).includes(name);
}

export type ParseResult<K extends ClientEventName> =
  | { ok: true; value: ParsedRequest<K> }
  | { ok: false; field: string | undefined; message: string };

/** Parses one inbound payload; the message names the field and says what to fix. */
export function parseRequest<K extends ClientEventName>(name: K, payload: unknown): ParseResult<K> {
  const result = schemas[name].safeParse(payload);
  if (result.success) return { ok: true, value: result.data as ParsedRequest<K> };
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  const message = field ? `${field}: ${issue?.message}` : (issue?.message ?? 'invalid input');
  return { ok: false, field, message };
}
