import { GpruneError } from '../errors';
import { mergeStats } from './mergeStats';
import type { DatasetStats } from './types';

/**
 * Pools the statistics of several calibration datasets into one set by adding their sums,
 * so every token counts once whichever dataset it came from. Raises INVALID_ARGUMENT for
 * an empty list and STATS_MISMATCH when the sets do not describe the same model.
 */
export function poolStats(datasets: readonly DatasetStats[]): DatasetStats {
  if (datasets.length === 0) {
    throw new GpruneError('INVALID_ARGUMENT', 'cannot pool an empty list of dataset statistics; profile at least one calibration dataset');
  }
  return datasets.slice(1).reduce(mergeStats, datasets[0]);
}
