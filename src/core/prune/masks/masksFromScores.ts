import { GpruneError } from '../../errors';
import { checkScores } from '../checkScores';
import type { LayerMasks } from '../types';
import { orderByScore } from './orderByScore';

/**
 * Builds keep-masks that keep, in each layer, the `keepCounts[l]` neurons with the highest
 * scores (1 = keep, 0 = remove). Among equal scores the lower neuron index is kept.
 * Raises INVALID_ARGUMENT for a keep count outside [0, width] or scores that do not fit.
 */
export function masksFromScores(scores: readonly Float64Array[], keepCounts: readonly number[]): LayerMasks {
  checkScores(
    scores,
    scores.map((layerScores) => layerScores.length),
  );
  if (keepCounts.length !== scores.length) {
    throw new GpruneError('INVALID_ARGUMENT', `expected one keep count per layer (${scores.length} layers), got ${keepCounts.length}`);
  }

  return scores.map((layerScores, l) => {
    const keep = keepCounts[l];
    if (!(Number.isInteger(keep) && keep >= 0 && keep <= layerScores.length)) {
      throw new GpruneError('INVALID_ARGUMENT', `layer ${l} has ${layerScores.length} FFN neurons; keep count ${keep} is out of range [0, ${layerScores.length}]`);
    }
    const mask = new Uint8Array(layerScores.length);
    const order = orderByScore(layerScores);
    for (let rank = 0; rank < keep; rank++) mask[order[rank]] = 1;
    return mask;
  });
}
