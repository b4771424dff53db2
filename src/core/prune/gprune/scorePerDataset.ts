import { GpruneError } from '../../errors';
import type { DatasetStats } from '../../stats/types';
import { scoreModel } from '../metrics/scoreModel';
import type { LayerWeightSummary, MetricId } from '../types';

/**
 * Step 1: scores every neuron with the base metric on each calibration dataset on its own.
 * Returns S_d per dataset and layer: `[dataset][layer][neuron]`.
 */
export function scorePerDataset(
  metric: MetricId,
  weights: readonly LayerWeightSummary[],
  datasets: readonly DatasetStats[],
  seed: number,
): Float64Array[][] {
  if (datasets.length === 0) {
    throw new GpruneError('INVALID_CONFIG', 'GPrune needs the statistics of at least one calibration dataset (two or more to measure sensitivity); profile the calibration datasets first');
  }
  return datasets.map((stats) => scoreModel(metric, weights, stats, seed));
}
