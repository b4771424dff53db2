export { countParameters, removalTarget, removalCapacities, checkWeightSummaries } from './budget';
export type { ParameterCount } from './budget';
export { takeRemovals } from './takeRemovals';
export { uniformAllocation } from './uniform';
export { flapGlobalAllocation } from './flapGlobal';
export { ALLOCATIONS, ALLOCATION_IDS, allocateKeepCounts } from './strategies';
export type { AllocationInput } from './strategies';
