import { describe, expect, it } from 'vitest';
import { describeReason } from './describe.js';

describe('describeReason', () => {
  it('words each kind of reason in plain English', () => {
    expect(describeReason({ kind: 'shared-topic', topic: 'stroke' })).toBe('You are both here for stroke');
    expect(
      describeReason(
        { kind: 'shared-topic', topic: 'stroke', stage: 'after' },
        { topics: { stroke: 'a stroke' }, stages: { after: 'after leaving hospital' } },
      ),
    ).toBe('You are both here for a stroke, after leaving hospital');
    expect(describeReason({ kind: 'shared-language', language: 'es' })).toBe('You both speak Spanish');
    expect(describeReason({ kind: 'shared-language', language: 'not a code!' })).toBe('You both speak not a code!');
    expect(describeReason({ kind: 'same-role', role: 'caregiver' })).toBe('You are both caregivers');
    expect(describeReason({ kind: 'same-role', role: 'patient' })).toBe('You are both patients');
    expect(describeReason({ kind: 'mentor', mentor: 'm1' }, { members: { m1: 'Rosa' } })).toBe('Rosa volunteers as a mentor');
  });
});
