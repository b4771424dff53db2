import { GpruneError } from '../../errors';
import type { LayerWeightSummary } from '../types';

/** FFN parameters before and after pruning (only the parameters of FFN neurons are counted). */
export interface ParameterCount {
  /** Σ_l width_l · paramsPerNeuron_l, in parameters. */
  before: number;
  /** Σ_l keep_l · paramsPerNeuron_l, in parameters. */
  after: number;
}

/** Counts the FFN parameters of the unpruned layers and of the layers with the given keep counts (neurons). */
export function countParameters(weights: readonly LayerWeightSummary[], keepCounts: readonly number[]): ParameterCount {
  let before = 0;
  let after = 0;
  weights.forEach((layer, l) => {
    before += layer.width * layer.paramsPerNeuron;
    after += keepCounts[l] * layer.paramsPerNeuron;
  });
  return { before, after };
}

/** The parameters a sparsity asks to remove: sparsity · total FFN parameters (not rounded). */
export function removalTarget(weights: readonly LayerWeightSummary[], sparsity: number): number {
  return sparsity * countParameters(weights, []).before;
}

/**
 * Neurons each layer may lose while keeping `minPerLayer` neurons. A layer narrower than
 * `minPerLayer` keeps all of its neurons.
 */
export function removalCapacities(weights: readonly LayerWeightSummary[], minPerLayer: number): number[] {
  return weights.map((layer) => Math.max(0, layer.width - minPerLayer));
}

/** Raises INVALID_ARGUMENT unless every layer has an integer width and a positive integer paramsPerNeuron. */
export function checkWeightSummaries(weights: readonly LayerWeightSummary[]): void {
  weights.forEach((layer, l) => {
    if (!(Number.isInteger(layer.width) && layer.width >= 0)) {
      throw new GpruneError('INVALID_ARGUMENT', `layer ${l} has width ${layer.width}; a width is a count of neurons >= 0`);
    }
    if (!(Number.isInteger(layer.paramsPerNeuron) && layer.paramsPerNeuron > 0)) {
      throw new GpruneError('INVALID_ARGUMENT', `layer ${l} has paramsPerNeuron ${layer.paramsPerNeuron}; pass a positive integer (3·d_model for SwiGLU, 2·d_model + 1 for GELU)`);
    }
  });
}
