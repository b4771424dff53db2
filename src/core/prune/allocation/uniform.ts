import type { LayerWeightSummary } from '../types';
import { removalCapacities, removalTarget } from './budget';
import { takeRemovals } from './takeRemovals';

/**
 * `uniform` allocation (as Wanda-sp): every layer removes the same ratio of its neurons,
 * as nearly as integer counts allow, and the model meets the parameter budget of
 * `takeRemovals`. Returns the neurons each layer keeps.
 *
 * Removals are ordered by the ratio they bring their layer to, (t − ½) / width for the
 * t-th removal (the Sainte-Laguë / Webster rule), ties going to the lower layer index. So
 * equal layers differ by at most one neuron, and a layer held at `minPerLayer` passes its
 * share to the others.
 */
export function uniformAllocation(weights: readonly LayerWeightSummary[], sparsity: number, minPerLayer: number): number[] {
  const capacities = removalCapacities(weights, minPerLayer);
  const total = capacities.reduce((sum, capacity) => sum + capacity, 0);

  const keys = new Float64Array(total);
  const layers = new Int32Array(total);
  let c = 0;
  capacities.forEach((capacity, l) => {
    for (let t = 1; t <= capacity; t++) {
      keys[c] = (t - 0.5) / weights[l].width;
      layers[c] = l;
      c++;
    }
  });

  const order = new Uint32Array(total).map((_, i) => i);
  order.sort((a, b) => keys[a] - keys[b] || layers[a] - layers[b]);
  return takeRemovals(
    Array.from(order, (candidate) => layers[candidate]),
    weights,
    removalTarget(weights, sparsity),
    minPerLayer,
  );
}
