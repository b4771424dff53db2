import { describe, expect, it } from 'vitest';
import { neuronMean, neuronMeanSquare, neuronVariance } from '../../src/core/stats';
import { statsFromActivations } from './fixtures';

describe('neuron moments', () => {
  // Neuron 0 takes the values 1, 2, 3 and 6. Neuron 1 is −2 on all four tokens.
  const layer = statsFromActivations([
    [1, -2],
    [2, -2],
    [3, -2],
    [6, -2],
  ]);

  it('neuronMean(layer) divides S1 by n', () => {
    expect(Array.from(neuronMean(layer))).toEqual([3, -2]);
  });

  it('neuronMeanSquare(layer) divides S2 by n', () => {
    expect(Array.from(neuronMeanSquare(layer))).toEqual([(1 + 4 + 9 + 36) / 4, 4]);
  });

  it('neuronVariance(layer) is the population variance', () => {
    const variance = neuronVariance(layer);
    // ((1−3)² + (2−3)² + (3−3)² + (6−3)²) / 4 = 14 / 4
    expect(variance[0]).toBeCloseTo(3.5, 12);
    expect(variance[1]).toBe(0);
  });

  it('neuronVariance(layer) clamps cancellation below zero', () => {
    const constant = statsFromActivations([[0.1], [0.1], [0.1]]);
    expect(neuronVariance(constant)[0]).toBeGreaterThanOrEqual(0);
  });

  it('neuronMean(layer) rejects n = 0', () => {
    const empty = { n: 0, s1: new Float64Array(1), s2: new Float64Array(1), a1: new Float64Array(1), f: new Float64Array(1) };
    expect(() => neuronMean(empty)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
