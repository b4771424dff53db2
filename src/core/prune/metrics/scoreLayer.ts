import { GpruneError } from '../../errors';
import type { LayerStats } from '../../stats/types';
import type { LayerWeightSummary, MetricId } from '../types';
import { METRICS } from './strategies';

/**
 * Scores every FFN neuron of one layer with a base importance metric, where a higher score
 * means more important. `seed` only matters for `random`.
 *
 * Raises INVALID_CONFIG for an unknown metric or when a metric that needs activations
 * gets no statistics, and STATS_MISMATCH when the weight summary or the statistics do not
 * have one entry per neuron.
 */
export function scoreLayer(
  metric: MetricId,
  weights: LayerWeightSummary,
  stats: LayerStats | null,
  seed: number,
  layerIndex: number,
): Float64Array {
  const strategy = METRICS[metric];
  if (strategy === undefined) {
    throw new GpruneError('INVALID_CONFIG', `metric "${String(metric)}" is unknown; use one of: ${Object.keys(METRICS).join(', ')}`);
  }
  checkWeightSummary(weights, layerIndex);

  if (strategy.needsActivations) {
    if (stats === null) {
      throw new GpruneError(
        'INVALID_CONFIG',
        `metric "${metric}" needs activation statistics but layer ${layerIndex} has none; profile a calibration dataset or use "magnitude"`,
      );
    }
    checkStatsWidth(stats, weights.width, layerIndex);
  }
  return strategy.score({ weights, stats: strategy.needsActivations ? stats : null, seed, layerIndex });
}

function checkWeightSummary(weights: LayerWeightSummary, layerIndex: number): void {
  if (weights.downNorm.length !== weights.width || weights.downMeanAbs.length !== weights.width) {
    throw new GpruneError(
      'STATS_MISMATCH',
      `layer ${layerIndex} has width ${weights.width} but its weight summary has ${weights.downNorm.length} norms and ${weights.downMeanAbs.length} mean absolute values; rebuild the summary from the model`,
    );
  }
}

function checkStatsWidth(stats: LayerStats, width: number, layerIndex: number): void {
  const lengths = [stats.s1.length, stats.s2.length, stats.a1.length, stats.f.length];
  if (lengths.some((length) => length !== width)) {
    throw new GpruneError(
      'STATS_MISMATCH',
      `layer ${layerIndex} has ${width} FFN neurons but its statistics have ${lengths.join('/')} entries (s1/s2/a1/f); profile this model again`,
    );
  }
}
