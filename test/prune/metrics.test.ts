import { describe, expect, it } from 'vitest';
import { METRIC_IDS, METRICS, metricNeedsActivations, scoreLayer, scoreModel } from '../../src/core/prune';
import { layerStatsFromMoments, layerWeights } from './fixtures';

describe('scoreLayer', () => {
  const weights = layerWeights([2, 0.5, 1], 6, [0.3, 0.2, 0.1]);
  // Neuron means 1, 0, −2 and variances 4, 9, 0 over 10 tokens.
  const stats = layerStatsFromMoments([1, 0, -2], [4, 9, 0], 10);

  it("scoreLayer('magnitude') returns the output-weight norms", () => {
    expect(Array.from(scoreLayer('magnitude', weights, null, 0, 0))).toEqual([2, 0.5, 1]);
  });

  it("scoreLayer('wanda-sp') multiplies mean |W| by the activation RMS", () => {
    const scores = scoreLayer('wanda-sp', weights, stats, 0, 0);
    // sqrt(S2/n) = sqrt(variance + mean²) = sqrt(5), 3, 2
    expect(scores[0]).toBeCloseTo(0.3 * Math.sqrt(5), 12);
    expect(scores[1]).toBeCloseTo(0.2 * 3, 12);
    expect(scores[2]).toBeCloseTo(0.1 * 2, 12);
  });

  it("scoreLayer('flap') multiplies the activation variance by the squared norm", () => {
    const scores = scoreLayer('flap', weights, stats, 0, 0);
    expect(scores[0]).toBeCloseTo(4 * 2 ** 2, 10);
    expect(scores[1]).toBeCloseTo(9 * 0.5 ** 2, 10);
    expect(scores[2]).toBeCloseTo(0, 10);
  });

  it("scoreLayer('random') repeats per seed and layer and differs across layers", () => {
    const wide = layerWeights(Array.from({ length: 50 }, () => 1));
    const first = scoreLayer('random', wide, null, 7, 3);
    expect(Array.from(scoreLayer('random', wide, null, 7, 3))).toEqual(Array.from(first));
    expect(Array.from(scoreLayer('random', wide, null, 7, 4))).not.toEqual(Array.from(first));
    expect(Array.from(scoreLayer('random', wide, null, 8, 3))).not.toEqual(Array.from(first));
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('scoreLayer(activation metric, null stats) raises INVALID_CONFIG', () => {
    for (const metric of ['flap', 'wanda-sp'] as const) {
      expect(() => scoreLayer(metric, weights, null, 0, 2)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
      expect(() => scoreLayer(metric, weights, null, 0, 2)).toThrow(/needs activation statistics.*layer 2/);
    }
  });

  it('scoreLayer(metric, stats of another width) raises STATS_MISMATCH', () => {
    const narrow = layerStatsFromMoments([1, 2], [1, 1]);
    expect(() => scoreLayer('flap', weights, narrow, 0, 0)).toThrow(expect.objectContaining({ code: 'STATS_MISMATCH' }));
  });

  it('scoreLayer(unknown metric) raises INVALID_CONFIG listing the metrics', () => {
    expect(() => scoreLayer('taylor' as never, weights, null, 0, 0)).toThrow(/"taylor" is unknown.*magnitude/);
  });
});

describe('METRICS', () => {
  it('METRICS marks exactly flap and wanda-sp as needing activations', () => {
    expect(METRIC_IDS.filter(metricNeedsActivations).sort()).toEqual(['flap', 'wanda-sp']);
    expect(Object.keys(METRICS).sort()).toEqual(['flap', 'magnitude', 'random', 'wanda-sp']);
  });
});

describe('scoreModel', () => {
  it('scoreModel(metric, weights, stats) rejects a different layer count', () => {
    const weights = [layerWeights([1, 2]), layerWeights([3, 4])];
    const stats = { dataset: 'wiki', epsilon: 0, tokens: 10, layers: [layerStatsFromMoments([0, 0], [1, 1])] };
    expect(() => scoreModel('flap', weights, stats, 0)).toThrow(expect.objectContaining({ code: 'STATS_MISMATCH' }));
  });
});
