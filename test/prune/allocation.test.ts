import { describe, expect, it } from 'vitest';
import { allocateKeepCounts, countParameters, flapGlobalAllocation, uniformAllocation } from '../../src/core/prune';
import { createRng } from '../../src/core/prune/rng';
import { layerWeights, randomWeights, sum } from './fixtures';

describe('uniformAllocation', () => {
  it('uniformAllocation(weights, s) meets the budget exactly on random shapes', () => {
    const next = createRng(1);
    for (let trial = 0; trial < 200; trial++) {
      const widths = Array.from({ length: 1 + Math.floor(next() * 6) }, () => 1 + Math.floor(next() * 60));
      const p = 1 + Math.floor(next() * 10);
      const weights = randomWeights(next, widths, p);
      const total = sum(widths);
      const maxSparsity = (total - widths.length) / total;
      const sparsity = next() * maxSparsity * 0.999;

      const keep = uniformAllocation(weights, sparsity, 1);

      const removed = total - sum(keep);
      expect(removed, `widths ${widths} sparsity ${sparsity}`).toBe(Math.round(sparsity * total));
      expect(countParameters(weights, keep).after).toBe((total - Math.round(sparsity * total)) * p);
      keep.forEach((count, l) => {
        expect(count).toBeGreaterThanOrEqual(1);
        expect(count).toBeLessThanOrEqual(widths[l]);
      });
    }
  });

  it('uniformAllocation(weights, s) gives equal layers equal counts within one neuron', () => {
    const weights = [10, 10, 10].map(() => layerWeights(Array.from({ length: 10 }, () => 1)));
    // 0.25 · 30 = 7.5 → 8 removals (halves round up): 3, 3, 2 by layer index.
    expect(uniformAllocation(weights, 0.25, 1)).toEqual([7, 7, 8]);
  });

  it('uniformAllocation(weights, s) keeps the same ratio in layers of different width', () => {
    const weights = [layerWeights(Array(100).fill(1)), layerWeights(Array(50).fill(1))];
    expect(uniformAllocation(weights, 0.2, 1)).toEqual([80, 40]);
  });

  it('uniformAllocation(weights, s) passes a capped layer share to the others', () => {
    const weights = [layerWeights(Array(4).fill(1)), layerWeights(Array(20).fill(1))];
    // 0.8 · 24 = 19.2 → 19 removals; layer 0 can lose at most 4 − 2 = 2.
    expect(uniformAllocation(weights, 0.8, 2)).toEqual([2, 3]);
  });

  it('uniformAllocation(weights, s) raises INVALID_CONFIG when minPerLayer makes s unreachable', () => {
    const weights = [layerWeights(Array(4).fill(1)), layerWeights(Array(4).fill(1))];
    expect(() => uniformAllocation(weights, 0.9, 1)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => uniformAllocation(weights, 0.9, 1)).toThrow(/at most 36/);
  });

  it('uniformAllocation(weights, 0) keeps every neuron', () => {
    const weights = [layerWeights([1, 2, 3]), layerWeights([1])];
    expect(uniformAllocation(weights, 0, 1)).toEqual([3, 1]);
  });
});

describe('flapGlobalAllocation', () => {
  it('flapGlobalAllocation(scores, weights, s) meets the budget exactly on random shapes', () => {
    const next = createRng(2);
    for (let trial = 0; trial < 200; trial++) {
      const widths = Array.from({ length: 1 + Math.floor(next() * 6) }, () => 1 + Math.floor(next() * 60));
      const weights = randomWeights(next, widths, 12);
      const scores = widths.map((width) => Float64Array.from({ length: width }, () => next() ** 3));
      const total = sum(widths);
      const sparsity = next() * ((total - widths.length) / total) * 0.999;

      const keep = flapGlobalAllocation(scores, weights, sparsity, 1);

      expect(total - sum(keep), `widths ${widths} sparsity ${sparsity}`).toBe(Math.round(sparsity * total));
      keep.forEach((count) => expect(count).toBeGreaterThanOrEqual(1));
    }
  });

  it('flapGlobalAllocation(scores, weights, s) removes the lowest z-scores over the model', () => {
    // Layer 0 has one outlier high score, so its other neurons standardize low;
    // layer 1 has evenly spread scores.
    const scores = [Float64Array.of(1, 1, 1, 10), Float64Array.of(1, 2, 3, 4)];
    const weights = [layerWeights([1, 1, 1, 1]), layerWeights([1, 1, 1, 1])];
    // z layer 0: [−0.577, −0.577, −0.577, 1.732]; z layer 1: [−1.342, −0.447, 0.447, 1.342].
    // Removing 3 of 8: −1.342 (layer 1), then −0.577 twice from layer 0.
    expect(flapGlobalAllocation(scores, weights, 3 / 8, 1)).toEqual([2, 3]);
  });

  it('flapGlobalAllocation differs from uniformAllocation when layers differ', () => {
    const scores = [Float64Array.of(1, 1, 1, 10), Float64Array.of(1, 2, 3, 4)];
    const weights = [layerWeights([1, 1, 1, 1]), layerWeights([1, 1, 1, 1])];
    // Removing 4 of 8: uniform takes 2 per layer; flap-global takes −1.342 from layer 1,
    // then the three −0.577 of layer 0.
    const uniform = uniformAllocation(weights, 0.5, 1);
    const global = flapGlobalAllocation(scores, weights, 0.5, 1);
    expect(uniform).toEqual([2, 2]);
    expect(global).toEqual([1, 3]);
  });

  it('flapGlobalAllocation rejects NaN scores', () => {
    const weights = [layerWeights([1, 1])];
    expect(() => flapGlobalAllocation([Float64Array.of(1, Number.NaN)], weights, 0.5, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('allocateKeepCounts', () => {
  it('allocateKeepCounts with mixed paramsPerNeuron ends within half the largest p of the target', () => {
    const next = createRng(3);
    for (let trial = 0; trial < 100; trial++) {
      const widths = Array.from({ length: 2 + Math.floor(next() * 4) }, () => 5 + Math.floor(next() * 40));
      const ppn = widths.map(() => 1 + Math.floor(next() * 9));
      const weights = randomWeights(next, widths, ppn);
      const scores = widths.map((width) => Float64Array.from({ length: width }, () => next()));
      const sparsity = next() * 0.8;
      for (const allocation of ['uniform', 'flap-global'] as const) {
        const keep = allocateKeepCounts(allocation, { scores, weights, sparsity, minPerLayer: 1 });
        const { before, after } = countParameters(weights, keep);
        expect(Math.abs(before - after - sparsity * before)).toBeLessThanOrEqual(Math.max(...ppn) / 2);
      }
    }
  });

  it('allocateKeepCounts rejects an unknown allocation', () => {
    expect(() => allocateKeepCounts('owl' as never, { scores: [], weights: [], sparsity: 0, minPerLayer: 1 })).toThrow(/"owl" is unknown/);
  });

  it('allocateKeepCounts rejects a non-integer paramsPerNeuron', () => {
    const weights = [layerWeights([1, 2], 2.5)];
    expect(() => allocateKeepCounts('uniform', { scores: [], weights, sparsity: 0.5, minPerLayer: 1 })).toThrow(/paramsPerNeuron 2.5/);
  });
});
