import { describe, expect, it } from 'vitest';
import { currentCounts } from '../../src/app/actions/counts';
import { formatBytes, formatCount, formatSeconds } from '../../src/app/format';
import type { PlanSummary } from '../../src/app/state/pruneSlice';

const plan = {
  minPerLayer: 1,
  modules: [
    { layer: 0, module: 0, size: 4, paramsPerNeuron: 6, priorKeep: 3 },
    { layer: 0, module: 1, size: 4, paramsPerNeuron: 6, priorKeep: 1 },
  ],
} as unknown as PlanSummary;

describe('app helpers', () => {
  it('currentCounts() applies overrides to the base counts', () => {
    expect(currentCounts({ plan, baseCounts: [3, 1], overrides: [] })).toEqual([3, 1]);
    expect(currentCounts({ plan, baseCounts: [3, 1], overrides: [{ layer: 0, module: 1, keepRatio: 1 }] })).toEqual([3, 4]);
    expect(currentCounts({ plan: null, baseCounts: [3, 1], overrides: [] })).toEqual([]);
  });

  it('formatCount(), formatBytes() and formatSeconds() pick units', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12_345)).toBe('12.3K');
    expect(formatCount(3_200_000)).toBe('3.20M');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_930_832)).toBe('12.33 MiB');
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(185)).toBe('3 min 5 s');
  });
});
