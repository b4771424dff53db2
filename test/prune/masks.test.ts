import { describe, expect, it } from 'vitest';
import { countKept, masksFromScores, orderByScore } from '../../src/core/prune';

describe('masksFromScores', () => {
  it('masksFromScores(scores, keepCounts) keeps the top-k of each layer', () => {
    const masks = masksFromScores([Float64Array.of(0.1, 0.9, 0.5, 0.7), Float64Array.of(3, 1, 2)], [2, 1]);
    expect(Array.from(masks[0])).toEqual([0, 1, 0, 1]);
    expect(Array.from(masks[1])).toEqual([1, 0, 0]);
  });

  it('masksFromScores(scores, keepCounts) keeps the lower index among ties', () => {
    const masks = masksFromScores([Float64Array.of(1, 2, 2, 2)], [2]);
    expect(Array.from(masks[0])).toEqual([0, 1, 1, 0]);
  });

  it('masksFromScores(scores, keepCounts) handles keep counts 0 and width', () => {
    const masks = masksFromScores([Float64Array.of(1, 2), Float64Array.of(1, 2)], [0, 2]);
    expect(countKept(masks)).toEqual([0, 2]);
  });

  it('masksFromScores(scores, keepCounts) rejects a keep count above the width', () => {
    expect(() => masksFromScores([Float64Array.of(1, 2)], [3])).toThrow(/keep count 3 is out of range \[0, 2\]/);
  });

  it('masksFromScores(scores, keepCounts) rejects NaN scores', () => {
    expect(() => masksFromScores([Float64Array.of(1, Number.NaN)], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('orderByScore', () => {
  it('orderByScore(scores, subset) orders only the subset', () => {
    expect(Array.from(orderByScore(Float64Array.of(5, 1, 9, 3, 9), [4, 1, 2]))).toEqual([2, 4, 1]);
  });
});
