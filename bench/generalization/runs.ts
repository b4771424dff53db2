/**
 * Every pruning run of the benchmark: the baselines, GPrune on two base metrics, the
 * baselines calibrated on one set, and the ablations. Each run turns one seed's
 * calibration and one sparsity into keep-masks (and bias compensation where the method
 * uses it).
 */
import { DEFAULT_BASELINE_CONFIG, planBaseline, resolveBiasCompensation } from '../../src/core/prune/baseline';
import { gpruneConfig, planGprune, runGprune, type GprunePlan } from '../../src/core/prune/gprune';
import { layerSearchProblem, masksForKeepCounts, searchModuleSparsity, type SearchProblem, type SearchResult } from '../../src/core/prune/search';
import type { MetricId } from '../../src/core/prune/types';
import type { DatasetStats } from '../../src/core/stats/types';
import type { Calibrated, Compensate, Harness } from './harness';

/** Calibration dataset names, in profiling order. */
export const CALIBRATION_SETS = ['tinystories-calib', 'wikitext-2-valid', 'ptb-valid'] as const;
export type CalibrationSet = (typeof CALIBRATION_SETS)[number];

/** One seed's calibration, shared by all runs of that seed. */
export interface SeedContext {
  seed: number;
  harness: Harness;
  calibrated: Record<CalibrationSet, Calibrated>;
  /** Held-out windows of all calibration sets: the search loss mixture. */
  heldOut: Int32Array[];
  searchEvaluations: number;
  /** Compensators by calibration subset. */
  compensators: Map<string, Promise<Compensate>>;
  /** Layer-search results by `${base}@${sparsity}`, reused when K = 1 poses the same problem. */
  layerSearches: Map<string, { problem: SearchProblem; outcome: RunOutcome }>;
}

export interface SearchSummary {
  evaluations: number;
  /** Mean held-out NLL (nats) of the prior and of the result. */
  priorLoss: number;
  loss: number;
  acceptedMoves: number;
  stopReason: SearchResult['stopReason'];
  seconds: number;
}

export interface RunOutcome {
  masks: Uint8Array[];
  compensate?: Compensate;
  /** FFN parameters kept. */
  keptParameters: number;
  search?: SearchSummary;
  /** Set when the run reused another run's result because both posed the same problem. */
  reusedFrom?: string;
  /** GPrune runs: what the metric switch did. */
  modules?: ModuleDiagnostics;
}

export interface ModuleDiagnostics {
  modules: number;
  unreliableModules: number;
  /** Neurons in unreliable modules. */
  unreliableNeurons: number;
  /** Neurons that the run keeps and the base plan removes (as many are removed that the base keeps). */
  changedFromBase: number;
}

export type RunGroup = 'main' | 'single-set' | 'ablation';

export interface RunSpec {
  id: string;
  group: RunGroup;
  /** Base metric of the run, for grouping ablations. */
  base: MetricId;
  /** Description of the run for the tables. */
  description: string;
  execute(context: SeedContext, sparsity: number): Promise<RunOutcome>;
}

/** Lists the runs in execution order. A layer search runs before the K = 1 ablation that may reuse it. */
export function benchmarkRuns(): RunSpec[] {
  const runs: RunSpec[] = [
    baselineRun('random', 'random', CALIBRATION_SETS, 'main'),
    baselineRun('magnitude', 'magnitude', CALIBRATION_SETS, 'main'),
    baselineRun('wanda-sp', 'wanda-sp', CALIBRATION_SETS, 'main'),
    baselineRun('flap', 'flap', CALIBRATION_SETS, 'main'),
    gpruneRun('gprune/base=flap', 'flap', { modules: 4, metricSwitch: true, search: true }, 'main'),
    gpruneRun('gprune/base=wanda-sp', 'wanda-sp', { modules: 4, metricSwitch: true, search: true }, 'main'),
  ];
  for (const base of ['flap', 'wanda-sp'] as const) {
    for (const set of CALIBRATION_SETS) runs.push(baselineRun(`${base} [${set} only]`, base, [set], 'single-set'));
  }
  for (const base of ['flap', 'wanda-sp'] as const) {
    runs.push(layerSearchRun(base));
    runs.push(gpruneRun(`gprune/base=${base}, K=1`, base, { modules: 1, metricSwitch: true, search: true }, 'ablation'));
    runs.push(gpruneRun(`gprune/base=${base}, no switch`, base, { modules: 4, metricSwitch: false, search: true }, 'ablation'));
    runs.push(gpruneRun(`gprune/base=${base}, prior only`, base, { modules: 4, metricSwitch: true, search: false }, 'ablation'));
  }
  return runs;
}

function baselineRun(id: string, metric: MetricId, sets: readonly CalibrationSet[], group: RunGroup): RunSpec {
  const allocation = metric === 'flap' ? 'flap-global' : 'uniform';
  return {
    id,
    group,
    base: metric,
    description: `${metric} + ${allocation}, calibrated on ${sets.length === CALIBRATION_SETS.length ? 'all three sets (pooled)' : sets.join(', ')}`,
    async execute(context, sparsity) {
      const stats = sets.map((set) => context.calibrated[set].stats);
      const plan = planBaseline({ ...DEFAULT_BASELINE_CONFIG, metric, sparsity, seed: context.seed }, context.harness.weights, metric === 'random' || metric === 'magnitude' ? [] : stats);
      const compensate = plan.biasCompensation ? await compensatorFor(context, sets) : undefined;
      return { masks: plan.masks, compensate, keptParameters: plan.parameters.after };
    },
  };
}

interface GpruneVariant {
  modules: number;
  metricSwitch: boolean;
  search: boolean;
}

function gpruneRun(id: string, base: MetricId, variant: GpruneVariant, group: RunGroup): RunSpec {
  return {
    id,
    group,
    base,
    description: `GPrune on ${base}: K = ${variant.modules}, metric switch ${variant.metricSwitch ? 'on' : 'off'}, ${variant.search ? 'learned module sparsity' : 'prior keep counts (no search)'}`,
    async execute(context, sparsity) {
      const config = gpruneConfig({
        baseMetric: base,
        sparsity,
        modules: variant.modules,
        metricSwitch: variant.metricSwitch,
        seed: context.seed,
        search: { evaluations: variant.search ? context.searchEvaluations : 0, seed: context.seed },
      });
      const stats = allStats(context);
      const compensate = resolveBiasCompensation(config.biasCompensation, base) ? await compensatorFor(context, CALIBRATION_SETS) : undefined;

      if (variant.modules === 1 && variant.search) {
        const reused = context.layerSearches.get(`${base}@${sparsity}`);
        if (reused && sameProblem(planGprune(config, context.harness.weights, stats).problem, reused.problem)) {
          return { ...reused.outcome, reusedFrom: layerSearchId(base) };
        }
      }

      const started = performance.now();
      const outcome = await runGprune(config, context.harness.weights, stats, context.harness.lossFn(context.heldOut, compensate));
      const seconds = (performance.now() - started) / 1000;
      return {
        masks: outcome.plan.masks,
        compensate,
        keptParameters: outcome.plan.parameters.after,
        search: outcome.search ? summarizeSearch(outcome.search, seconds) : undefined,
        modules: moduleDiagnostics(outcome.plan),
      };
    },
  };
}

/** Builds the run that refines the base method's per-layer allocation with the same search, one module per layer. */
function layerSearchRun(base: MetricId): RunSpec {
  return {
    id: layerSearchId(base),
    group: 'ablation',
    base,
    description: `${base}'s own plan (pooled calibration), then the module search with one module per layer`,
    async execute(context, sparsity) {
      const stats = allStats(context);
      const plan = planBaseline({ ...DEFAULT_BASELINE_CONFIG, metric: base, sparsity, seed: context.seed }, context.harness.weights, stats);
      const compensate = plan.biasCompensation ? await compensatorFor(context, CALIBRATION_SETS) : undefined;
      const problem = layerSearchProblem(plan, context.harness.weights, DEFAULT_BASELINE_CONFIG.minPerLayer);

      const started = performance.now();
      const search = await searchModuleSparsity(problem, context.harness.lossFn(context.heldOut, compensate), { evaluations: context.searchEvaluations, seed: context.seed });
      const seconds = (performance.now() - started) / 1000;
      const keptParameters = problem.modules.reduce((sum, module, m) => sum + search.keepCounts[m] * module.paramsPerNeuron, 0);
      const outcome: RunOutcome = { masks: masksForKeepCounts(problem, search.keepCounts), compensate, keptParameters, search: summarizeSearch(search, seconds) };
      context.layerSearches.set(`${base}@${sparsity}`, { problem, outcome });
      return outcome;
    },
  };
}

export function layerSearchId(base: MetricId): string {
  return `${base} + layer search`;
}

function allStats(context: SeedContext): DatasetStats[] {
  return CALIBRATION_SETS.map((set) => context.calibrated[set].stats);
}

function compensatorFor(context: SeedContext, sets: readonly CalibrationSet[]): Promise<Compensate> {
  const key = sets.join('+');
  let compensator = context.compensators.get(key);
  if (!compensator) {
    compensator = context.harness.compensator(sets.map((set) => context.calibrated[set].stats));
    context.compensators.set(key, compensator);
  }
  return compensator;
}

function moduleDiagnostics(plan: GprunePlan): ModuleDiagnostics {
  const summaries = plan.layers.flatMap((layer) => layer.reliability.modules);
  const unreliable = summaries.filter((module) => !module.reliable);
  let changedFromBase = 0;
  plan.masks.forEach((mask, l) => mask.forEach((keep, j) => (changedFromBase += keep !== 0 && plan.baseline.masks[l][j] === 0 ? 1 : 0)));
  return {
    modules: summaries.length,
    unreliableModules: unreliable.length,
    unreliableNeurons: unreliable.reduce((sum, module) => sum + module.size, 0),
    changedFromBase,
  };
}

function summarizeSearch(search: SearchResult, seconds: number): SearchSummary {
  return {
    evaluations: search.evaluations,
    priorLoss: search.priorLoss,
    loss: search.loss,
    acceptedMoves: search.history.filter((step) => step.move !== null && step.accepted).length,
    stopReason: search.stopReason,
    seconds,
  };
}

/** Checks whether two problems have the same modules (layer, neurons in order, parameters) and prior, so a seeded search on them runs alike. */
export function sameProblem(a: SearchProblem, b: SearchProblem): boolean {
  if (a.minPerLayer !== b.minPerLayer || a.modules.length !== b.modules.length) return false;
  if (a.widths.some((width, l) => width !== b.widths[l]) || a.prior.some((keep, m) => keep !== b.prior[m])) return false;
  return a.modules.every((module, m) => {
    const other = b.modules[m];
    return module.layer === other.layer && module.paramsPerNeuron === other.paramsPerNeuron && module.neurons.length === other.neurons.length && module.neurons.every((neuron, i) => neuron === other.neurons[i]);
  });
}
