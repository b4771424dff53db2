import { describe, expect, it } from 'vitest';
import { spearman } from '../../src/core/stats';

describe('spearman', () => {
  it('spearman(a, b) is 1 for the same order and −1 for the reverse', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 400])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('spearman(a, b) matches 1 − 6Σd²/(n(n²−1)) without ties', () => {
    const a = [10, 20, 30, 40, 50];
    const b = [2, 1, 4, 3, 5];
    // Ranks of b: [1, 0, 3, 2, 4]; d = [−1, 1, −1, 1, 0]; Σd² = 4.
    const expected = 1 - (6 * 4) / (5 * (25 - 1));
    expect(spearman(a, b)).toBeCloseTo(expected, 12);
  });

  it('spearman(a, b) uses mean ranks for ties', () => {
    // Ranks a = [0, 1, 2, 3], b = [0.5, 0.5, 2, 3]; Pearson of the ranks by hand:
    // centred a = [−1.5, −0.5, 0.5, 1.5], centred b = [−1, −1, 0.5, 1.5];
    // Σab = 1.5 + 0.5 + 0.25 + 2.25 = 4.5, Σa² = 5, Σb² = 4.5.
    expect(spearman([1, 2, 3, 4], [7, 7, 8, 9])).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 12);
  });

  it('spearman(a, b) is NaN for a constant vector', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('spearman(a, b) rejects vectors of different length', () => {
    expect(() => spearman([1, 2], [1, 2, 3])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
