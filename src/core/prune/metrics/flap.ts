import { neuronVariance } from '../../stats/moments';
import type { LayerStats } from '../../stats/types';
import type { LayerWeightSummary } from '../types';

/**
 * `flap` (FLAP's weighted input feature variance, WIFV): (S2/n − (S1/n)²) · ‖W_down[:, j]‖₂²,
 * the activation's population variance times the squared norm of the output weights.
 */
export function flapScores(weights: LayerWeightSummary, stats: LayerStats): Float64Array {
  const variance = neuronVariance(stats);
  const scores = new Float64Array(weights.width);
  for (let j = 0; j < scores.length; j++) scores[j] = variance[j] * weights.downNorm[j] ** 2;
  return scores;
}
