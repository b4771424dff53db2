import { describe, expect, it } from 'vitest';
import { mergeStats, poolStats } from '../../src/core/stats';
import { datasetFromLayers, statsFromActivations } from './fixtures';

const tokensA = [
  [1, -2],
  [3, 0],
];
const tokensB = [[-1, 4]];

describe('mergeStats', () => {
  it('mergeStats(a, b) equals the statistics of the concatenated tokens', () => {
    const a = datasetFromLayers('wiki', [statsFromActivations(tokensA)]);
    const b = datasetFromLayers('wiki', [statsFromActivations(tokensB)]);
    const whole = statsFromActivations([...tokensA, ...tokensB]);

    const merged = mergeStats(a, b);

    expect(merged.tokens).toBe(3);
    expect(merged.layers[0].n).toBe(whole.n);
    expect(Array.from(merged.layers[0].s1)).toEqual(Array.from(whole.s1));
    expect(Array.from(merged.layers[0].s2)).toEqual(Array.from(whole.s2));
    expect(Array.from(merged.layers[0].a1)).toEqual(Array.from(whole.a1));
    expect(Array.from(merged.layers[0].f)).toEqual(Array.from(whole.f));
  });

  it('mergeStats(a, b) leaves its inputs unchanged', () => {
    const a = datasetFromLayers('wiki', [statsFromActivations(tokensA)]);
    const b = datasetFromLayers('c4', [statsFromActivations(tokensB)]);
    mergeStats(a, b);
    expect(Array.from(a.layers[0].s1)).toEqual([4, -2]);
    expect(a.tokens).toBe(2);
  });

  it('mergeStats(a, b) keeps equal ids and joins different ids', () => {
    const a = datasetFromLayers('wiki', [statsFromActivations(tokensA)]);
    const b = datasetFromLayers('c4', [statsFromActivations(tokensB)]);
    expect(mergeStats(a, a).dataset).toBe('wiki');
    expect(mergeStats(a, b).dataset).toBe('wiki+c4');
  });

  it('mergeStats(a, b) rejects different neuron counts', () => {
    const a = datasetFromLayers('wiki', [statsFromActivations(tokensA)]);
    const b = datasetFromLayers('c4', [statsFromActivations([[1, 2, 3]])]);
    expect(() => mergeStats(a, b)).toThrow(expect.objectContaining({ code: 'STATS_MISMATCH' }));
    expect(() => mergeStats(a, b)).toThrow(/2 neurons.*3/);
  });

  it('mergeStats(a, b) rejects different layer counts', () => {
    const a = datasetFromLayers('wiki', [statsFromActivations(tokensA)]);
    const b = datasetFromLayers('c4', [statsFromActivations(tokensA), statsFromActivations(tokensA)]);
    expect(() => mergeStats(a, b)).toThrow(expect.objectContaining({ code: 'STATS_MISMATCH' }));
  });

  it('mergeStats(a, b) rejects different epsilon', () => {
    const a = datasetFromLayers('wiki', [statsFromActivations(tokensA)], 0);
    const b = datasetFromLayers('c4', [statsFromActivations(tokensB)], 0.01);
    expect(() => mergeStats(a, b)).toThrow(/epsilon/);
  });
});

describe('poolStats', () => {
  it('poolStats(list) adds every dataset', () => {
    const sets = [tokensA, tokensB, [[5, 5]]].map((tokens, i) => datasetFromLayers(`d${i}`, [statsFromActivations(tokens)]));
    const pooled = poolStats(sets);
    expect(pooled.layers[0].n).toBe(4);
    expect(Array.from(pooled.layers[0].s1)).toEqual([1 + 3 - 1 + 5, -2 + 0 + 4 + 5]);
    expect(pooled.dataset).toBe('d0+d1+d2');
  });

  it('poolStats([]) raises INVALID_ARGUMENT', () => {
    expect(() => poolStats([])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
