export { type ApproximateOptions, maxWeightMatchingApprox } from './approximate.js';
export { maxWeightMatchingExact } from './blossom.js';
export { describeReason, type ReasonNames } from './describe.js';
export { graphFromEdges, matchingWeight, type Mates, type WeightedGraph } from './graph.js';
export { DEFAULTS, match, prepareRound, type PreparedRound } from './match.js';
export {
  MatcherInputError,
  type Member,
  type MemberTopic,
  type MatchInput,
  type MatchOptions,
  type MatchResult,
  type MatchStats,
  type Pair,
  type Reason,
  type Role,
  type ScoringWeights,
} from './types.js';
