import { describe, expect, it } from 'vitest';
import { averageRanks, percentileRanks } from '../../src/core/stats';

describe('averageRanks', () => {
  it('averageRanks(values) gives ties the mean position', () => {
    expect(Array.from(averageRanks([5, 7, 7, 1]))).toEqual([1, 2.5, 2.5, 0]);
  });

  it('averageRanks(values) does not reorder its input', () => {
    const values = [3, 1, 2];
    averageRanks(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('averageRanks(values) rejects NaN', () => {
    expect(() => averageRanks([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('percentileRanks', () => {
  it('percentileRanks(scores) maps the highest score to 1 and the lowest to 0', () => {
    expect(Array.from(percentileRanks([0.3, 0.9, 0.1, 0.5]))).toEqual([1 / 3, 1, 0, 2 / 3]);
  });

  it('percentileRanks(scores) averages ties', () => {
    // Positions 0 and 1 tie at 0.5; divided by n − 1 = 2.
    expect(Array.from(percentileRanks([1, 1, 2]))).toEqual([0.25, 0.25, 1]);
  });

  it('percentileRanks(scores) ranks a constant layer at 0.5', () => {
    expect(Array.from(percentileRanks([4, 4, 4]))).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(percentileRanks([7]))).toEqual([0.5]);
  });

  it('percentileRanks(scores) stays in [0, 1] on random input', () => {
    const scores = Array.from({ length: 500 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453);
    const ranks = percentileRanks(scores);
    expect(Math.min(...ranks)).toBe(0);
    expect(Math.max(...ranks)).toBe(1);
  });
});
