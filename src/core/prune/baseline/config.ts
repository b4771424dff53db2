import { GpruneError } from '../../errors';
import { ALLOCATION_IDS } from '../allocation/strategies';
import { checkInteger, checkOneOf, checkSparsity } from '../configChecks';
import { METRIC_IDS } from '../metrics/strategies';
import type { AllocationId, MetricId } from '../types';

/** Settings of a baseline prune: one metric, one allocation, one budget. */
export interface BaselineConfig {
  /** Base importance metric. @defaultValue 'flap' */
  metric: MetricId;
  /** How many neurons each layer keeps. 'auto' takes the metric's own allocation (flap-global for flap, uniform otherwise). @defaultValue 'auto' */
  allocation: AllocationId | 'auto';
  /** Ratio 0–1 of FFN parameters removed, in [0, 1). @defaultValue 0.2 */
  sparsity: number;
  /** Neurons every layer keeps at least. @defaultValue 1 */
  minPerLayer: number;
  /** Seed of the `random` metric, a non-negative integer. @defaultValue 0 */
  seed: number;
  /** Bias compensation at export. 'auto' turns it on for `flap` only. @defaultValue 'auto' */
  biasCompensation: boolean | 'auto';
}

export const DEFAULT_BASELINE_CONFIG: Readonly<BaselineConfig> = Object.freeze({
  metric: 'flap',
  allocation: 'auto',
  sparsity: 0.2,
  minPerLayer: 1,
  seed: 0,
  biasCompensation: 'auto',
});

/** Raises INVALID_CONFIG naming the first invalid field, its value and the allowed values. */
export function validateBaselineConfig(config: BaselineConfig): void {
  checkOneOf(config.metric, 'metric', METRIC_IDS);
  checkOneOf(config.allocation, 'allocation', [...ALLOCATION_IDS, 'auto']);
  checkSparsity(config.sparsity);
  checkInteger(config.minPerLayer, 'minPerLayer', 0);
  checkInteger(config.seed, 'seed', 0);
  if (config.biasCompensation !== 'auto' && typeof config.biasCompensation !== 'boolean') {
    throw new GpruneError('INVALID_CONFIG', `biasCompensation ${String(config.biasCompensation)} is invalid; use true, false or "auto"`);
  }
}
