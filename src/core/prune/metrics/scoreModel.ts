import { GpruneError } from '../../errors';
import type { DatasetStats } from '../../stats/types';
import type { LayerWeightSummary, MetricId } from '../types';
import { scoreLayer } from './scoreLayer';

/**
 * Scores every FFN layer of the model with one metric on one dataset's statistics (null
 * for weight-only metrics). Returns one score array per layer, in layer order. Raises
 * STATS_MISMATCH when the statistics have another number of layers than the weights.
 */
export function scoreModel(
  metric: MetricId,
  weights: readonly LayerWeightSummary[],
  stats: DatasetStats | null,
  seed: number,
): Float64Array[] {
  if (stats !== null && stats.layers.length !== weights.length) {
    throw new GpruneError(
      'STATS_MISMATCH',
      `the model has ${weights.length} FFN layers but the statistics of "${stats.dataset}" have ${stats.layers.length}; profile this model again`,
    );
  }
  return weights.map((layer, l) => scoreLayer(metric, layer, stats === null ? null : stats.layers[l], seed, l));
}
