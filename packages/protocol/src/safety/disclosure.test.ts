import { describe, expect, it } from 'vitest';
import { findPatientDisclosure } from './disclosure.js';

const kinds = (text: string) => findPatientDisclosure(text).map((f) => f.kind);

describe('findPatientDisclosure', () => {
  it.each([
    'My patient had the same reaction to metformin.',
    'A patient of mine recovered in 6 weeks.',
    'One of my patients tried this brace.',
    'I treated a woman who had exactly this rash last month.',
    'Last week I saw a 54-year-old man with the same symptoms.',
    'Mi paciente tuvo la misma complicación.',
    'Atendí a una señora con el mismo dolor.',
    'Uno de mis pacientes usa esta bomba de insulina.',
  ])('finds the reference in %j', (text) => {
    expect(kinds(text)).toEqual(['patient-reference']);
  });

  it('finds a name near a full date, in either order', () => {
    const text = 'Like Mrs. Alvarez, seen 3/4/2024, who improved.';
    expect(findPatientDisclosure(text)).toEqual([
      { kind: 'name-with-date', start: 5, end: 32, text: 'Mrs. Alvarez, seen 3/4/2024' },
    ]);
    expect(kinds('On March 3, 2024 John Miller came in with chest pain.')).toEqual(['name-with-date']);
  });

  it.each([
    'Patients often feel this way after a knee replacement.',
    'Ask your doctor; most patients recover in 6 weeks.',
    'Every patient is different, so talk to your care team.',
    'Surgery on March 3, 2024 went well for many people.',
    'The Heart Center reopened on 3/4/2024.',
    'I treated myself to a coffee after the shift.',
  ])('leaves general advice alone: %j', (text) => {
    expect(kinds(text)).toEqual([]);
  });
});
