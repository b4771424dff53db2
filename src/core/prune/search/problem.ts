import { GpruneError } from '../../errors';
import type { LayerMasks } from '../types';

/** One module in the search: a group of neurons of one layer, ordered best first. */
export interface SearchModule {
  /** FFN layer index. */
  layer: number;
  /** Module id within the layer. */
  index: number;
  /** Neuron indices of the module, most important first by the module's score. */
  neurons: Int32Array;
  /** Parameters removed with one neuron of this module's layer. */
  paramsPerNeuron: number;
}

/**
 * Input of the module-wise sparsity search. A module keeping c neurons keeps the first c
 * entries of its `neurons`, so a list of keep counts (one per module) fully describes the
 * masks.
 */
export interface SearchProblem {
  /** FFN neurons per layer. */
  widths: number[];
  /** All modules of the model. The search may move neurons between any two with the same paramsPerNeuron. */
  modules: SearchModule[];
  /** Starting keep count of each module (neurons), in `modules` order. */
  prior: number[];
  /** Neurons every layer keeps at least. */
  minPerLayer: number;
}

/**
 * Step 7: keep-masks that keep, in each module, its `keepCounts[m]` best neurons. Raises
 * INVALID_ARGUMENT when a count is outside [0, module size] or the list does not fit.
 */
export function masksForKeepCounts(problem: SearchProblem, keepCounts: readonly number[]): LayerMasks {
  if (keepCounts.length !== problem.modules.length) {
    throw new GpruneError('INVALID_ARGUMENT', `expected one keep count per module (${problem.modules.length} modules), got ${keepCounts.length}`);
  }
  const masks = problem.widths.map((width) => new Uint8Array(width));
  problem.modules.forEach((module, m) => {
    const keep = keepCounts[m];
    if (!(Number.isInteger(keep) && keep >= 0 && keep <= module.neurons.length)) {
      throw new GpruneError(
        'INVALID_ARGUMENT',
        `module ${module.index} of layer ${module.layer} has ${module.neurons.length} neurons; keep count ${keep} is out of range [0, ${module.neurons.length}]`,
      );
    }
    for (let rank = 0; rank < keep; rank++) masks[module.layer][module.neurons[rank]] = 1;
  });
  return masks;
}

/** Neurons kept per layer for the given module keep counts. */
export function layerKeepCounts(problem: SearchProblem, keepCounts: readonly number[]): number[] {
  const perLayer = problem.widths.map(() => 0);
  problem.modules.forEach((module, m) => {
    perLayer[module.layer] += keepCounts[m];
  });
  return perLayer;
}

/** FFN parameters kept for the given module keep counts. */
export function keptParameters(problem: SearchProblem, keepCounts: readonly number[]): number {
  return problem.modules.reduce((sum, module, m) => sum + keepCounts[m] * module.paramsPerNeuron, 0);
}
