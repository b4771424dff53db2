import { standardize } from '../../stats/standardize';
import { checkScores } from '../checkScores';
import type { LayerWeightSummary } from '../types';
import { removalTarget } from './budget';
import { takeRemovals } from './takeRemovals';

/**
 * `flap-global` allocation (FLAP's adaptive structure): standardizes the scores within
 * each layer, then removes neurons in ascending order of their z-score over the whole
 * model, as one global threshold does, until the parameter budget of `takeRemovals` is
 * met. Returns the neurons each layer keeps.
 *
 * Equal z-scores are removed lower layer first and, within a layer, higher neuron index
 * first, which matches the tie-break of `masksFromScores` (lower index kept).
 */
export function flapGlobalAllocation(
  scores: readonly Float64Array[],
  weights: readonly LayerWeightSummary[],
  sparsity: number,
  minPerLayer: number,
): number[] {
  checkScores(
    scores,
    weights.map((layer) => layer.width),
  );
  // Flattened over the model: [Σ_l width_l]
  const count = scores.reduce((sum, layerScores) => sum + layerScores.length, 0);
  const z = new Float64Array(count);
  const layerOf = new Int32Array(count);
  const neuronOf = new Int32Array(count);
  let c = 0;
  scores.forEach((layerScores, l) => {
    z.set(standardize(layerScores), c);
    for (let j = 0; j < layerScores.length; j++, c++) {
      layerOf[c] = l;
      neuronOf[c] = j;
    }
  });

  const order = new Uint32Array(count).map((_, i) => i);
  order.sort((a, b) => z[a] - z[b] || layerOf[a] - layerOf[b] || neuronOf[b] - neuronOf[a]);
  return takeRemovals(
    Array.from(order, (candidate) => layerOf[candidate]),
    weights,
    removalTarget(weights, sparsity),
    minPerLayer,
  );
}
