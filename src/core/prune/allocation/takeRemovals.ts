import { GpruneError } from '../../errors';
import type { LayerWeightSummary } from '../types';
import { removalCapacities } from './budget';

/**
 * Turns a removal order into keep counts under the parameter budget. This is the rule
 * that every allocation shares, so the budget is met the same way everywhere.
 *
 * `order` lists layer indices, one entry per candidate neuron, most removable first. The
 * walk removes a candidate when its layer still has more than `minPerLayer` neurons and
 * the removal brings the removed parameters no further from `target` (removed + p/2 ≤
 * target, for a neuron of p parameters). Otherwise it skips the candidate and goes on.
 *
 * When every layer has the same paramsPerNeuron p, this removes exactly
 * R = round(target / p) neurons (halves round up), so the removed parameters are the
 * multiple of p nearest to the target. The target is the floating-point product
 * sparsity · total, so a sparsity such as 0.35 that has no exact binary form may fall just
 * below an exact half and round down. When p differs between layers, an exact match may
 * not exist, and the removed parameters end within half the largest p of the target.
 *
 * Raises INVALID_CONFIG when the target exceeds what the layers can lose while keeping
 * `minPerLayer` neurons each.
 */
export function takeRemovals(
  order: ArrayLike<number>,
  weights: readonly LayerWeightSummary[],
  target: number,
  minPerLayer: number,
): number[] {
  const capacities = removalCapacities(weights, minPerLayer);
  checkReachable(weights, capacities, target, minPerLayer);

  const removed = new Array<number>(weights.length).fill(0);
  let removedParameters = 0;
  for (let c = 0; c < order.length; c++) {
    const l = order[c];
    if (removed[l] >= capacities[l]) continue;
    const p = weights[l].paramsPerNeuron;
    // removed + p/2 ≤ target, doubled so no halving is needed.
    if (2 * removedParameters + p <= 2 * target) {
      removed[l]++;
      removedParameters += p;
    }
  }
  return weights.map((layer, l) => layer.width - removed[l]);
}

function checkReachable(weights: readonly LayerWeightSummary[], capacities: number[], target: number, minPerLayer: number): void {
  let removable = 0;
  let smallest = Number.POSITIVE_INFINITY;
  weights.forEach((layer, l) => {
    removable += capacities[l] * layer.paramsPerNeuron;
    if (capacities[l] > 0) smallest = Math.min(smallest, layer.paramsPerNeuron);
  });
  // The walk would still take the smallest removable neuron after exhausting every layer.
  const nextNeuron = Number.isFinite(smallest) ? smallest : minimumParameters(weights);
  if (2 * removable + nextNeuron <= 2 * target) {
    const total = weights.reduce((sum, layer) => sum + layer.width * layer.paramsPerNeuron, 0);
    throw new GpruneError(
      'INVALID_CONFIG',
      `sparsity ${(target / total).toPrecision(4)} asks to remove ${Math.round(target)} of ${total} FFN parameters, but keeping ${minPerLayer} neuron(s) per layer allows removing at most ${removable}; lower the sparsity or minPerLayer`,
    );
  }
}

function minimumParameters(weights: readonly LayerWeightSummary[]): number {
  return weights.reduce((smallest, layer) => Math.min(smallest, layer.paramsPerNeuron), Number.POSITIVE_INFINITY);
}
