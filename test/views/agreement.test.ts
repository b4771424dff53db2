import { describe, expect, it } from 'vitest';
import { keptSetOverlap, spearmanMatrix } from '../../src/core/views/agreement';

const f = (...values: number[]) => Float64Array.from(values);

describe('spearmanMatrix', () => {
  it('spearmanMatrix() gives 1 on the diagonal and ρ per pair', () => {
    // Dataset 0 and 1 agree in layer 0 and disagree completely in layer 1; dataset 2 is dataset 0 reversed.
    const scores = [
      [f(1, 2, 3, 4), f(1, 2, 3, 4)],
      [f(10, 20, 30, 40), f(4, 3, 2, 1)],
      [f(4, 3, 2, 1), f(4, 3, 2, 1)],
    ];
    const result = spearmanMatrix(scores);
    expect(result.perLayer[0][0][1]).toBeCloseTo(1, 12);
    expect(result.perLayer[1][0][1]).toBeCloseTo(-1, 12);
    expect(result.mean[0][1]).toBeCloseTo(0, 12);
    expect(result.mean[1][0]).toBeCloseTo(0, 12);
    expect(result.mean[0][2]).toBeCloseTo(-1, 12);
    expect(result.mean[2][2]).toBe(1);
  });

  it('spearmanMatrix() skips layers where ρ is undefined', () => {
    const scores = [
      [f(1, 1, 1), f(1, 2, 3)],
      [f(1, 2, 3), f(1, 2, 3)],
    ];
    const result = spearmanMatrix(scores);
    expect(Number.isNaN(result.perLayer[0][0][1])).toBe(true);
    expect(result.mean[0][1]).toBeCloseTo(1, 12);
  });
});

describe('keptSetOverlap', () => {
  it('keptSetOverlap() measures Jaccard of top sets per layer', () => {
    // Keep 2 of 4: dataset 0 keeps {2, 3}, dataset 1 keeps {1, 3} → 1 shared of 3.
    const scores = [[f(0, 1, 2, 3)], [f(0, 3, 1, 2)]];
    const result = keptSetOverlap(scores, 0.5);
    expect(result.pairs).toEqual([[0, 1]]);
    expect(result.perLayer[0][0]).toBeCloseTo(1 / 3, 12);
    expect(result.meanPerLayer[0]).toBeCloseTo(1 / 3, 12);
  });

  it('keptSetOverlap() with one dataset has no pairs', () => {
    const result = keptSetOverlap([[f(1, 2)]], 0.5);
    expect(result.pairs).toEqual([]);
    expect(Number.isNaN(result.meanPerLayer[0])).toBe(true);
  });
});
