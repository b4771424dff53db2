import { GpruneError } from '../../errors';
import type { AllocationId, LayerWeightSummary } from '../types';
import { checkWeightSummaries } from './budget';
import { flapGlobalAllocation } from './flapGlobal';
import { uniformAllocation } from './uniform';

/** Inputs of an allocation: per-layer scores, the weight summaries and the budget. */
export interface AllocationInput {
  /** One score array per layer, higher is more important (`uniform` ignores them). */
  scores: readonly Float64Array[];
  weights: readonly LayerWeightSummary[];
  /** Ratio 0–1 of FFN parameters to remove. */
  sparsity: number;
  /** Neurons every layer keeps at least. */
  minPerLayer: number;
}

/** The baseline allocations, one entry per `AllocationId`. Each returns keep counts in neurons per layer. */
export const ALLOCATIONS: { readonly [id in AllocationId]: (input: AllocationInput) => number[] } = {
  uniform: ({ weights, sparsity, minPerLayer }) => uniformAllocation(weights, sparsity, minPerLayer),
  'flap-global': ({ scores, weights, sparsity, minPerLayer }) => flapGlobalAllocation(scores, weights, sparsity, minPerLayer),
};

/** The allocation ids in table order, for option lists and validators. */
export const ALLOCATION_IDS = Object.keys(ALLOCATIONS) as AllocationId[];

/** Returns the neurons each layer keeps under the named allocation. Raises INVALID_CONFIG for an unknown id. */
export function allocateKeepCounts(allocation: AllocationId, input: AllocationInput): number[] {
  const strategy = ALLOCATIONS[allocation];
  if (strategy === undefined) {
    throw new GpruneError('INVALID_CONFIG', `allocation "${String(allocation)}" is unknown; use one of: ${ALLOCATION_IDS.join(', ')}`);
  }
  checkWeightSummaries(input.weights);
  return strategy(input);
}
