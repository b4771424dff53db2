import { createRng } from '../rng';

/**
 * `random`: uniform scores in [0, 1) drawn from `seed` and the layer index, so each layer
 * gets its own sequence and the same seed gives the same scores.
 */
export function randomScores(width: number, seed: number, layerIndex: number): Float64Array {
  const next = createRng(seed, layerIndex);
  const scores = new Float64Array(width);
  for (let j = 0; j < width; j++) scores[j] = next();
  return scores;
}
