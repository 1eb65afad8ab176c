import { LANGUAGE_PATTERN, SLUG_PATTERN, type CommunityOption } from '@kindred/protocol';
import { ServiceError } from '../errors.js';
import type { CommunitySettings } from '../store/store.js';

/** Rounds at most every hour and at least once a year. */
const ROUND_HOURS = { min: 1, max: 24 * 366 } as const;
const OPTIONS_MAX = 100;
const LABEL_MAX = 80;

/** The demo hospital's joint-replacement community, seeded on the demo site. */
export const DEMO_COMMUNITY: Omit<CommunitySettings, 'siteId'> = {
  id: 'joint-replacement',
  name: 'Joint replacement',
  topics: [
    { id: 'knee-replacement', label: 'Knee replacement' },
    { id: 'hip-replacement', label: 'Hip replacement' },
    { id: 'shoulder-replacement', label: 'Shoulder replacement' },
  ],
  stages: [
    { id: 'considering', label: 'Thinking about surgery' },
    { id: 'before-surgery', label: 'Waiting for surgery' },
    { id: 'after-surgery', label: 'Recovering after surgery' },
  ],
  languages: ['en', 'es'],
  roundEveryHours: 168,
};

/** Checks what an operator gives for a community; throws INVALID_INPUT with what to fix. */
export function checkedCommunity(settings: CommunitySettings): CommunitySettings {
  if (!SLUG_PATTERN.test(settings.id)) throw invalid(`"${settings.id}" is not a community id: use lower-case letters, digits and dashes.`);
  const name = settings.name.trim();
  if (name.length < 2 || name.length > 120) throw invalid('Give the community a name of 2 to 120 characters.');
  const topics = checkedOptions(settings.topics, 'topic');
  if (topics.length === 0) throw invalid('A community needs at least one topic (--topic id=Label) for members to choose.');
  const stages = checkedOptions(settings.stages, 'stage');
  const languages = [...new Set(settings.languages.map((language) => language.trim()))];
  if (languages.length === 0) throw invalid('A community needs at least one language (--language en).');
  for (const language of languages) {
    if (!LANGUAGE_PATTERN.test(language)) throw invalid(`"${language}" is not a language code; write e.g. en, es or pt-BR.`);
  }
  const every = settings.roundEveryHours;
  if (every !== null && (!Number.isInteger(every) || every < ROUND_HOURS.min || every > ROUND_HOURS.max)) {
    throw invalid(`Rounds can run every ${ROUND_HOURS.min} to ${ROUND_HOURS.max} hours (--rounds-every 168 is weekly), or "off".`);
  }
  return { ...settings, name, topics, stages, languages, roundEveryHours: every };
}

function checkedOptions(options: CommunityOption[], what: 'topic' | 'stage'): CommunityOption[] {
  if (options.length > OPTIONS_MAX) throw invalid(`A community has at most ${OPTIONS_MAX} ${what}s.`);
  const seen = new Set<string>();
  return options.map(({ id, label }) => {
    if (!SLUG_PATTERN.test(id)) throw invalid(`"${id}" is not a ${what} id: use lower-case letters, digits and dashes.`);
    if (seen.has(id)) throw invalid(`The ${what} "${id}" is listed twice.`);
    seen.add(id);
    const text = label.trim().replace(/\s+/g, ' ');
    if (text.length < 1 || text.length > LABEL_MAX) throw invalid(`Give the ${what} "${id}" a label of 1 to ${LABEL_MAX} characters.`);
    return { id, label: text };
  });
}

/** `knee-replacement=Knee replacement` → an option; a bare id is its own label. */
export function parseOption(text: string): CommunityOption {
  const at = text.indexOf('=');
  return at === -1 ? { id: text.trim(), label: text.trim() } : { id: text.slice(0, at).trim(), label: text.slice(at + 1) };
}

function invalid(message: string): ServiceError {
  return new ServiceError('INVALID_INPUT', message);
}
