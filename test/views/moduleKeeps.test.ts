import { describe, expect, it } from 'vitest';
import { estimatePrunedBytes, keepCountsWithOverrides, keptFfnParameters, type ModuleShape } from '../../src/core/views/moduleKeeps';

const modules: ModuleShape[] = [
  { layer: 0, module: 0, size: 10, paramsPerNeuron: 3 },
  { layer: 0, module: 1, size: 6, paramsPerNeuron: 3 },
  { layer: 1, module: 0, size: 8, paramsPerNeuron: 3 },
];

describe('keepCountsWithOverrides', () => {
  it('keepCountsWithOverrides() replaces overridden modules only', () => {
    const counts = keepCountsWithOverrides(modules, [5, 3, 4], [{ layer: 0, module: 1, keepRatio: 1 / 6 }, { layer: 1, module: 0, keepRatio: 1 }], 1);
    expect(counts).toEqual([5, 1, 8]);
  });

  it('keepCountsWithOverrides() raises a layer below minPerLayer', () => {
    const counts = keepCountsWithOverrides(modules, [5, 3, 4], [{ layer: 1, module: 0, keepRatio: 0 }], 2);
    expect(counts[2]).toBe(2);
  });

  it('keepCountsWithOverrides() ignores overrides of unknown modules', () => {
    expect(keepCountsWithOverrides(modules, [5, 3, 4], [{ layer: 7, module: 0, keepRatio: 0 }], 1)).toEqual([5, 3, 4]);
  });

  it('keptFfnParameters() sums counts times parameters per neuron', () => {
    expect(keptFfnParameters(modules, [5, 3, 4])).toBe(36);
  });

  it('estimatePrunedBytes() subtracts removed parameters', () => {
    expect(estimatePrunedBytes(1000, 100, 4)).toBe(600);
    expect(estimatePrunedBytes(100, 100, 4)).toBe(0);
  });
});
