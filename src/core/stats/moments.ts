import { GpruneError } from '../errors';
import type { LayerStats } from './types';

/** Mean activation S1/n of each neuron of the layer. */
export function neuronMean(layer: LayerStats): Float64Array {
  const n = requireTokens(layer);
  return layer.s1.map((s1) => s1 / n);
}

/** Mean squared activation S2/n of each neuron of the layer. */
export function neuronMeanSquare(layer: LayerStats): Float64Array {
  const n = requireTokens(layer);
  return layer.s2.map((s2) => s2 / n);
}

/**
 * Population variance S2/n − (S1/n)² of each neuron's activation. Negative values that
 * come from floating-point cancellation are clamped to 0.
 */
export function neuronVariance(layer: LayerStats): Float64Array {
  const n = requireTokens(layer);
  const variance = new Float64Array(layer.s1.length);
  for (let j = 0; j < variance.length; j++) {
    const mean = layer.s1[j] / n;
    variance[j] = Math.max(0, layer.s2[j] / n - mean * mean);
  }
  return variance;
}

function requireTokens(layer: LayerStats): number {
  if (!(layer.n > 0)) {
    throw new GpruneError('INVALID_ARGUMENT', `layer statistics count n = ${layer.n} tokens; profile at least one non-padding token before computing moments`);
  }
  return layer.n;
}
