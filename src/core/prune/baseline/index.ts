export type { PrunePlan, PruneMethod } from './plan';
export { describeMethod } from './plan';
export { BASE_ALLOCATION, resolveAllocation, resolveBiasCompensation } from './baseAllocation';
export { DEFAULT_BASELINE_CONFIG, validateBaselineConfig } from './config';
export type { BaselineConfig } from './config';
export { planBaseline } from './planBaseline';
