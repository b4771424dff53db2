import { describe, expect, it } from 'vitest';
import { median, quantile, standardize } from '../../src/core/stats';

describe('standardize', () => {
  it('standardize(scores) divides by the population standard deviation', () => {
    // mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
    const z = standardize([1, 2, 3, 4]);
    const std = Math.sqrt(1.25);
    expect(Array.from(z)).toEqual([-1.5 / std, -0.5 / std, 0.5 / std, 1.5 / std]);
  });

  it('standardize(scores) gives mean 0 and variance 1', () => {
    const z = standardize([3, 9, 27, 81, 243]);
    const mean = z.reduce((sum, value) => sum + value, 0) / z.length;
    const variance = z.reduce((sum, value) => sum + (value - mean) ** 2, 0) / z.length;
    expect(mean).toBeCloseTo(0, 12);
    expect(variance).toBeCloseTo(1, 12);
  });

  it('standardize(constant) returns zeros', () => {
    expect(Array.from(standardize([2, 2, 2]))).toEqual([0, 0, 0]);
  });
});

describe('quantile', () => {
  it('quantile(values, p) interpolates between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
  });

  it('median(values) does not reorder its input', () => {
    const values = Float64Array.of(3, 1, 2);
    expect(median(values)).toBe(2);
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });

  it('quantile([], p) raises INVALID_ARGUMENT', () => {
    expect(() => quantile([], 0.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
