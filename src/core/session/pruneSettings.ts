/**
 * The pruning settings of a studio session: one flat object for both methods, which the
 * UI edits, the worker maps onto the core configs, and share links carry.
 */
import { GpruneError, isGpruneError } from '../errors';
import { type BaselineConfig, validateBaselineConfig } from '../prune/baseline/config';
import { type ClusteringId, type GpruneConfig, type PriorId, type ReliableSource, gpruneConfig, validateGpruneConfig } from '../prune/gprune/config';
import type { AllocationId, MetricId } from '../prune/types';

export type PruneMethodKind = 'gprune' | 'baseline';

export interface PruneSettings {
  /** GPrune on a base metric, or the base metric alone with a baseline allocation. @defaultValue 'gprune' */
  method: PruneMethodKind;
  /** The base importance metric. @defaultValue 'flap' */
  metric: MetricId;
  /** Baseline allocation, or the base allocation behind GPrune's `inherit` prior; 'auto' takes the metric's own. @defaultValue 'auto' */
  allocation: AllocationId | 'auto';
  /** Ratio 0–1 of FFN parameters removed, in [0, 1). @defaultValue 0.2 */
  sparsity: number;
  /** Bias compensation at export and in loss estimates; 'auto' turns it on for `flap`. @defaultValue 'auto' */
  biasCompensation: boolean | 'auto';
  /** Neurons every layer keeps at least. @defaultValue 1 */
  minPerLayer: number;
  /** Seed of k-means++, of the `random` metric and of the search moves. @defaultValue 0 */
  seed: number;
  /** GPrune: modules per layer, K. @defaultValue 4 */
  modules: number;
  /** GPrune: how step 4 partitions a layer. @defaultValue 'kmeans-mu-sigma' */
  clustering: ClusteringId;
  /** GPrune: score unreliable modules with `unreliableMetric`. @defaultValue true */
  metricSwitch: boolean;
  /** GPrune: activation-independent metric of unreliable modules. @defaultValue 'magnitude' */
  unreliableMetric: MetricId;
  /** GPrune: score of reliable modules. @defaultValue 'pooled' */
  reliableSource: ReliableSource;
  /** GPrune: dataset id for `reliableSource: 'primary'`; null takes the first dataset. @defaultValue null */
  primaryDataset: string | null;
  /** GPrune: starting keep counts of the modules. @defaultValue 'inherit' */
  prior: PriorId;
  /** Loss evaluations the learned sparsity search may spend, the prior's included. @defaultValue 60 */
  searchEvaluations: number;
}

export const DEFAULT_PRUNE_SETTINGS: Readonly<PruneSettings> = Object.freeze({
  method: 'gprune',
  metric: 'flap',
  allocation: 'auto',
  sparsity: 0.2,
  biasCompensation: 'auto',
  minPerLayer: 1,
  seed: 0,
  modules: 4,
  clustering: 'kmeans-mu-sigma',
  metricSwitch: true,
  unreliableMetric: 'magnitude',
  reliableSource: 'pooled',
  primaryDataset: null,
  prior: 'inherit',
  searchEvaluations: 60,
} as const);

/** A user's keep ratio for one module, replacing the plan's keep count of that module. */
export interface ModuleOverride {
  /** FFN layer index. */
  layer: number;
  /** Module id within the layer (for baselines, 0: the whole layer). */
  module: number;
  /** Ratio 0–1 of the module's neurons kept. */
  keepRatio: number;
}

export function toBaselineConfig(settings: PruneSettings): BaselineConfig {
  return {
    metric: settings.metric,
    allocation: settings.allocation,
    sparsity: settings.sparsity,
    minPerLayer: settings.minPerLayer,
    seed: settings.seed,
    biasCompensation: settings.biasCompensation,
  };
}

export function toGpruneConfig(settings: PruneSettings): GpruneConfig {
  return gpruneConfig({
    baseMetric: settings.metric,
    baseAllocation: settings.allocation,
    sparsity: settings.sparsity,
    minPerLayer: settings.minPerLayer,
    modules: settings.modules,
    clustering: settings.clustering,
    metricSwitch: settings.metricSwitch,
    unreliableMetric: settings.unreliableMetric,
    reliableSource: settings.reliableSource,
    primaryDataset: settings.primaryDataset,
    prior: settings.prior,
    seed: settings.seed,
    biasCompensation: settings.biasCompensation,
    search: { evaluations: settings.searchEvaluations, moveSize: 'auto', seed: settings.seed },
  });
}

/**
 * Raises INVALID_CONFIG naming the first invalid field. The GPrune fields are checked for
 * either method, so switching the method never exposes an invalid value.
 */
export function validatePruneSettings(settings: PruneSettings): void {
  if (settings.method !== 'gprune' && settings.method !== 'baseline') {
    throw new GpruneError('INVALID_CONFIG', `method "${String(settings.method)}" is invalid; use "gprune" or "baseline"`);
  }
  validateBaselineConfig(toBaselineConfig(settings));
  validateGpruneConfig(toGpruneConfig(settings));
}

/** Returns whether `settings` passes `validatePruneSettings`, with the message when it does not. */
export function checkPruneSettings(settings: PruneSettings): { ok: true } | { ok: false; message: string } {
  try {
    validatePruneSettings(settings);
    return { ok: true };
  } catch (error) {
    if (isGpruneError(error)) return { ok: false, message: error.message };
    throw error;
  }
}
