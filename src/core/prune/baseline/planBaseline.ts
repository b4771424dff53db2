import { GpruneError } from '../../errors';
import { poolStats } from '../../stats/poolStats';
import type { DatasetStats } from '../../stats/types';
import { countParameters } from '../allocation/budget';
import { allocateKeepCounts } from '../allocation/strategies';
import { masksFromScores } from '../masks/masksFromScores';
import { metricNeedsActivations } from '../metrics/strategies';
import { scoreModel } from '../metrics/scoreModel';
import type { LayerWeightSummary } from '../types';
import { resolveAllocation, resolveBiasCompensation } from './baseAllocation';
import { type BaselineConfig, validateBaselineConfig } from './config';
import type { PrunePlan } from './plan';

/**
 * Plans a baseline prune: scores every neuron with `config.metric` on the pooled
 * statistics of all given datasets (their sums added), allocates keep counts per layer,
 * and keeps the top-scoring neurons of each layer.
 *
 * `stats` may be empty for weight-only metrics. Raises INVALID_CONFIG for an invalid
 * config or an activation metric without statistics, and STATS_MISMATCH when the
 * statistics do not fit the weights.
 */
export function planBaseline(config: BaselineConfig, weights: readonly LayerWeightSummary[], stats: readonly DatasetStats[]): PrunePlan {
  validateBaselineConfig(config);
  const needsActivations = metricNeedsActivations(config.metric);
  if (needsActivations && stats.length === 0) {
    throw new GpruneError('INVALID_CONFIG', `metric "${config.metric}" needs activation statistics but none were given; profile a calibration dataset or use "magnitude"`);
  }

  const pooled = needsActivations ? poolStats(stats) : null;
  const scores = scoreModel(config.metric, weights, pooled, config.seed);
  const allocation = resolveAllocation(config.allocation, config.metric);
  const keepCounts = allocateKeepCounts(allocation, { scores, weights, sparsity: config.sparsity, minPerLayer: config.minPerLayer });

  return {
    method: { kind: 'baseline', metric: config.metric, allocation },
    sparsity: config.sparsity,
    masks: masksFromScores(scores, keepCounts),
    keepCounts,
    scores,
    parameters: countParameters(weights, keepCounts),
    biasCompensation: resolveBiasCompensation(config.biasCompensation, config.metric),
  };
}
