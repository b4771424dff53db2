/**
 * Turns the Adjust settings into a plan: GPrune or a baseline, the search problem the
 * sliders and the learned search work on, and the module list the UI shows.
 */
import { planBaseline } from '../../src/core/prune/baseline/planBaseline';
import { describeMethod, type PrunePlan } from '../../src/core/prune/baseline/plan';
import { describeScoringSource } from '../../src/core/prune/gprune/scoringSource';
import type { GprunePlan } from '../../src/core/prune/gprune/plan';
import { planGprune } from '../../src/core/prune/gprune/planGprune';
import { layerSearchProblem } from '../../src/core/prune/search/layerProblem';
import type { SearchProblem } from '../../src/core/prune/search/problem';
import type { LayerWeightSummary } from '../../src/core/prune/types';
import { type PruneSettings, toBaselineConfig, toGpruneConfig } from '../../src/core/session/pruneSettings';
import type { DatasetStats } from '../../src/core/stats/types';
import type { ModuleInfo } from './api';

export interface BuiltPlan {
  plan: PrunePlan;
  /** The GPrune plan when the method is GPrune. */
  gprune: GprunePlan | null;
  /** Modules for sliders and the search: GPrune's modules, or one module per layer for baselines. */
  problem: SearchProblem;
  modules: ModuleInfo[];
  warnings: string[];
}

export function buildPlan(settings: PruneSettings, weights: readonly LayerWeightSummary[], stats: readonly DatasetStats[]): BuiltPlan {
  const warnings: string[] = [];
  if (settings.method === 'gprune' && stats.length === 1) {
    warnings.push('GPrune got one calibration dataset, so every neuron has σ = 0 and no module is unreliable. Profile at least two datasets to measure sensitivity.');
  }

  if (settings.method === 'baseline') {
    const plan = planBaseline(toBaselineConfig(settings), weights, stats);
    const problem = layerSearchProblem(plan, weights, settings.minPerLayer);
    const modules = problem.modules.map((m, i): ModuleInfo => ({ layer: m.layer, module: 0, size: m.neurons.length, paramsPerNeuron: m.paramsPerNeuron, priorKeep: problem.prior[i] }));
    return { plan, gprune: null, problem, modules, warnings };
  }

  const gprune = planGprune(toGpruneConfig(settings), weights, stats);
  const modules = gprune.problem.modules.map((m, i): ModuleInfo => {
    const summary = gprune.layers[m.layer].reliability.modules[m.index];
    return {
      layer: m.layer,
      module: m.index,
      size: m.neurons.length,
      paramsPerNeuron: m.paramsPerNeuron,
      priorKeep: gprune.problem.prior[i],
      meanSigma: summary.meanSigma,
      meanMu: summary.meanMu,
      meanMagnitude: summary.meanMagnitude,
      reliable: summary.reliable,
      source: describeScoringSource(gprune.layers[m.layer].sources[m.index]),
    };
  });
  return { plan: gprune, gprune, problem: gprune.problem, modules, warnings };
}

export function methodLabel(plan: PrunePlan): string {
  return describeMethod(plan.method);
}

