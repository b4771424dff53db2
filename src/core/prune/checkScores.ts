import { GpruneError } from '../errors';

/**
 * Raises INVALID_ARGUMENT unless there is one score array per layer, each with
 * `widths[l]` entries and no NaN (NaN has no place in an order of importance).
 */
export function checkScores(scores: readonly ArrayLike<number>[], widths: readonly number[]): void {
  if (scores.length !== widths.length) {
    throw new GpruneError('INVALID_ARGUMENT', `expected one score array per layer (${widths.length} layers), got ${scores.length}`);
  }
  scores.forEach((layerScores, l) => {
    if (layerScores.length !== widths[l]) {
      throw new GpruneError('INVALID_ARGUMENT', `layer ${l} has ${widths[l]} neurons but ${layerScores.length} scores`);
    }
    for (let j = 0; j < layerScores.length; j++) {
      if (Number.isNaN(layerScores[j])) {
        throw new GpruneError('INVALID_ARGUMENT', `score of neuron ${j} in layer ${l} is NaN; check the statistics and weights of that layer`);
      }
    }
  });
}
