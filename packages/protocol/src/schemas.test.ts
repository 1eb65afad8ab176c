import { describe, expect, it } from 'vitest';
import { LIMITS, characterCount } from './index.js';
import { isClientEvent, parseRequest } from './schemas.js';

describe('post bodies', () => {
  const create = (body: unknown) =>
    parseRequest('post:create', { topic: 'knee-replacement', clientId: 'abc123', body });

  it('are trimmed before they are measured and stored', () => {
    const result = create('  Ice helps.  \n');
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ body: 'Ice helps.' }) });
  });

  it('must hold something besides spaces', () => {
    const result = create(' \n\t ');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.field).toBe('body');
      expect(result.message).toMatch(/write something/);
    }
  });

  it('count characters, not UTF-16 units, up to the limit', () => {
    const emoji = '🦵'.repeat(LIMITS.bodyMax);
    expect(emoji.length).toBe(LIMITS.bodyMax * 2);
    expect(characterCount(emoji)).toBe(LIMITS.bodyMax);
    expect(create(emoji).ok).toBe(true);
    expect(create(`${emoji}!`).ok).toBe(false);
  });
});

describe('inbound events', () => {
  it('reject unknown keys, including prototype keys', () => {
    const payload = JSON.parse('{"topic":"knee","__proto__":{"admin":true}}');
    expect(parseRequest('topic:join', payload).ok).toBe(false);
    expect(parseRequest('topic:join', { topic: 'knee', extra: 1 }).ok).toBe(false);
  });

  it('reject wrong types and missing fields with the field named', () => {
    const result = parseRequest('reaction:set', { postId: 'p1', reaction: 'like', on: true });
    expect(result).toMatchObject({ ok: false, field: 'reaction' });
    expect(parseRequest('thread:list', null).ok).toBe(false);
    expect(parseRequest('thread:list', ['knee']).ok).toBe(false);
    expect(parseRequest('thread:list', { topic: 'knee' }).ok).toBe(false);
  });

  it('accept only slug topics', () => {
    expect(parseRequest('topic:leave', { topic: 'knee-replacement' }).ok).toBe(true);
    for (const topic of ['Knee', '-knee', 'knee-', 'knee replacement', '../etc', 'a'.repeat(81)]) {
      expect(parseRequest('topic:leave', { topic }).ok, topic).toBe(false);
    }
  });

  it('normalise display names and refuse look-alike tricks', () => {
    expect(parseRequest('session:guest', { displayName: '  Maria   G ' })).toEqual({
      ok: true,
      value: { displayName: 'Maria G' },
    });
    expect(parseRequest('session:guest', { displayName: 'M' }).ok).toBe(false);
    expect(parseRequest('session:guest', { displayName: 'Maria\u202Enimda' }).ok).toBe(false);
  });

  it('know which event names exist', () => {
    expect(isClientEvent('post:create')).toBe(true);
    expect(isClientEvent('admin:drop')).toBe(false);
    expect(isClientEvent(42)).toBe(false);
  });
});
