import { scoreLayer } from '../metrics/scoreLayer';
import type { LayerWeightSummary } from '../types';
import type { LayerModules } from './partitionModules';
import type { ScoringSource } from './scoringSource';
import type { LayerSensitivity } from './sensitivity';

/** The scores a module can be ordered by, computed once for the whole model. */
export interface ScoreTables {
  weights: readonly LayerWeightSummary[];
  /** Base metric on the pooled statistics, `[layer][neuron]`. */
  pooled: readonly Float64Array[];
  /** Base metric per dataset, `[dataset][layer][neuron]`. */
  perDataset: readonly (readonly Float64Array[])[];
  /** Dataset ids in the order of `perDataset`. */
  datasetIds: readonly string[];
  sensitivity: readonly LayerSensitivity[];
  /** Seed of the `random` metric. */
  seed: number;
}

/**
 * Step 5 (scores): gives each neuron the score of its module's source. Scores are only
 * compared within a module, so sources with different scales may share a layer.
 * `sources` is indexed `[layer][module]`. Returns `[layer][neuron]`.
 */
export function scoreModules(sources: readonly (readonly ScoringSource[])[], modules: readonly LayerModules[], tables: ScoreTables): Float64Array[] {
  return modules.map(({ assignment, count }, l) => {
    // Modules that share a source share one score array.
    const cache = new Map<string, Float64Array>();
    const moduleScores = Array.from({ length: count }, (_, k) => {
      const source = sources[l][k];
      const key = JSON.stringify(source);
      const cached = cache.get(key) ?? layerScoresOf(source, l, tables);
      cache.set(key, cached);
      return cached;
    });

    const scores = new Float64Array(assignment.length);
    assignment.forEach((module, j) => {
      scores[j] = moduleScores[module][j];
    });
    return scores;
  });
}

function layerScoresOf(source: ScoringSource, l: number, tables: ScoreTables): Float64Array {
  switch (source.kind) {
    case 'unreliable':
      return scoreLayer(source.metric, tables.weights[l], null, tables.seed, l);
    case 'pooled':
      return tables.pooled[l];
    case 'mean-z':
      return tables.sensitivity[l].magnitude;
    case 'primary':
      return tables.perDataset[tables.datasetIds.indexOf(source.dataset)][l];
  }
}
