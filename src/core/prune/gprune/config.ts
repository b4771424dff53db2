import { GpruneError } from '../../errors';
import { ALLOCATION_IDS } from '../allocation/strategies';
import { checkFinite, checkInteger, checkOneOf, checkSparsity } from '../configChecks';
import { METRIC_IDS, metricNeedsActivations } from '../metrics/strategies';
import type { AllocationId, MetricId } from '../types';

/**
 * Settings of the GPrune method, one field per choice of its steps. Choices the source
 * paper leaves open are marked "reconstruction": they are our reading of its description,
 * not values taken from it.
 */

/** Partition rule of step 4, which splits a layer's neurons into modules. */
export type ClusteringId =
  /** k-means on the within-layer z-scores of (μ, σ). */
  | 'kmeans-mu-sigma'
  /** k-means on the rank vector (r_1 … r_D) of the neuron over the datasets. */
  | 'kmeans-ranks'
  /** Equal-count bins of σ: the neurons sorted by σ, cut into K consecutive groups. */
  | 'sigma-quantiles';

/** Score that orders the neurons of a reliable module (step 5). */
export type ReliableSource =
  /** The base metric on the pooled statistics of all calibration datasets. */
  | 'pooled'
  /** m(j), the mean over datasets of the within-layer z-scores of the base metric. */
  | 'mean-z'
  /** The base metric on one dataset, `primaryDataset`. */
  | 'primary';

/** Rule of step 6 for the starting keep count of each module. */
export type PriorId =
  /** Each module keeps as many of its neurons as the base method's own allocation keeps. */
  | 'inherit'
  /** Each module keeps its layer's base keep ratio (largest-remainder rounding within the layer). Reconstruction. */
  | 'proportional';

/** A reliability threshold: the layer's median over its neurons, or a fixed value. */
export type ReliabilityThreshold = 'layer-median' | number;

/** Settings of the learned module-wise sparsity search (step 6). */
export interface SearchSettings {
  /** Loss evaluations the search may spend, the prior's included. 0 skips the search. Reconstruction. @defaultValue 100 */
  evaluations: number;
  /**
   * Maximum neurons one move transfers between two modules. 'auto' takes
   * max(1, round(2% of the median module size)). Reconstruction. @defaultValue 'auto'
   */
  moveSize: number | 'auto';
  /** Seed of the move sampling, a non-negative integer. @defaultValue 0 */
  seed: number;
}

export interface GpruneConfig {
  /** Base importance metric scored per dataset (step 1). @defaultValue 'flap' */
  baseMetric: MetricId;
  /** The base method's allocation, which the `inherit` prior starts from. 'auto' takes the metric's own (flap-global for flap, uniform otherwise). @defaultValue 'auto' */
  baseAllocation: AllocationId | 'auto';
  /** Ratio 0–1 of FFN parameters removed, in [0, 1). @defaultValue 0.2 */
  sparsity: number;
  /** Neurons every layer keeps at least. @defaultValue 1 */
  minPerLayer: number;
  /** Modules per layer, K (step 4). @defaultValue 4 */
  modules: number;
  /** Partition of step 4. @defaultValue 'kmeans-mu-sigma' */
  clustering: ClusteringId;
  /** Most Lloyd iterations of k-means per layer. Reconstruction. @defaultValue 100 */
  kmeansIterations: number;
  /** τσ: a module is unreliable only when its mean σ (a rank spread in [0, 0.5]) is above it. @defaultValue 'layer-median' */
  sigmaThreshold: ReliabilityThreshold;
  /** τm: a module is unreliable only when its mean m (a z-score) is below it. @defaultValue 'layer-median' */
  magnitudeThreshold: ReliabilityThreshold;
  /** Metric switch. On, unreliable modules are scored by `unreliableMetric`. Off, every module is scored from `reliableSource`. @defaultValue true */
  metricSwitch: boolean;
  /** Activation-independent metric for unreliable modules. @defaultValue 'magnitude' */
  unreliableMetric: MetricId;
  /** Score of reliable modules. @defaultValue 'pooled' */
  reliableSource: ReliableSource;
  /** Dataset id for `reliableSource: 'primary'`, or null for the first dataset. @defaultValue null */
  primaryDataset: string | null;
  /** Starting keep counts of the modules (step 6). @defaultValue 'inherit' */
  prior: PriorId;
  /** Seed of k-means++ and of the `random` metric, a non-negative integer. @defaultValue 0 */
  seed: number;
  /** Bias compensation at export. 'auto' turns it on for base metric `flap` only. @defaultValue 'auto' */
  biasCompensation: boolean | 'auto';
  search: SearchSettings;
}

export const CLUSTERING_IDS: readonly ClusteringId[] = ['kmeans-mu-sigma', 'kmeans-ranks', 'sigma-quantiles'];
export const RELIABLE_SOURCES: readonly ReliableSource[] = ['pooled', 'mean-z', 'primary'];
export const PRIOR_IDS: readonly PriorId[] = ['inherit', 'proportional'];

export const DEFAULT_GPRUNE_CONFIG: Readonly<GpruneConfig> = Object.freeze({
  baseMetric: 'flap',
  baseAllocation: 'auto',
  sparsity: 0.2,
  minPerLayer: 1,
  modules: 4,
  clustering: 'kmeans-mu-sigma',
  kmeansIterations: 100,
  sigmaThreshold: 'layer-median',
  magnitudeThreshold: 'layer-median',
  metricSwitch: true,
  unreliableMetric: 'magnitude',
  reliableSource: 'pooled',
  primaryDataset: null,
  prior: 'inherit',
  seed: 0,
  biasCompensation: 'auto',
  search: Object.freeze({ evaluations: 100, moveSize: 'auto', seed: 0 }),
} as const);

/** Returns the defaults with `overrides` applied, the nested search settings merged field by field. */
export function gpruneConfig(overrides: Partial<Omit<GpruneConfig, 'search'>> & { search?: Partial<SearchSettings> } = {}): GpruneConfig {
  return { ...DEFAULT_GPRUNE_CONFIG, ...overrides, search: { ...DEFAULT_GPRUNE_CONFIG.search, ...overrides.search } };
}

/** Raises INVALID_CONFIG naming the first invalid field, its value and the allowed values. */
export function validateGpruneConfig(config: GpruneConfig): void {
  checkOneOf(config.baseMetric, 'baseMetric', METRIC_IDS);
  checkOneOf(config.baseAllocation, 'baseAllocation', [...ALLOCATION_IDS, 'auto']);
  checkSparsity(config.sparsity);
  checkInteger(config.minPerLayer, 'minPerLayer', 0);
  checkInteger(config.modules, 'modules', 1);
  checkOneOf(config.clustering, 'clustering', CLUSTERING_IDS);
  checkInteger(config.kmeansIterations, 'kmeansIterations', 1);
  checkThreshold(config.sigmaThreshold, 'sigmaThreshold');
  checkThreshold(config.magnitudeThreshold, 'magnitudeThreshold');
  if (typeof config.metricSwitch !== 'boolean') {
    throw new GpruneError('INVALID_CONFIG', `metricSwitch ${String(config.metricSwitch)} is invalid; use true or false`);
  }
  checkOneOf(config.unreliableMetric, 'unreliableMetric', METRIC_IDS);
  if (metricNeedsActivations(config.unreliableMetric)) {
    throw new GpruneError(
      'INVALID_CONFIG',
      `unreliableMetric "${config.unreliableMetric}" needs activations, which are what unreliable modules lack; use an activation-independent metric such as "magnitude"`,
    );
  }
  checkOneOf(config.reliableSource, 'reliableSource', RELIABLE_SOURCES);
  if (config.primaryDataset !== null && typeof config.primaryDataset !== 'string') {
    throw new GpruneError('INVALID_CONFIG', `primaryDataset ${String(config.primaryDataset)} is invalid; pass a dataset id or null`);
  }
  checkOneOf(config.prior, 'prior', PRIOR_IDS);
  checkInteger(config.seed, 'seed', 0);
  if (config.biasCompensation !== 'auto' && typeof config.biasCompensation !== 'boolean') {
    throw new GpruneError('INVALID_CONFIG', `biasCompensation ${String(config.biasCompensation)} is invalid; use true, false or "auto"`);
  }
  validateSearchSettings(config.search);
}

/** Raises INVALID_CONFIG for an invalid evaluation budget, move size or seed. */
export function validateSearchSettings(search: SearchSettings): void {
  checkInteger(search.evaluations, 'search.evaluations', 0);
  if (search.moveSize !== 'auto') checkInteger(search.moveSize, 'search.moveSize', 1);
  checkInteger(search.seed, 'search.seed', 0);
}

function checkThreshold(value: ReliabilityThreshold, field: string): void {
  if (value !== 'layer-median') checkFinite(value, field);
}
