import { neuronMeanSquare } from '../../stats/moments';
import type { LayerStats } from '../../stats/types';
import type { LayerWeightSummary } from '../types';

/**
 * `wanda-sp`: mean_i |W_down[i, j]| · sqrt(S2/n), the mean absolute output weight times
 * the root mean square of the neuron's activation.
 */
export function wandaSpScores(weights: LayerWeightSummary, stats: LayerStats): Float64Array {
  const meanSquare = neuronMeanSquare(stats);
  const scores = new Float64Array(weights.width);
  for (let j = 0; j < scores.length; j++) scores[j] = weights.downMeanAbs[j] * Math.sqrt(meanSquare[j]);
  return scores;
}
