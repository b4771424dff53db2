import { describe, expect, it } from 'vitest';
import {
  assessReliability,
  chooseScoringSource,
  DEFAULT_GPRUNE_CONFIG,
  kmeans,
  measureSensitivity,
  modulePrior,
  partitionModules,
  rankWithinLayers,
  scorePerDataset,
} from '../../src/core/prune';
import { createRng } from '../../src/core/prune/rng';
import { standardize } from '../../src/core/stats';
import { smallModel, sum } from './fixtures';

/** Steps 2–3 on explicit per-dataset scores of one layer. */
function sensitivityOf(scoresPerDataset: number[][]) {
  const scores = scoresPerDataset.map((layer) => [Float64Array.from(layer)]);
  const ranks = rankWithinLayers(scores);
  return { ranks, sensitivity: measureSensitivity(scores, ranks) };
}

describe('GPrune steps 1–3', () => {
  it('scorePerDataset gives one score set per dataset', () => {
    const { weights, stats } = smallModel(3);
    const scores = scorePerDataset('flap', weights, stats, 0);
    expect(scores).toHaveLength(2);
    expect(scores[0].map((layer) => layer.length)).toEqual([24, 16, 32]);
    expect(Array.from(scores[0][0])).not.toEqual(Array.from(scores[1][0]));
  });

  it('scorePerDataset without datasets raises INVALID_CONFIG', () => {
    const { weights } = smallModel(3);
    expect(() => scorePerDataset('flap', weights, [], 0)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('measureSensitivity gives a swinging neuron σ = 0.5', () => {
    // Neuron 0 is the best on dataset A and the worst on dataset B. The others keep their order.
    const { sensitivity } = sensitivityOf([
      [10, 4, 3, 2, 1],
      [0, 4, 3, 2, 1],
    ]);
    const sigma = Array.from(sensitivity[0].sigma);
    // r_A(0) = 1, r_B(0) = 0: population std of {1, 0} is 0.5, the largest possible.
    expect(sigma[0]).toBeCloseTo(0.5, 12);
    expect(Math.max(...sigma.slice(1))).toBeLessThan(0.2);
  });

  it('measureSensitivity computes μ and m by hand', () => {
    const { sensitivity } = sensitivityOf([
      [1, 2, 3],
      [3, 2, 1],
    ]);
    // Ranks A = [0, 0.5, 1], B = [1, 0.5, 0]: μ = 0.5 everywhere, σ = [0.5, 0, 0.5].
    expect(Array.from(sensitivity[0].mu)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(sensitivity[0].sigma)).toEqual([0.5, 0, 0.5]);
    // z_A = −z_B, so m = 0 for each neuron.
    const zA = standardize([1, 2, 3]);
    const zB = standardize([3, 2, 1]);
    sensitivity[0].magnitude.forEach((m, j) => expect(m).toBeCloseTo((zA[j] + zB[j]) / 2, 12));
  });
});

describe('GPrune step 4', () => {
  it('kmeans separates well-separated groups', () => {
    const points = Float64Array.of(0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1);
    const { assignment, clusters } = kmeans(points, 2, 2, { seed: 1, maxIterations: 20 });
    expect(clusters).toBe(2);
    expect(assignment[0]).toBe(assignment[1]);
    expect(assignment[0]).toBe(assignment[2]);
    expect(assignment[3]).toBe(assignment[4]);
    expect(assignment[3]).toBe(assignment[5]);
    expect(assignment[0]).not.toBe(assignment[3]);
  });

  it('kmeans forms fewer clusters than k for fewer distinct points', () => {
    const points = Float64Array.of(1, 1, 1, 1, 2, 2);
    expect(kmeans(points, 2, 4, { seed: 0, maxIterations: 10 }).clusters).toBe(2);
  });

  const next = createRng(9);
  const widths = [40, 25];
  const scores = [0, 1, 2].map(() => widths.map((width) => Float64Array.from({ length: width }, () => next())));
  const ranks = rankWithinLayers(scores);
  const sensitivity = measureSensitivity(scores, ranks);
  const options = { modules: 4, clustering: 'kmeans-mu-sigma' as const, kmeansIterations: 100, seed: 3 };

  it('partitionModules gives the same modules for the same seed', () => {
    const a = partitionModules(sensitivity, ranks, options);
    const b = partitionModules(sensitivity, ranks, options);
    expect(a).toEqual(b);
  });

  it('partitionModules orders modules by ascending mean σ and leaves none empty', () => {
    for (const clustering of ['kmeans-mu-sigma', 'kmeans-ranks', 'sigma-quantiles'] as const) {
      const layers = partitionModules(sensitivity, ranks, { ...options, clustering });
      layers.forEach(({ assignment, count }, l) => {
        expect(count).toBeLessThanOrEqual(4);
        const sizes = new Array(count).fill(0);
        const sigmaSums = new Array(count).fill(0);
        assignment.forEach((module, j) => {
          sizes[module]++;
          sigmaSums[module] += sensitivity[l].sigma[j];
        });
        expect(sizes.every((size) => size > 0), clustering).toBe(true);
        const means = sigmaSums.map((total, k) => total / sizes[k]);
        expect(means).toEqual([...means].sort((x, y) => x - y));
      });
    }
  });

  it("partitionModules('sigma-quantiles') cuts equal-count bins of σ", () => {
    const layers = partitionModules(sensitivity, ranks, { ...options, clustering: 'sigma-quantiles' });
    const sizes = new Array(4).fill(0);
    layers[0].assignment.forEach((module) => sizes[module]++);
    expect(sizes).toEqual([10, 10, 10, 10]);
    // Every neuron of bin k has σ ≤ every neuron of bin k + 1.
    const sigma = sensitivity[0].sigma;
    for (let k = 0; k < 3; k++) {
      const top = Math.max(...Array.from(sigma).filter((_, j) => layers[0].assignment[j] === k));
      const bottom = Math.min(...Array.from(sigma).filter((_, j) => layers[0].assignment[j] === k + 1));
      expect(top).toBeLessThanOrEqual(bottom);
    }
  });
});

describe('GPrune step 5', () => {
  it('assessReliability finds no unreliable module in an all-robust layer', () => {
    // Both datasets order the neurons identically, so σ = 0 for every neuron.
    const { sensitivity, ranks } = sensitivityOf([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [2, 4, 6, 8, 10, 12, 14, 16],
    ]);
    const modules = partitionModules(sensitivity, ranks, { modules: 4, clustering: 'kmeans-mu-sigma', kmeansIterations: 50, seed: 0 });
    const [layer] = assessReliability(sensitivity, modules, { sigma: 'layer-median', magnitude: 'layer-median' });
    expect(layer.sigmaThreshold).toBe(0);
    expect(layer.modules.every((module) => module.reliable)).toBe(true);
  });

  it('assessReliability marks a module with high σ and low m unreliable', () => {
    // Neurons 0–1 swing from bottom to top between datasets with a low mean z;
    // neurons 2–5 stay in the same place on both.
    const { sensitivity } = sensitivityOf([
      [0.1, 0.2, 5, 6, 7, 8],
      [9, 9.5, 5, 6, 7, 8],
    ]);
    const modules = [{ assignment: Int32Array.of(0, 0, 1, 1, 1, 1), count: 2 }];
    const [layer] = assessReliability(sensitivity, modules, { sigma: 'layer-median', magnitude: 'layer-median' });
    expect(layer.modules[0].meanSigma).toBeGreaterThan(layer.sigmaThreshold);
    expect(layer.modules[0].meanMagnitude).toBeLessThan(layer.magnitudeThreshold);
    expect(layer.modules[0].reliable).toBe(false);
    expect(layer.modules[1].reliable).toBe(true);
    expect(layer.modules.map((module) => module.size)).toEqual([2, 4]);
  });

  it('assessReliability applies fixed thresholds', () => {
    const { sensitivity } = sensitivityOf([
      [1, 2, 3],
      [3, 2, 1],
    ]);
    const modules = [{ assignment: Int32Array.of(0, 0, 0), count: 1 }];
    const strict = assessReliability(sensitivity, modules, { sigma: 0.1, magnitude: 1 });
    const loose = assessReliability(sensitivity, modules, { sigma: 0.9, magnitude: 1 });
    expect(strict[0].modules[0].reliable).toBe(false);
    expect(loose[0].modules[0].reliable).toBe(true);
  });

  it('chooseScoringSource follows the metric switch', () => {
    const config = DEFAULT_GPRUNE_CONFIG;
    expect(chooseScoringSource(false, config, 'wiki')).toEqual({ kind: 'unreliable', metric: 'magnitude' });
    expect(chooseScoringSource(true, config, 'wiki')).toEqual({ kind: 'pooled', metric: 'flap' });
    expect(chooseScoringSource(false, { ...config, metricSwitch: false }, 'wiki')).toEqual({ kind: 'pooled', metric: 'flap' });
    expect(chooseScoringSource(true, { ...config, reliableSource: 'primary' }, 'wiki')).toEqual({ kind: 'primary', metric: 'flap', dataset: 'wiki' });
    expect(chooseScoringSource(true, { ...config, reliableSource: 'mean-z' }, 'wiki')).toEqual({ kind: 'mean-z', metric: 'flap' });
  });
});

describe('GPrune step 6 prior', () => {
  const modules = [{ assignment: Int32Array.of(0, 1, 0, 1, 2, 2), count: 3 }];
  const baseMasks = [Uint8Array.of(1, 1, 1, 0, 0, 0)];

  it("modulePrior('inherit') counts the base method's kept neurons per module", () => {
    expect(modulePrior('inherit', modules, baseMasks)).toEqual([[2, 1, 0]]);
  });

  it("modulePrior('proportional') splits the layer's keep count by module size", () => {
    const prior = modulePrior('proportional', modules, baseMasks);
    // 3 kept of 6 and modules of 2 neurons each: 1 per module.
    expect(prior).toEqual([[1, 1, 1]]);
    expect(sum(prior[0])).toBe(3);
  });
});
