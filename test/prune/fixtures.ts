import { createRng, type Rng } from '../../src/core/prune/rng';
import type { LayerWeightSummary } from '../../src/core/prune/types';
import type { DatasetStats, LayerStats } from '../../src/core/stats/types';

/** Builds a weight summary from explicit per-neuron norms. Mean |W| defaults to norm / 2. */
export function layerWeights(downNorm: number[], paramsPerNeuron = 6, downMeanAbs?: number[]): LayerWeightSummary {
  return {
    width: downNorm.length,
    paramsPerNeuron,
    downNorm: Float64Array.from(downNorm),
    downMeanAbs: Float64Array.from(downMeanAbs ?? downNorm.map((norm) => norm / 2)),
  };
}

/** Builds random weight summaries for the given widths, one paramsPerNeuron for all layers unless a list is given. */
export function randomWeights(next: Rng, widths: number[], paramsPerNeuron: number | number[] = 6): LayerWeightSummary[] {
  return widths.map((width, l) => {
    const norms = Array.from({ length: width }, () => 0.1 + next());
    return layerWeights(norms, Array.isArray(paramsPerNeuron) ? paramsPerNeuron[l] : paramsPerNeuron);
  });
}

/** Builds layer sums with chosen per-neuron mean and variance over n tokens (S1 = n·mean, S2 = n·(variance + mean²)). */
export function layerStatsFromMoments(means: number[], variances: number[], n = 100): LayerStats {
  const width = means.length;
  return {
    n,
    s1: Float64Array.from(means, (mean) => n * mean),
    s2: Float64Array.from(means, (mean, j) => n * (variances[j] + mean * mean)),
    a1: Float64Array.from(means, (mean) => n * Math.abs(mean)),
    f: new Float64Array(width).fill(n),
  };
}

/** Builds a dataset's statistics with random per-neuron variances (so `flap` and `wanda-sp` scores differ between datasets). */
export function randomDataset(next: Rng, name: string, widths: number[]): DatasetStats {
  const layers = widths.map((width) =>
    layerStatsFromMoments(
      Array.from({ length: width }, () => next() - 0.5),
      Array.from({ length: width }, () => 0.01 + next()),
    ),
  );
  return { dataset: name, epsilon: 0, tokens: 100, layers };
}

/** Builds a small model with two random datasets, for plan-level tests. */
export function smallModel(seed: number, widths = [24, 16, 32], paramsPerNeuron = 6) {
  const next = createRng(seed);
  const weights = randomWeights(next, widths, paramsPerNeuron);
  const stats = [randomDataset(next, 'wiki', widths), randomDataset(next, 'code', widths)];
  return { weights, stats };
}

/** Sums an array of numbers. */
export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
