import type { PrunePlan } from '../baseline/plan';
import { orderByScore } from '../masks/orderByScore';
import type { LayerWeightSummary } from '../types';
import type { SearchProblem } from './problem';

/**
 * A search problem with one module per layer, started from a plan's per-layer keep counts
 * and ordered by its scores. Running the search on it, next to the module-level problem,
 * tells the gain of modules apart from the gain of the search.
 */
export function layerSearchProblem(plan: PrunePlan, weights: readonly LayerWeightSummary[], minPerLayer: number): SearchProblem {
  return {
    widths: weights.map((layer) => layer.width),
    modules: weights.map((layer, l) => ({
      layer: l,
      index: 0,
      neurons: orderByScore(plan.scores[l]),
      paramsPerNeuron: layer.paramsPerNeuron,
    })),
    prior: [...plan.keepCounts],
    minPerLayer,
  };
}
