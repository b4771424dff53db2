import { standardize } from '../../stats/standardize';

/** Per-neuron measures of how a neuron's importance varies across datasets, for one layer. */
export interface LayerSensitivity {
  /** σ(j) = std_d r_d(j): distribution sensitivity, a rank spread in [0, 0.5] (population std over datasets). */
  sigma: Float64Array;
  /** μ(j) = mean_d r_d(j): mean percentile rank, in [0, 1]. */
  mu: Float64Array;
  /** m(j) = mean_d z_d(j): score magnitude, the mean within-layer z-score of S_d. */
  magnitude: Float64Array;
}

/**
 * Step 3: σ, μ and m of every neuron from the per-dataset scores and ranks, both indexed
 * `[dataset][layer][neuron]`. Returns one entry per layer.
 */
export function measureSensitivity(
  scores: readonly (readonly Float64Array[])[],
  ranks: readonly (readonly Float64Array[])[],
): LayerSensitivity[] {
  const datasetCount = ranks.length;
  const layerCount = ranks[0]?.length ?? 0;
  const layers: LayerSensitivity[] = [];

  for (let l = 0; l < layerCount; l++) {
    const width = ranks[0][l].length;
    const mu = new Float64Array(width);
    const sigma = new Float64Array(width);
    const magnitude = new Float64Array(width);

    for (let d = 0; d < datasetCount; d++) {
      const r = ranks[d][l];
      const z = standardize(scores[d][l]);
      for (let j = 0; j < width; j++) {
        mu[j] += r[j] / datasetCount;
        magnitude[j] += z[j] / datasetCount;
      }
    }
    for (let d = 0; d < datasetCount; d++) {
      const r = ranks[d][l];
      for (let j = 0; j < width; j++) sigma[j] += (r[j] - mu[j]) ** 2 / datasetCount;
    }
    for (let j = 0; j < width; j++) sigma[j] = Math.sqrt(sigma[j]);

    layers.push({ sigma, mu, magnitude });
  }
  return layers;
}
