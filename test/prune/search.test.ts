import { describe, expect, it } from 'vitest';
import { isGpruneError } from '../../src/core/errors';
import {
  countKept,
  DEFAULT_BASELINE_CONFIG,
  gpruneConfig,
  keptParameters,
  layerSearchProblem,
  masksForKeepCounts,
  planBaseline,
  planGprune,
  runGprune,
  searchModuleSparsity,
  type SearchProblem,
  type SearchProgressEvent,
} from '../../src/core/prune';
import { createRng } from '../../src/core/prune/rng';
import { smallModel, sum } from './fixtures';

/**
 * Builds a synthetic loss with a known optimum. Each neuron has a hidden value and the
 * loss is minus the total value kept, so the best allocation keeps the most valuable neurons.
 */
function hiddenValueLoss(widths: number[], seed: number) {
  const next = createRng(seed);
  const values = widths.map((width) => Float64Array.from({ length: width }, () => next() ** 4));
  const calls: Uint8Array[][] = [];
  const lossFn = async (masks: Uint8Array[]) => {
    calls.push(masks);
    let kept = 0;
    masks.forEach((mask, l) => mask.forEach((entry, j) => (kept += entry * values[l][j])));
    return -kept;
  };
  return { lossFn, calls };
}

/** Two layers of 8 neurons, two modules each, so moves both inside and across layers exist. */
function tinyProblem(): SearchProblem {
  return {
    widths: [8, 8],
    modules: [
      { layer: 0, index: 0, neurons: Int32Array.of(0, 1, 2, 3), paramsPerNeuron: 3 },
      { layer: 0, index: 1, neurons: Int32Array.of(4, 5, 6, 7), paramsPerNeuron: 3 },
      { layer: 1, index: 0, neurons: Int32Array.of(7, 6, 5, 4), paramsPerNeuron: 3 },
      { layer: 1, index: 1, neurons: Int32Array.of(3, 2, 1, 0), paramsPerNeuron: 3 },
    ],
    prior: [2, 2, 2, 2],
    minPerLayer: 1,
  };
}

describe('searchModuleSparsity', () => {
  it('searchModuleSparsity never ends above the prior loss', async () => {
    for (let seed = 0; seed < 10; seed++) {
      const { lossFn } = hiddenValueLoss([8, 8], seed);
      const result = await searchModuleSparsity(tinyProblem(), lossFn, { evaluations: 30, seed });
      expect(result.loss).toBeLessThanOrEqual(result.priorLoss);
      expect(result.history[0].loss).toBe(result.priorLoss);
    }
  });

  it('searchModuleSparsity lowers a loss that rewards moving neurons', async () => {
    const { weights, stats } = smallModel(31);
    const plan = planGprune(gpruneConfig({ sparsity: 0.4 }), weights, stats);
    const { lossFn } = hiddenValueLoss(plan.problem.widths, 77);
    const result = await searchModuleSparsity(plan.problem, lossFn, { evaluations: 60, seed: 1, moveSize: 2 });
    expect(result.loss).toBeLessThan(result.priorLoss);
  });

  it('searchModuleSparsity honours the evaluation budget', async () => {
    const { lossFn, calls } = hiddenValueLoss([8, 8], 3);
    const result = await searchModuleSparsity(tinyProblem(), lossFn, { evaluations: 7, seed: 0 });
    expect(calls.length).toBeLessThanOrEqual(7);
    expect(result.evaluations).toBe(calls.length);
    expect(result.history).toHaveLength(calls.length);
  });

  it('searchModuleSparsity keeps the total and the layer minimum in every evaluated mask', async () => {
    const problem = { ...tinyProblem(), prior: [1, 0, 3, 4], minPerLayer: 1 };
    const { lossFn, calls } = hiddenValueLoss([8, 8], 4);
    await searchModuleSparsity(problem, lossFn, { evaluations: 40, seed: 2, moveSize: 3 });
    for (const masks of calls) {
      const kept = countKept(masks);
      expect(sum(kept)).toBe(8);
      kept.forEach((count) => expect(count).toBeGreaterThanOrEqual(1));
    }
  });

  it('searchModuleSparsity repeats for the same seed', async () => {
    const run = async () => searchModuleSparsity(tinyProblem(), hiddenValueLoss([8, 8], 5).lossFn, { evaluations: 20, seed: 9 });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.history).toEqual(b.history);
    expect(a.keepCounts).toEqual(b.keepCounts);
  });

  it('searchModuleSparsity reports progress after every evaluation', async () => {
    const events: SearchProgressEvent[] = [];
    const result = await searchModuleSparsity(tinyProblem(), hiddenValueLoss([8, 8], 6).lossFn, { evaluations: 12, seed: 0, onProgress: (event) => events.push(event) });
    expect(events.map((event) => event.done)).toEqual(result.history.map((step) => step.evaluation));
    expect(events.every((event) => event.phase === 'search' && event.total === 12)).toBe(true);
    events.slice(1).forEach((event, i) => expect(event.bestLoss).toBeLessThanOrEqual(events[i].bestLoss));
  });

  it('searchModuleSparsity raises CANCELLED with the best result so far', async () => {
    const controller = new AbortController();
    const { lossFn: inner } = hiddenValueLoss([8, 8], 7);
    let calls = 0;
    const lossFn = async (masks: Uint8Array[]) => {
      calls++;
      if (calls === 6) controller.abort();
      return inner(masks);
    };

    const error = await searchModuleSparsity(tinyProblem(), lossFn, { evaluations: 50, seed: 0, signal: controller.signal }).catch((caught: unknown) => caught);

    expect(isGpruneError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    const bestSoFar = (error as { details: { bestSoFar: { evaluations: number; loss: number; priorLoss: number; stopReason: string } } }).details.bestSoFar;
    expect(bestSoFar.evaluations).toBe(5);
    expect(bestSoFar.loss).toBeLessThanOrEqual(bestSoFar.priorLoss);
    expect(bestSoFar.stopReason).toBe('cancelled');
    expect(calls).toBe(6);
  });

  it('searchModuleSparsity raises CANCELLED before any evaluation when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { lossFn, calls } = hiddenValueLoss([8, 8], 8);
    await expect(searchModuleSparsity(tinyProblem(), lossFn, { evaluations: 5, seed: 0, signal: controller.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
      details: {},
    });
    expect(calls).toHaveLength(0);
  });

  it('searchModuleSparsity rejects a non-finite prior loss and an empty budget', async () => {
    await expect(searchModuleSparsity(tinyProblem(), async () => Number.NaN, { evaluations: 5, seed: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(searchModuleSparsity(tinyProblem(), async () => 1, { evaluations: 0, seed: 0 })).rejects.toThrow(/evaluations 0/);
  });

  it('searchModuleSparsity stops early once every move of a flat loss was rejected', async () => {
    // tinyProblem has 4 · 3 module pairs and move size 1, so 12 distinct moves.
    const result = await searchModuleSparsity(tinyProblem(), async () => 1, { evaluations: 100, seed: 0 });
    expect(result.stopReason).toBe('no-move');
    expect(result.evaluations).toBeLessThanOrEqual(13);
    expect(result.keepCounts).toEqual(tinyProblem().prior);
  });

  it('searchModuleSparsity stops at once when no move is feasible', async () => {
    const problem: SearchProblem = {
      widths: [2],
      modules: [
        { layer: 0, index: 0, neurons: Int32Array.of(0, 1), paramsPerNeuron: 1 },
        { layer: 0, index: 1, neurons: Int32Array.of(), paramsPerNeuron: 1 },
      ],
      prior: [1, 0],
      minPerLayer: 1,
    };
    const result = await searchModuleSparsity(problem, async () => 1, { evaluations: 10, seed: 0 });
    expect(result.stopReason).toBe('no-move');
    expect(result.evaluations).toBe(1);
  });

  it('masksForKeepCounts keeps the first neurons of each module', () => {
    const masks = masksForKeepCounts(tinyProblem(), [1, 0, 2, 3]);
    expect(Array.from(masks[0])).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(masks[1])).toEqual([0, 1, 1, 1, 0, 0, 1, 1]);
    expect(() => masksForKeepCounts(tinyProblem(), [5, 0, 0, 0])).toThrow(/keep count 5 is out of range \[0, 4\]/);
  });
});

describe('layerSearchProblem', () => {
  it("layerSearchProblem starts from the base method's masks with one module per layer", async () => {
    const { weights, stats } = smallModel(41);
    const base = planBaseline({ ...DEFAULT_BASELINE_CONFIG, sparsity: 0.3 }, weights, stats);
    const problem = layerSearchProblem(base, weights, 1);

    expect(problem.modules).toHaveLength(weights.length);
    expect(masksForKeepCounts(problem, problem.prior)).toEqual(base.masks);

    const { lossFn } = hiddenValueLoss(problem.widths, 12);
    const result = await searchModuleSparsity(problem, lossFn, { evaluations: 40, seed: 0, moveSize: 2 });
    expect(result.loss).toBeLessThanOrEqual(result.priorLoss);
    expect(keptParameters(problem, result.keepCounts)).toBe(base.parameters.after);
  });
});

describe('runGprune', () => {
  const { weights, stats } = smallModel(51);

  it('runGprune with no evaluations returns the prior plan', async () => {
    const { lossFn, calls } = hiddenValueLoss([24, 16, 32], 1);
    const outcome = await runGprune(gpruneConfig({ search: { evaluations: 0 } }), weights, stats, lossFn);
    expect(outcome.search).toBeNull();
    expect(outcome.plan.method.searched).toBe(false);
    expect(calls).toHaveLength(0);
  });

  it('runGprune applies the searched keep counts within the same budget', async () => {
    const { lossFn } = hiddenValueLoss([24, 16, 32], 2);
    const outcome = await runGprune(gpruneConfig({ sparsity: 0.4, search: { evaluations: 25 } }), weights, stats, lossFn);
    expect(outcome.plan.method.searched).toBe(true);
    expect(outcome.plan.moduleKeepCounts).toEqual(outcome.search!.keepCounts);
    expect(outcome.plan.parameters.after).toBe(outcome.plan.baseline.parameters.after);
    expect(await lossFn(outcome.plan.masks)).toBe(outcome.search!.loss);
  });
});
