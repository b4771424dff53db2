import type { DatasetStats } from '../../stats/types';
import { searchModuleSparsity } from '../search/searchModuleSparsity';
import type { SearchProgressEvent, SearchResult } from '../search/types';
import type { LayerWeightSummary } from '../types';
import type { GpruneConfig } from './config';
import type { GprunePlan } from './plan';
import { planGprune } from './planGprune';
import { withModuleKeepCounts } from './withModuleKeepCounts';

/** A GPrune plan with the search that produced its module keep counts. */
export interface GpruneOutcome {
  plan: GprunePlan;
  /** The search result, or null when `config.search.evaluations` is 0. */
  search: SearchResult | null;
}

/**
 * Runs all of GPrune: plans steps 1–7 with the prior, then, unless
 * `config.search.evaluations` is 0, learns the module keep counts by minimizing `lossFn`
 * (next-token loss on held-out windows through the masks) and applies them. Cancelling
 * raises CANCELLED as `searchModuleSparsity` does.
 */
export async function runGprune(
  config: GpruneConfig,
  weights: readonly LayerWeightSummary[],
  stats: readonly DatasetStats[],
  lossFn: (masks: Uint8Array[]) => Promise<number>,
  options: { signal?: AbortSignal; onProgress?: (event: SearchProgressEvent) => void } = {},
): Promise<GpruneOutcome> {
  const prior = planGprune(config, weights, stats);
  if (config.search.evaluations === 0) return { plan: prior, search: null };

  const search = await searchModuleSparsity(prior.problem, lossFn, {
    evaluations: config.search.evaluations,
    seed: config.search.seed,
    moveSize: config.search.moveSize,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { plan: withModuleKeepCounts(prior, search.keepCounts), search };
}
