import type { DatasetStats, LayerStats } from '../../src/core/stats/types';

/** Builds one layer's sums from explicit activations, `[token][neuron]`, so expected values are easy to derive by hand. */
export function statsFromActivations(activations: number[][], epsilon = 0): LayerStats {
  const width = activations[0]?.length ?? 0;
  const layer: LayerStats = {
    n: activations.length,
    s1: new Float64Array(width),
    s2: new Float64Array(width),
    a1: new Float64Array(width),
    f: new Float64Array(width),
  };
  for (const token of activations) {
    token.forEach((x, j) => {
      layer.s1[j] += x;
      layer.s2[j] += x * x;
      layer.a1[j] += Math.abs(x);
      if (Math.abs(x) > epsilon) layer.f[j] += 1;
    });
  }
  return layer;
}

/** Wraps layers into a dataset's statistics. */
export function datasetFromLayers(dataset: string, layers: LayerStats[], epsilon = 0): DatasetStats {
  return { dataset, epsilon, tokens: layers[0]?.n ?? 0, layers };
}
