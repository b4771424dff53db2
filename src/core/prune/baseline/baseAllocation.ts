import type { AllocationId, MetricId } from '../types';

/**
 * The allocation each base metric comes with in its own paper: FLAP's global threshold on
 * standardized scores for `flap`, the same ratio per layer for the others (as Wanda-sp).
 */
export const BASE_ALLOCATION: { readonly [id in MetricId]: AllocationId } = {
  flap: 'flap-global',
  'wanda-sp': 'uniform',
  magnitude: 'uniform',
  random: 'uniform',
};

/** Resolves an allocation setting, where 'auto' means the base metric's own allocation. */
export function resolveAllocation(setting: AllocationId | 'auto', metric: MetricId): AllocationId {
  return setting === 'auto' ? BASE_ALLOCATION[metric] : setting;
}

/** Resolves a bias-compensation setting, where 'auto' means on for `flap` only (as FLAP does). */
export function resolveBiasCompensation(setting: boolean | 'auto', metric: MetricId): boolean {
  return setting === 'auto' ? metric === 'flap' : setting;
}
