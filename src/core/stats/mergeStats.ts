import { GpruneError } from '../errors';
import type { DatasetStats, LayerStats } from './types';

/**
 * Adds the sums of two layers' statistics. Both must describe the same layer, so the
 * neuron counts must match.
 */
export function mergeLayerStats(a: LayerStats, b: LayerStats, layerIndex = 0): LayerStats {
  if (a.s1.length !== b.s1.length) {
    throw new GpruneError(
      'STATS_MISMATCH',
      `layer ${layerIndex} has ${a.s1.length} neurons in one statistics set and ${b.s1.length} in the other; merge only statistics of the same model`,
    );
  }
  return {
    n: a.n + b.n,
    s1: addArrays(a.s1, b.s1),
    s2: addArrays(a.s2, b.s2),
    a1: addArrays(a.a1, b.a1),
    f: addArrays(a.f, b.f),
  };
}

/**
 * Merges the statistics of two shards, batches or datasets by adding every sum. The inputs
 * are not modified. The result keeps the dataset id when both ids are equal and joins them
 * with "+" otherwise.
 *
 * Raises STATS_MISMATCH when the layer counts, the neuron counts or ε differ (counts of
 * |x| > ε taken with different ε cannot be added).
 */
export function mergeStats(a: DatasetStats, b: DatasetStats): DatasetStats {
  if (a.layers.length !== b.layers.length) {
    throw new GpruneError(
      'STATS_MISMATCH',
      `statistics of "${a.dataset}" have ${a.layers.length} layers but those of "${b.dataset}" have ${b.layers.length}; merge only statistics of the same model`,
    );
  }
  if (a.epsilon !== b.epsilon) {
    throw new GpruneError(
      'STATS_MISMATCH',
      `statistics of "${a.dataset}" use epsilon ${a.epsilon} but those of "${b.dataset}" use ${b.epsilon}; profile both with the same epsilon`,
    );
  }
  return {
    dataset: a.dataset === b.dataset ? a.dataset : `${a.dataset}+${b.dataset}`,
    epsilon: a.epsilon,
    tokens: a.tokens + b.tokens,
    layers: a.layers.map((layer, l) => mergeLayerStats(layer, b.layers[l], l)),
  };
}

function addArrays(x: Float64Array, y: Float64Array): Float64Array {
  const sum = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) sum[i] = x[i] + y[i];
  return sum;
}
