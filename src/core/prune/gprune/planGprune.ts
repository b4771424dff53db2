import { GpruneError } from '../../errors';
import { logger } from '../../log';
import type { DatasetStats } from '../../stats/types';
import { checkWeightSummaries, countParameters } from '../allocation/budget';
import { resolveAllocation } from '../baseline/baseAllocation';
import { planBaseline } from '../baseline/planBaseline';
import { layerKeepCounts, masksForKeepCounts } from '../search/problem';
import type { LayerWeightSummary } from '../types';
import { type GpruneConfig, validateGpruneConfig } from './config';
import { buildModuleProblem } from './moduleProblem';
import { partitionModules } from './partitionModules';
import type { GpruneLayer, GprunePlan } from './plan';
import { modulePrior } from './prior';
import { rankWithinLayers } from './rankWithinLayers';
import { assessReliability } from './reliability';
import { scoreModules } from './scoreModules';
import { chooseScoringSource } from './scoringSource';
import { measureSensitivity } from './sensitivity';
import { scorePerDataset } from './scorePerDataset';

const log = logger('gprune');

/**
 * Plans a GPrune prune from the per-dataset statistics, steps 1–7 with the prior keep
 * counts of step 6. Learn the module keep counts afterwards with `searchModuleSparsity`
 * on `plan.problem` and apply them with `withModuleKeepCounts`.
 *
 * Raises INVALID_CONFIG for an invalid config, no statistics or an unknown
 * `primaryDataset`, and STATS_MISMATCH when the statistics do not fit the weights. Warns
 * once when fewer than two datasets are given, because σ is then 0 for every neuron.
 */
export function planGprune(config: GpruneConfig, weights: readonly LayerWeightSummary[], stats: readonly DatasetStats[]): GprunePlan {
  validateGpruneConfig(config);
  checkWeightSummaries(weights);
  if (stats.length === 1) {
    log.warnOnce('single-dataset', 'GPrune got one calibration dataset, so every neuron has σ = 0 and no module is unreliable; add a second dataset to measure sensitivity');
  }

  // Step 1: S_d(j), the base metric per dataset.  [dataset][layer][neuron]
  const perDataset = scorePerDataset(config.baseMetric, weights, stats, config.seed);
  const datasets = stats.map((dataset) => dataset.dataset);
  const primaryDataset = resolvePrimaryDataset(config, datasets);
  // Step 2: r_d(j), percentile ranks within each layer.  [dataset][layer][neuron]
  const ranks = rankWithinLayers(perDataset);
  // Step 3: σ, μ and m per neuron.  [layer]
  const sensitivity = measureSensitivity(perDataset, ranks);
  // Step 4: K modules per layer.  [layer]
  const modules = partitionModules(sensitivity, ranks, {
    modules: config.modules,
    clustering: config.clustering,
    kmeansIterations: config.kmeansIterations,
    seed: config.seed,
  });

  // Step 5: reliability, then the scoring source and score of every module.
  const reliability = assessReliability(sensitivity, modules, { sigma: config.sigmaThreshold, magnitude: config.magnitudeThreshold });
  const sources = reliability.map((layer) => layer.modules.map((module) => chooseScoringSource(module.reliable, config, primaryDataset)));
  const baseline = planBaseline(
    {
      metric: config.baseMetric,
      allocation: config.baseAllocation,
      sparsity: config.sparsity,
      minPerLayer: config.minPerLayer,
      seed: config.seed,
      biasCompensation: config.biasCompensation,
    },
    weights,
    stats,
  );
  const scores = scoreModules(sources, modules, { weights, pooled: baseline.scores, perDataset, datasetIds: datasets, sensitivity, seed: config.seed });

  // Step 6: prior keep counts per module, within the base method's exact budget.
  const prior = modulePrior(config.prior, modules, baseline.masks);
  const problem = buildModuleProblem(modules, scores, prior, weights, config.minPerLayer);

  // Step 7: in module k keep its keep count of best neurons by the module's score.
  const masks = masksForKeepCounts(problem, problem.prior);
  const keepCounts = layerKeepCounts(problem, problem.prior);

  let firstModule = 0;
  const layers: GpruneLayer[] = sensitivity.map((layerSensitivity, l) => {
    const layer = { sensitivity: layerSensitivity, modules: modules[l], reliability: reliability[l], sources: sources[l], firstModule };
    firstModule += modules[l].count;
    return layer;
  });

  return {
    method: { kind: 'gprune', baseMetric: config.baseMetric, baseAllocation: resolveAllocation(config.baseAllocation, config.baseMetric), modules: config.modules, searched: false },
    sparsity: config.sparsity,
    masks,
    keepCounts,
    scores,
    parameters: countParameters(weights, keepCounts),
    biasCompensation: baseline.biasCompensation,
    config,
    datasets,
    layers,
    problem,
    moduleKeepCounts: [...problem.prior],
    baseline,
  };
}

function resolvePrimaryDataset(config: GpruneConfig, datasets: string[]): string {
  if (config.primaryDataset === null) return datasets[0];
  if (!datasets.includes(config.primaryDataset)) {
    throw new GpruneError('INVALID_CONFIG', `primaryDataset "${config.primaryDataset}" is not among the profiled datasets (${datasets.join(', ')}); pass one of them or null`);
  }
  return config.primaryDataset;
}
