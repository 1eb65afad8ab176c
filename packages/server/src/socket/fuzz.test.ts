import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { CLIENT_EVENTS, LIMITS, PROTOCOL_VERSION, REACTIONS, SLUG_PATTERN, SORTS, type Ack, type ClientEventName, type ClientEvents } from '@kindred/protocol';
import { isClientEvent, parseRequest } from '@kindred/protocol/schemas';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../index.js';
import { client, countRows, nextEvent, session, type TestClient } from '../testing/socket-client.js';
import { silentLog, tempDir } from '../testing/temp-dir.js';

/**
 * Property-based abuse of the socket API: malformed payloads of every event,
 * unknown event names, wrong argument counts, missing acknowledgements, huge
 * strings, 10 000-deep nesting and prototype-polluting keys, sent to a real
 * server over loopback. The server must answer each with a clear refusal,
 * store nothing, keep serving, keep Object.prototype clean and not grow.
 */

const TOPIC = 'fuzz-topic';
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Event names socket.io itself reserves; the client refuses to emit them (raw frames with them are tested below). */
const RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

type Payload = Record<string, unknown>;
type Res<K extends ClientEventName> = ClientEvents[K]['res'];

/** Ways each field can be wrong: a wrong type always, plus strings that break that field's own rule. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);
const notSlug = fc.string({ maxLength: 100 }).filter((s) => !SLUG_PATTERN.test(s));
const notId = fc.string({ maxLength: 80 }).filter((s) => !ID.test(s));
const blank = fc.array(fc.constantFrom(' ', '\n', '\t', '\r', '\u00a0', '\u2028', '\ufeff'), { maxLength: 40 }).map((a) => a.join(''));
const tooLongBody = fc.integer({ min: LIMITS.bodyMax + 1, max: LIMITS.bodyMax * 4 + 500 }).map((n) => 'x'.repeat(n));
const badName = fc.oneof(
  fc.string({ maxLength: 1 }),
  fc.integer({ min: LIMITS.displayNameMax + 1, max: 400 }).map((n) => 'n'.repeat(n)),
  fc.constantFrom('Ma\u202eria', 'Zero\u200bWidth', 'Bell\u0007', 'Tab\u0000Null'),
);

interface FieldRule {
  valid: unknown;
  required: boolean;
  invalid: fc.Arbitrary<unknown>;
}

/** For each event, a valid payload field by field, and how each field can be broken. */
function fieldRules(postId: string): Partial<Record<ClientEventName, Record<string, FieldRule>>> {
  const slug = (valid: string): FieldRule => ({ valid, required: true, invalid: fc.oneof(wrongType, notSlug) });
  const id = (valid: string, required = true): FieldRule => ({ valid, required, invalid: fc.oneof(wrongType, notId) });
  const body: FieldRule = { valid: 'A fine post', required: true, invalid: fc.oneof(wrongType, blank, tooLongBody) };
  return {
    'session:guest': { displayName: { valid: 'Fuzzy', required: true, invalid: fc.oneof(wrongType, badName) } },
    'session:member': { token: { valid: 'aaa.bbb.ccc', required: true, invalid: fc.oneof(wrongType, fc.constantFrom('', 'no-dots', 'a.b', 'a.b.c.d', 'a b.c.d')) } },
    'session:signout': {},
    'topic:join': {
      topic: slug(TOPIC),
      since: { valid: 0, required: false, invalid: fc.oneof(wrongType.filter((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0), fc.integer({ max: -1 })) },
    },
    'topic:leave': { topic: slug(TOPIC) },
    'thread:list': {
      topic: slug(TOPIC),
      sort: { valid: 'newest', required: true, invalid: fc.oneof(wrongType, fc.string().filter((s) => !(SORTS as readonly string[]).includes(s))) },
      cursor: { valid: undefined, required: false, invalid: fc.oneof(wrongType.filter((v) => typeof v !== 'string'), fc.integer({ min: LIMITS.cursorMax + 1, max: 2000 }).map((n) => 'c'.repeat(n))) },
      limit: { valid: 10, required: false, invalid: fc.oneof(fc.constantFrom(0, -1, 1.5, LIMITS.pageSizeMax + 1, 1e9), wrongType.filter((v) => typeof v !== 'number')) },
    },
    'post:create': { topic: slug(TOPIC), clientId: id('fuzz-client'), body, parentId: id(postId, false) },
    'post:edit': { postId: id(postId), body },
    'post:delete': { postId: id(postId) },
    'reaction:set': {
      postId: id(postId),
      reaction: { valid: 'helpful', required: true, invalid: fc.oneof(wrongType, fc.string().filter((s) => !(REACTIONS as readonly string[]).includes(s))) },
      on: { valid: true, required: true, invalid: wrongType.filter((v) => typeof v !== 'boolean') },
    },
  };
}

function validPayload(fields: Record<string, FieldRule>): Payload {
  return Object.fromEntries(Object.entries(fields).filter(([, rule]) => rule.valid !== undefined).map(([name, rule]) => [name, rule.valid]));
}

/** An own `__proto__` key survives only through JSON.parse, the way it arrives off the wire. */
function withOwnKey(payload: Payload, key: string, value: unknown): Payload {
  const text = JSON.stringify(payload);
  const entry = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  return JSON.parse(text === '{}' ? `{${entry}}` : `{${entry},${text.slice(1)}`) as Payload;
}

/** One malformed call: an event name and the arguments before the acknowledgement. */
interface Malformed {
  event: string;
  args: unknown[];
  expected: 'INVALID_INPUT' | 'UNKNOWN_EVENT';
}

function malformedArbitrary(rules: Partial<Record<ClientEventName, Record<string, FieldRule>>>): fc.Arbitrary<Malformed> {
  const known = CLIENT_EVENTS.map((event) => ({ event, fields: rules[event] }));
  const perEvent = known.map(({ event, fields }) => {
    const invalid = (args: fc.Arbitrary<unknown[]>) => args.map((a): Malformed => ({ event, args: a, expected: 'INVALID_INPUT' }));
    // Not an object at all: every schema wants one.
    const notObject = invalid(fc.oneof(wrongType.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), fc.string()).map((v) => [v]));
    if (!fields) return notObject;
    const base = validPayload(fields);
    const names = Object.keys(fields);
    const required = names.filter((name) => fields[name]!.required);
    const options: Array<fc.Arbitrary<Malformed>> = [notObject];
    if (names.length) {
      options.push(
        invalid(
          fc.constantFrom(...names).chain((name) => fields[name]!.invalid.map((value) => [{ ...base, [name]: value }])),
        ),
      );
    }
    if (required.length) options.push(invalid(fc.constantFrom(...required).map((name) => [Object.fromEntries(Object.entries(base).filter(([key]) => key !== name))])));
    options.push(
      // Unknown keys, including the prototype-polluting ones, on an otherwise valid payload.
      invalid(
        fc
          .tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS, 'polluted', 'isAdmin', 'role'), fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !names.includes(k))), fc.constantFrom<unknown>({ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, 'yes', 1))
          .map(([key, value]) => [withOwnKey(base, key, value)]),
      ),
      // A valid payload with extra arguments, or none at all.
      invalid(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(base)), { minLength: 1, maxLength: 3 }).map((extra) => [base, ...extra])),
      invalid(fc.constant([])),
    );
    return fc.oneof(...options);
  });
  const unknownEvent = fc
    .oneof(fc.string({ maxLength: 30 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'POST:CREATE', 'post:create ', 'session:guest\u0000', 'post:*'))
    .filter((name) => !isClientEvent(name) && !RESERVED.includes(name))
    .chain((event) => fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.object({ maxDepth: 2 })), { maxLength: 3 }).map((args): Malformed => ({ event, args, expected: 'UNKNOWN_EVENT' })));
  return fc.oneof(...perEvent, unknownEvent);
}

/** Real collections when the runtime allows it (vitest does not pass --expose-gc); settle cycles otherwise. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => {};
  }
}

// Thousands of round trips: on a busy 2-core machine (other test files spawn processes) they need room; these are hang guards, not timings.
describe('socket API under malformed input (property-based)', { timeout: 60_000 }, () => {
  const dir = tempDir('kindred-fuzz-');
  const dbPath = dir.file('kindred.db');
  let server: RunningServer;
  let socket: TestClient;
  let arbitrary: fc.Arbitrary<Malformed>;
  let seqBefore: number;
  let rowsBefore: ReturnType<typeof countRows>;
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  const sockets: TestClient[] = [];

  const open = (options: Parameters<typeof client>[1] = {}): TestClient => {
    const opened = client(server.url, options);
    sockets.push(opened);
    return opened;
  };
  const topicSeq = async (): Promise<number> => {
    const joined = await socket.ask<Res<'topic:join'>>('topic:join', { topic: TOPIC });
    if (!joined.ok) throw new Error(JSON.stringify(joined.error));
    return joined.data.seq;
  };
  const assertNothingChanged = async (): Promise<void> => {
    expect(await topicSeq()).toBe(seqBefore);
    expect(countRows(dbPath)).toEqual(rowsBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    // Still answering a well-formed request.
    expect(await socket.ask('thread:list', { topic: TOPIC, sort: 'newest' })).toMatchObject({ ok: true });
  };
  const send = async (call: Malformed): Promise<void> => {
    const answer = await socket.ask(call.event, ...call.args);
    if (answer.ok || answer.error.code !== call.expected) {
      throw new Error(`${call.event} ${JSON.stringify(call.args).slice(0, 200)} answered ${JSON.stringify(answer).slice(0, 200)}`);
    }
    expect(typeof answer.error.message).toBe('string');
  };

  beforeAll(async () => {
    server = await startServer({ port: 0, dbPath, log: silentLog });
    socket = open();
    await session(socket);
    const signIn = await socket.ask('session:guest', { displayName: 'Fuzzy' });
    expect(signIn.ok).toBe(true);
    const created = await socket.ask<Res<'post:create'>>('post:create', { topic: TOPIC, clientId: 'seed', body: 'The one real post' });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    arbitrary = malformedArbitrary(fieldRules(created.data.post.id));
    seqBefore = await topicSeq();
    rowsBefore = countRows(dbPath);
  });
  afterAll(async () => {
    for (const opened of sockets.splice(0)) opened.disconnect();
    await server?.close();
    dir.remove();
  });

  it('the generator only produces input the shared schemas refuse', () => {
    fc.assert(
      fc.property(arbitrary, (call) => {
        if (call.expected === 'UNKNOWN_EVENT') return !isClientEvent(call.event);
        if (call.args.length !== 1) return true;
        return !parseRequest(call.event as ClientEventName, call.args[0]).ok;
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers every malformed event with INVALID_INPUT or UNKNOWN_EVENT, and stores nothing', async () => {
    await fc.assert(fc.asyncProperty(arbitrary, send), { numRuns: 1_500 });
    await assertNothingChanged();
  });

  it('does nothing at all for events sent without an acknowledgement, even well-formed ones', async () => {
    await fc.assert(
      fc.asyncProperty(arbitrary, fc.string({ minLength: 1, maxLength: 20 }).filter((s) => ID.test(s)), async (call, clientId) => {
        socket.emit('post:create', { topic: TOPIC, clientId, body: 'sent without an ack' });
        socket.emit('session:guest', { displayName: 'No Ack' });
        if (!RESERVED.includes(call.event)) socket.emit(call.event, ...call.args);
      }),
      { numRuns: 300 },
    );
    await assertNothingChanged();
  });

  it('refuses strings up to the message limit with INVALID_INPUT', async () => {
    const room = LIMITS.maxMessageBytes - 512;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: LIMITS.bodyMax * 4 + 1, max: room }),
        fc.constantFrom('x', 'é', '\u{1F600}', '<'),
        fc.constantFrom('post:create', 'session:guest', 'thread:list', 'post:edit'),
        async (bytes, unit, event) => {
          // More characters than any field allows, however many bytes each takes.
          const huge = unit.repeat(Math.max(LIMITS.bodyMax + 1, Math.floor(bytes / Buffer.byteLength(unit))));
          const payload = {
            'post:create': { topic: TOPIC, clientId: 'huge', body: huge },
            'session:guest': { displayName: huge },
            'thread:list': { topic: TOPIC, sort: 'newest', cursor: huge },
            'post:edit': { postId: huge.slice(0, 1000), body: 'x' },
          }[event];
          await send({ event, args: [payload], expected: 'INVALID_INPUT' });
        },
      ),
      { numRuns: 40 },
    );
    await assertNothingChanged();
  });

  it('disconnects only the client that sends more than the message limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: LIMITS.maxMessageBytes + 1, max: LIMITS.maxMessageBytes * 8 }), fc.constantFrom<Array<'websocket' | 'polling'>>(['websocket'], ['polling']), async (bytes, transports) => {
        const sender = open({ transports });
        await session(sender);
        const gone = nextEvent<string>(sender, 'disconnect');
        sender.emit('post:create', { topic: TOPIC, clientId: 'oversize', body: 'x'.repeat(bytes) }, () => {});
        expect(await gone).toMatch(/transport (close|error)/);
      }),
      { numRuns: 6 },
    );
    expect(socket.connected).toBe(true);
    await assertNothingChanged();
  });

  it('survives 10 000-deep arrays and the deepest objects that fit a message, in the payload and inside a field', async () => {
    // Written as raw socket.io frames: no JavaScript recursion on our side, exactly these bytes on the wire.
    const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    // `{"":` + `}` is 5 bytes a level, so 10 000 levels (50 KB) cannot fit in one message; 6 000 do.
    const deepObject = `${'{"":'.repeat(6_000)}1${'}'.repeat(6_000)}`;
    const frames: Array<[string, string, 'INVALID_INPUT' | 'UNKNOWN_EVENT']> = [
      ['post:create', deepArray, 'INVALID_INPUT'],
      ['post:create', deepObject, 'INVALID_INPUT'],
      ['post:create', `{"topic":${deepArray},"clientId":"d","body":"x"}`, 'INVALID_INPUT'],
      ['post:create', `{"topic":"${TOPIC}","clientId":"d","body":${deepObject}}`, 'INVALID_INPUT'],
      ['post:create', `{"topic":"${TOPIC}","clientId":"d","body":"x","__proto__":${deepObject}}`, 'INVALID_INPUT'],
      ['session:guest', `{"displayName":"Deep","constructor":{"prototype":${deepObject}}}`, 'INVALID_INPUT'],
      ['no:such:event', deepArray, 'UNKNOWN_EVENT'],
    ];
    for (const [event, json, expected] of frames) {
      expect(json.length).toBeLessThan(LIMITS.maxMessageBytes - 100);
      const answer = await rawAsk(socket, `${JSON.stringify(event)},${json}`);
      expect(answer, `${event} ${json.slice(0, 60)}`).toMatchObject({ ok: false, error: { code: expected } });
    }
    // A number where the event name goes is an unknown event, not a crash.
    expect(await rawAsk(socket, '42,{}')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    // 10 000-deep objects are over the message limit: only their sender is disconnected.
    const sender = open({ transports: ['websocket'] });
    await session(sender);
    const gone = nextEvent<string>(sender, 'disconnect');
    sender.io.engine.send(`2["post:create",${'{"":'.repeat(10_000)}1${'}'.repeat(10_000)}]`);
    expect(await gone).toMatch(/transport (close|error)/);
    expect(socket.connected).toBe(true);
    await assertNothingChanged();
  });

  it('closes only the connection that sends a broken frame', async () => {
    for (const frame of ['2["post:create",{', '2{"not":"an array"}', '2["disconnect",{}]', '2[]', '9garbage', '2[{"event":"object"}]']) {
      const sender = open({ transports: ['websocket'] });
      await session(sender);
      const gone = nextEvent<string>(sender, 'disconnect');
      sender.io.engine.send(frame);
      expect(await gone, frame).toMatch(/transport (close|error)|io server disconnect|parse error/);
    }
    expect(socket.connected).toBe(true);
    await assertNothingChanged();
  });

  it('keeps memory flat over 2 000 malformed events', async () => {
    const gc = collector();
    const settle = async (): Promise<number> => {
      for (let i = 0; i < 5; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return process.memoryUsage().heapUsed;
    };
    const calls = fc.sample(arbitrary, { numRuns: 2_300, seed: 20_260_301 });
    for (const call of calls.slice(0, 300)) await send(call);
    const before = await settle();
    const started = performance.now();
    for (const call of calls.slice(300)) await send(call);
    const elapsed = performance.now() - started;
    const after = await settle();
    const growthMb = (after - before) / 2 ** 20;
    console.info(
      `fuzz memory: heapUsed ${(before / 2 ** 20).toFixed(1)} MB → ${(after / 2 ** 20).toFixed(1)} MB ` +
        `(${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(2)} MB) over 2000 malformed events in ${elapsed.toFixed(0)} ms ` +
        `(${((elapsed * 1000) / 2000).toFixed(0)} µs each); gc ${(globalThis as { gc?: unknown }).gc || gc.name === 'gc' ? 'forced' : 'not forced'}`,
    );
    expect(growthMb).toBeLessThan(30);
    await assertNothingChanged();
  }, 60_000);

  it('still greets a new connection normally afterwards', async () => {
    expect(await session(open())).toMatchObject({ protocol: PROTOCOL_VERSION, user: null });
  });
});

let rawAckId = 1_000_000;

/**
 * Sends `2<id>[<argsJson>]` straight down the engine.io connection and
 * resolves with the server's `3<id>[answer]`, bypassing socket.io-client's
 * encoder (which would recurse over a 10 000-deep value).
 */
function rawAsk(socket: TestClient, argsJson: string): Promise<Ack<unknown>> {
  const id = rawAckId++;
  const engine = socket.io.engine;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      engine.off('packet', onPacket);
      reject(new Error(`no acknowledgement ${id} within 15 s`));
    }, 15_000);
    function onPacket(packet: { type: string; data?: unknown }): void {
      if (packet.type !== 'message' || typeof packet.data !== 'string' || !packet.data.startsWith(`3${id}[`)) return;
      clearTimeout(timer);
      engine.off('packet', onPacket);
      resolve((JSON.parse(packet.data.slice(`3${id}`.length)) as [Ack<unknown>])[0]);
    }
    engine.on('packet', onPacket);
    engine.send(`2${id}[${argsJson}]`);
  });
}
