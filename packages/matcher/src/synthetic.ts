import { seededRandom } from './random.js';
import type { MatchInput, Member, Role } from './types.js';

const STAGES = ['newly-diagnosed', 'before-surgery', 'after-surgery', 'long-term'];
const OTHER_LANGUAGES = ['zh', 'vi', 'fr', 'ar', 'pt'];

export interface SyntheticOptions {
  topics?: number;
  /** Share of members who volunteer as mentors. */
  mentorShare?: number;
  /** Past pairs and blocks, each as a share of the member count. */
  pastPairShare?: number;
  blockShare?: number;
}

/**
 * A seeded synthetic round with the skew of a real hospital community: topic
 * popularity follows a Zipf law over ~500 conditions (a few common, many
 * rare), most members write English, some Spanish or another language, ~10 %
 * mentor. For the benchmark and the tests only.
 */
export function syntheticRound(count: number, seed: number, options: SyntheticOptions = {}): MatchInput {
  const random = seededRandom(seed);
  const topicCount = options.topics ?? 500;
  const cumulative: number[] = [];
  let sum = 0;
  for (let t = 1; t <= topicCount; t++) cumulative.push((sum += 1 / t ** 1.05));
  const pickTopic = () => {
    const target = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return `condition-${lo}`;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const members: Member[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const role: Role = roll < (options.mentorShare ?? 0.1) ? 'mentor' : roll < 0.6 ? 'patient' : 'caregiver';
    const topicTotal = 1 + Math.floor(random() ** 2 * 4);
    const topics = Array.from({ length: topicTotal }, () => {
      const id = pickTopic();
      return random() < 0.6 ? { id, stage: pick(STAGES) } : { id };
    });
    const language = random();
    let languages: string[];
    if (language < 0.82) languages = ['en'];
    else if (language < 0.9) languages = ['es'];
    else if (language < 0.95) languages = ['en', 'es'];
    else languages = random() < 0.5 ? [pick(OTHER_LANGUAGES)] : ['en', pick(OTHER_LANGUAGES)];
    members.push({ id: `m${String(i).padStart(6, '0')}`, role, wants: random() < 0.7 ? 'peer' : 'mentor', topics, languages });
  }
  const randomPairs = (share: number): [string, string][] =>
    Array.from({ length: Math.round(count * share) }, () => [pick(members).id, pick(members).id]);
  return {
    members,
    pastPairs: randomPairs(options.pastPairShare ?? 0.05),
    blocks: randomPairs(options.blockShare ?? 0.01),
    seed,
  };
}
