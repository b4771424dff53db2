import { GpruneError } from '../errors';
import { averageRanks } from './averageRanks';

/**
 * Spearman rank correlation of two score vectors: the Pearson correlation of their ranks,
 * with tied values given the mean of their ranks. Returns a value in [−1, 1], or NaN when
 * either vector is constant or shorter than 2 (the correlation is then undefined).
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new GpruneError('INVALID_ARGUMENT', `spearman needs vectors of equal length, got ${a.length} and ${b.length}`);
  }
  const count = a.length;
  if (count < 2) return Number.NaN;

  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const meanRank = (count - 1) / 2;
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (let i = 0; i < count; i++) {
    const da = ra[i] - meanRank;
    const db = rb[i] - meanRank;
    covariance += da * db;
    varianceA += da * da;
    varianceB += db * db;
  }
  if (varianceA === 0 || varianceB === 0) return Number.NaN;
  return covariance / Math.sqrt(varianceA * varianceB);
}
