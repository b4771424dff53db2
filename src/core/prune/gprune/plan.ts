import type { PruneMethod, PrunePlan } from '../baseline/plan';
import type { SearchProblem } from '../search/problem';
import type { GpruneConfig } from './config';
import type { LayerModules } from './partitionModules';
import type { LayerReliability } from './reliability';
import type { ScoringSource } from './scoringSource';
import type { LayerSensitivity } from './sensitivity';

/** What GPrune found in one layer. */
export interface GpruneLayer {
  sensitivity: LayerSensitivity;
  modules: LayerModules;
  reliability: LayerReliability;
  /** Scoring source of each module, by module id. */
  sources: ScoringSource[];
  /** Index of this layer's module 0 in `GprunePlan.problem.modules`. */
  firstModule: number;
}

/**
 * A GPrune plan: the masks of a `PrunePlan` plus everything behind them. Its `scores` are
 * the module scores, comparable only within one module.
 */
export interface GprunePlan extends PrunePlan {
  method: Extract<PruneMethod, { kind: 'gprune' }>;
  config: GpruneConfig;
  /** Dataset ids in the order of the statistics given. */
  datasets: string[];
  layers: GpruneLayer[];
  /** Modules and prior keep counts, ready for `searchModuleSparsity`. */
  problem: SearchProblem;
  /** Keep count of each module (neurons), in `problem.modules` order. */
  moduleKeepCounts: number[];
  /** The base method's own plan on the pooled statistics, which the `inherit` prior starts from. */
  baseline: PrunePlan;
}
