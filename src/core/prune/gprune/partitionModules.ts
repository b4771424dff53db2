import { standardize } from '../../stats/standardize';
import type { ClusteringId } from './config';
import { kmeans } from './kmeans';
import type { LayerSensitivity } from './sensitivity';

/** Options of step 4. */
export interface PartitionOptions {
  /** Modules per layer, K. A layer with fewer distinct points gets fewer modules. */
  modules: number;
  clustering: ClusteringId;
  /** Most Lloyd iterations per layer. */
  kmeansIterations: number;
  /** Seed of k-means++. Each layer draws from its own stream of it. */
  seed: number;
}

/** Modules of one layer. */
export interface LayerModules {
  /** Module id of each neuron, in [0, count). */
  assignment: Int32Array;
  /** Modules formed, none of them empty. */
  count: number;
}

/**
 * Step 4: partitions each layer's neurons into at most K behaviour-consistent modules.
 * Module ids are canonical: ascending mean σ, then ascending mean μ, then lowest neuron
 * index, so module 0 is the layer's most distribution-robust group.
 * `ranks` is indexed `[dataset][layer][neuron]` and used by 'kmeans-ranks'.
 */
export function partitionModules(
  sensitivity: readonly LayerSensitivity[],
  ranks: readonly (readonly Float64Array[])[],
  options: PartitionOptions,
): LayerModules[] {
  return sensitivity.map((layer, l) => {
    const raw = clusterLayer(layer, ranks.map((dataset) => dataset[l]), l, options);
    return canonicalModules(raw, layer);
  });
}

function clusterLayer(layer: LayerSensitivity, layerRanks: Float64Array[], layerIndex: number, options: PartitionOptions): Int32Array {
  const width = layer.sigma.length;
  const kmeansOptions = { seed: options.seed, stream: layerIndex, maxIterations: options.kmeansIterations };

  switch (options.clustering) {
    case 'kmeans-mu-sigma': {
      // [width × 2]: within-layer z-scores of (μ, σ), so both axes weigh the same.
      const muZ = standardize(layer.mu);
      const sigmaZ = standardize(layer.sigma);
      const points = new Float64Array(width * 2);
      for (let j = 0; j < width; j++) {
        points[2 * j] = muZ[j];
        points[2 * j + 1] = sigmaZ[j];
      }
      return kmeans(points, 2, options.modules, kmeansOptions).assignment;
    }
    case 'kmeans-ranks': {
      // [width × D]: the neuron's percentile rank on each dataset, already on one [0, 1] scale.
      const dim = layerRanks.length;
      const points = new Float64Array(width * dim);
      for (let j = 0; j < width; j++) {
        for (let d = 0; d < dim; d++) points[j * dim + d] = layerRanks[d][j];
      }
      return kmeans(points, dim, options.modules, kmeansOptions).assignment;
    }
    case 'sigma-quantiles':
      return sigmaQuantileBins(layer.sigma, options.modules);
  }
}

/** Sorts the neurons by σ (ties by index) and cuts the order into K groups of near-equal size. */
function sigmaQuantileBins(sigma: Float64Array, modules: number): Int32Array {
  const width = sigma.length;
  const order = new Int32Array(width).map((_, j) => j);
  order.sort((a, b) => sigma[a] - sigma[b] || a - b);
  const assignment = new Int32Array(width);
  order.forEach((neuron, position) => {
    assignment[neuron] = Math.floor((position * modules) / width);
  });
  return assignment;
}

/** Relabels clusters into the canonical order and drops empty ones. */
function canonicalModules(raw: Int32Array, layer: LayerSensitivity): LayerModules {
  const stats = new Map<number, { size: number; sigma: number; mu: number; first: number }>();
  raw.forEach((cluster, j) => {
    const entry = stats.get(cluster) ?? { size: 0, sigma: 0, mu: 0, first: j };
    entry.size++;
    entry.sigma += layer.sigma[j];
    entry.mu += layer.mu[j];
    stats.set(cluster, entry);
  });

  const ordered = [...stats.entries()].sort(([, a], [, b]) => a.sigma / a.size - b.sigma / b.size || a.mu / a.size - b.mu / b.size || a.first - b.first);
  const relabel = new Map(ordered.map(([cluster], module) => [cluster, module]));
  return { assignment: raw.map((cluster) => relabel.get(cluster)!), count: ordered.length };
}

