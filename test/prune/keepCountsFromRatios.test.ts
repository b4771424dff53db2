import { describe, expect, it } from 'vitest';
import { gpruneConfig, keepCountsFromRatios, keptParameters, layerKeepCounts, planGprune, type SearchProblem } from '../../src/core/prune';
import { createRng } from '../../src/core/prune/rng';
import { smallModel } from './fixtures';

describe('keepCountsFromRatios', () => {
  const { weights, stats } = smallModel(61);
  const plan = planGprune(gpruneConfig({ sparsity: 0.35 }), weights, stats);
  const problem = plan.problem;
  const sizes = problem.modules.map((module) => module.neurons.length);

  it('keepCountsFromRatios(prior ratios) returns the prior', () => {
    const ratios = problem.prior.map((keep, m) => (sizes[m] === 0 ? 0 : keep / sizes[m]));
    expect(keepCountsFromRatios(problem, ratios)).toEqual(problem.prior);
  });

  it('keepCountsFromRatios(any ratios) keeps the prior parameter count exactly', () => {
    const next = createRng(2);
    for (let trial = 0; trial < 50; trial++) {
      const ratios = sizes.map(() => next());
      const counts = keepCountsFromRatios(problem, ratios);
      expect(keptParameters(problem, counts)).toBe(plan.parameters.after);
      counts.forEach((count, m) => {
        expect(count).toBeGreaterThanOrEqual(0);
        expect(count).toBeLessThanOrEqual(sizes[m]);
      });
      layerKeepCounts(problem, counts).forEach((count) => expect(count).toBeGreaterThanOrEqual(1));
    }
  });

  it('keepCountsFromRatios rounds round(κ·|k|) when the total already fits', () => {
    const tiny: SearchProblem = {
      widths: [10],
      modules: [
        { layer: 0, index: 0, neurons: Int32Array.from({ length: 4 }, (_, j) => j), paramsPerNeuron: 2 },
        { layer: 0, index: 1, neurons: Int32Array.from({ length: 6 }, (_, j) => j + 4), paramsPerNeuron: 2 },
      ],
      prior: [2, 3],
      minPerLayer: 1,
    };
    // 0.75 · 4 = 3 and 0.34 · 6 = 2.04 → 2: five neurons, as the prior.
    expect(keepCountsFromRatios(tiny, [0.75, 0.34])).toEqual([3, 2]);
    // 1 · 4 + 1 · 6 = 10 is 5 too many: removals go to the modules furthest above their ideal, which tie here.
    const counts = keepCountsFromRatios(tiny, [1, 1]);
    expect(counts[0] + counts[1]).toBe(5);
  });

  it('keepCountsFromRatios raises a layer that rounding emptied', () => {
    const twoLayers: SearchProblem = {
      widths: [4, 4],
      modules: [
        { layer: 0, index: 0, neurons: Int32Array.of(0, 1, 2, 3), paramsPerNeuron: 1 },
        { layer: 1, index: 0, neurons: Int32Array.of(0, 1, 2, 3), paramsPerNeuron: 1 },
      ],
      prior: [2, 2],
      minPerLayer: 1,
    };
    expect(keepCountsFromRatios(twoLayers, [0, 1])).toEqual([1, 3]);
  });

  it('keepCountsFromRatios rejects a ratio outside [0, 1]', () => {
    expect(() => keepCountsFromRatios(problem, sizes.map(() => 1.5))).toThrow(/keep ratio 1.5 of module 0 is out of range \[0, 1\]/);
  });
});
