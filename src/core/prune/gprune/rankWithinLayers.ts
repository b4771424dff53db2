import { percentileRanks } from '../../stats/percentileRanks';

/**
 * Step 2: r_d(j), the percentile rank of each neuron's score among its layer's neurons on
 * each dataset, in [0, 1] with 1 the most important. Same shape as the scores:
 * `[dataset][layer][neuron]`.
 */
export function rankWithinLayers(scores: readonly (readonly Float64Array[])[]): Float64Array[][] {
  return scores.map((layers) => layers.map((layerScores) => percentileRanks(layerScores)));
}
