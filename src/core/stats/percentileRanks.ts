import { averageRanks } from './averageRanks';

/**
 * Percentile rank of each score among the scores of one layer, a ratio in [0, 1]: 1 for
 * the most important (highest) score, 0 for the lowest, ties given the mean of their
 * ranks. A layer whose scores are all equal, including a single neuron, ranks at 0.5.
 */
export function percentileRanks(scores: ArrayLike<number>): Float64Array {
  const ranks = averageRanks(scores);
  const last = scores.length - 1;
  if (last <= 0) return ranks.fill(0.5);
  for (let j = 0; j < ranks.length; j++) ranks[j] /= last;
  return ranks;
}
