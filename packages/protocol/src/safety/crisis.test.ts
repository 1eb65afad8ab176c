import { describe, expect, it } from 'vitest';
import { CRISIS_CORPUS } from './corpus/crisis-corpus.js';
import { detectCrisis } from './crisis.js';

describe('detectCrisis', () => {
  it.each([
    'I want to die',
    'I keep thinking about killing myself',
    'maybe I should just end it all',
    'there is no reason to live',
    'they would be better off without me',
    "I've been cutting again",
    'I will overdose on purpose',
    "I don't want to live anymore",
    'I feel suicidal tonight',
    'I want to hurt myself',
    'I’m going to kill myself', // typographic apostrophe
  ])('finds English %j', (text) => {
    expect(detectCrisis(text)?.language).toBe('en');
  });

  it.each([
    'quiero morir',
    'voy a matarme',
    'he pensado en quitarme la vida',
    'no vale la pena vivir',
    'tengo ganas de hacerme daño',
    'no quiero vivir más',
    'mi familia estaría mejor sin mí',
    'QUIERO MORIRME',
  ])('finds Spanish %j', (text) => {
    expect(detectCrisis(text)?.language).toBe('es');
  });

  it.each([
    'my knee is killing me',
    "I'd die for a good night's sleep",
    'dying to get back to golf',
    "the nurse said the pain won't kill me",
    'me muero de ganas de caminar',
    'esta rodilla va a matarme',
    "I'm not suicidal, just tired",
    'I am cutting back on salt',
    'I cut myself shaving',
    'I want to die at home when the time comes',
    'I want to die of embarrassment',
    'me quiero morir de la vergüenza',
    'tengo miedo de hacerme daño al caminar',
    'they asked if I had thoughts of suicide, I said no',
    'no self-harm, no suicidal thoughts',
  ])('leaves the idiom or denial %j alone', (text) => {
    expect(detectCrisis(text)).toBeNull();
  });

  it('reports the earliest phrase with offsets into the original text', () => {
    const text = 'Since June… quiero morir. I want to die.';
    expect(detectCrisis(text)).toEqual({ language: 'es', start: 12, end: 24, text: 'quiero morir' });
  });

  it('has a corpus of at least 60 crisis posts and 60 ordinary ones in both languages', () => {
    expect(CRISIS_CORPUS.filter((p) => p.crisis).length).toBeGreaterThanOrEqual(60);
    expect(CRISIS_CORPUS.filter((p) => !p.crisis).length).toBeGreaterThanOrEqual(60);
  });
});
