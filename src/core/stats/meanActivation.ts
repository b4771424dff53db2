import type { DatasetStats } from './types';

/**
 * Returns the mean activation S1 / n of every neuron over all datasets (pooled sums), per
 * layer, as FLAP bias compensation needs it; undefined without statistics.
 */
export function pooledMeanActivation(stats: readonly DatasetStats[]): Float64Array[] | undefined {
  if (stats.length === 0) return undefined;
  return stats[0].layers.map((_, l) => {
    const n = stats.reduce((sum, d) => sum + d.layers[l].n, 0);
    const mean = new Float64Array(stats[0].layers[l].s1.length);
    for (const d of stats) d.layers[l].s1.forEach((value, j) => (mean[j] += value / n));
    return mean;
  });
}
