import type { LayerWeightSummary } from '../types';

/** `magnitude`: ‖W_down[:, j]‖₂, the L2 norm of each neuron's output weights. */
export function magnitudeScores(weights: LayerWeightSummary): Float64Array {
  return Float64Array.from(weights.downNorm);
}
