/**
 * The per-neuron arrays behind the views: per-dataset scores and ranks, σ/μ/m, modules,
 * and the agreement between datasets.
 */
import type { GprunePlan } from '../../src/core/prune/gprune/plan';
import { planGprune } from '../../src/core/prune/gprune/planGprune';
import { rankWithinLayers } from '../../src/core/prune/gprune/rankWithinLayers';
import { describeScoringSource } from '../../src/core/prune/gprune/scoringSource';
import { scorePerDataset } from '../../src/core/prune/gprune/scorePerDataset';
import type { LayerWeightSummary } from '../../src/core/prune/types';
import { type PruneSettings, toGpruneConfig } from '../../src/core/session/pruneSettings';
import type { DatasetStats } from '../../src/core/stats/types';
import { keptSetOverlap, spearmanMatrix } from '../../src/core/views/agreement';
import type { AnalysisData } from './api';

/**
 * Builds the analysis. Modules come from `gprune` when the method is GPrune, otherwise
 * from a GPrune plan with the same base metric, so the views look the same for baselines.
 * `keepRatio` (ratio 0–1) sets the kept sets compared by depth.
 */
export function buildAnalysis(settings: PruneSettings, weights: readonly LayerWeightSummary[], stats: readonly DatasetStats[], gprune: GprunePlan | null, keepRatio: number): AnalysisData {
  const partition = gprune ?? planGprune(toGpruneConfig({ ...settings, method: 'gprune' }), weights, stats);
  // [dataset][layer][neuron]
  const scores = scorePerDataset(settings.metric, weights, stats, settings.seed);
  const ranks = rankWithinLayers(scores);
  const spearman = spearmanMatrix(scores);
  const overlap = keptSetOverlap(scores, keepRatio);
  const f32 = (values: ArrayLike<number>) => Float32Array.from(values);

  return {
    datasets: stats.map((s) => s.dataset),
    metric: settings.metric,
    scores: scores.map((layers) => layers.map(f32)),
    ranks: ranks.map((layers) => layers.map(f32)),
    sigma: partition.layers.map((layer) => f32(layer.sensitivity.sigma)),
    mu: partition.layers.map((layer) => f32(layer.sensitivity.mu)),
    magnitude: partition.layers.map((layer) => f32(layer.sensitivity.magnitude)),
    module: partition.layers.map((layer) => Int32Array.from(layer.modules.assignment)),
    moduleReliable: partition.layers.map((layer) => layer.reliability.modules.map((m) => m.reliable)),
    moduleSource: partition.layers.map((layer) => layer.sources.map(describeScoringSource)),
    spearman: spearman.mean,
    spearmanPerLayer: spearman.perLayer,
    overlapPairs: overlap.pairs,
    overlapPerLayer: overlap.perLayer,
    overlapKeepRatio: keepRatio,
  };
}
