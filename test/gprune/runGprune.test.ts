import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countKept,
  DEFAULT_BASELINE_CONFIG,
  gpruneConfig,
  planBaseline,
  planGprune,
  runGprune,
  type MetricId,
} from '../../src/core/prune';
import { calibrateFixture, type CalibratedFixture } from './calibratedFixture';

const SEARCH_EVALUATIONS = 12;
const BASES: MetricId[] = ['flap', 'wanda-sp'];

let fixture: CalibratedFixture;

beforeAll(async () => {
  fixture = await calibrateFixture();
});

afterAll(async () => {
  await fixture?.release();
});

/** A loss function that counts its calls. */
function countingLoss(lossFn: (masks: Uint8Array[]) => Promise<number>) {
  const counter = { calls: 0 };
  const counted = async (masks: Uint8Array[]) => {
    counter.calls++;
    return lossFn(masks);
  };
  return { counted, counter };
}

describe('runGprune on stories260K-llama', () => {
  it('fixture has three calibration sets with held-out windows', () => {
    expect(fixture.stats.map((s) => s.dataset)).toEqual(['tinystories', 'wikitext-2-valid', 'ptb-valid']);
    expect(fixture.heldOut).toHaveLength(6);
    expect(fixture.weights.map((layer) => layer.width)).toEqual([172, 172, 172, 172, 172]);
  });

  it('runGprune meets the parameter budget exactly', async () => {
    const p = fixture.weights[0].paramsPerNeuron;
    const neurons = fixture.weights.reduce((sum, layer) => sum + layer.width, 0);
    // 860 neurons of 3 · 64 parameters each: the budget removes round(sparsity · 860) neurons.
    const removedNeurons = new Map([
      [0.2, 172],
      [0.5, 430],
    ]);
    expect(neurons).toBe(860);
    expect(p).toBe(192);
    for (const baseMetric of BASES) {
      for (const [sparsity, expectedRemoved] of removedNeurons) {
        const config = gpruneConfig({ baseMetric, sparsity, search: { evaluations: SEARCH_EVALUATIONS } });
        const { plan } = await runGprune(config, fixture.weights, fixture.stats, fixture.loss(baseMetric === 'flap'));
        const removed = countKept(plan.masks).reduce((sum, kept, l) => sum + plan.masks[l].length - kept, 0);
        const label = `${baseMetric} at ${sparsity}`;

        expect(removed, label).toBe(expectedRemoved);
        expect(countKept(plan.masks), label).toEqual(plan.keepCounts);
        expect(plan.parameters.after, label).toBe((neurons - removed) * p);
        expect(plan.parameters.after, label).toBe(plan.baseline.parameters.after);
        expect(Math.min(...plan.keepCounts), label).toBeGreaterThanOrEqual(config.minPerLayer);
      }
    }
  });

  it('planGprune with K = 1, switch off, keeps the base masks', () => {
    for (const metric of BASES) {
      for (const sparsity of [0.2, 0.3, 0.5]) {
        const plan = planGprune(gpruneConfig({ baseMetric: metric, sparsity, modules: 1, metricSwitch: false }), fixture.weights, fixture.stats);
        const base = planBaseline({ ...DEFAULT_BASELINE_CONFIG, metric, sparsity }, fixture.weights, fixture.stats);
        expect(plan.masks, `${metric} at ${sparsity}`).toEqual(base.masks);
        expect(plan.keepCounts, `${metric} at ${sparsity}`).toEqual(base.keepCounts);
      }
    }
  });

  it('runGprune search ends at or below the prior loss', async () => {
    const config = gpruneConfig({ baseMetric: 'flap', sparsity: 0.5, search: { evaluations: SEARCH_EVALUATIONS } });
    const loss = fixture.loss(true);
    const { counted, counter } = countingLoss(loss);
    const { plan, search } = await runGprune(config, fixture.weights, fixture.stats, counted);
    const prior = planGprune(config, fixture.weights, fixture.stats);

    expect(search).not.toBeNull();
    expect(search!.evaluations).toBe(counter.calls);
    expect(search!.evaluations).toBeLessThanOrEqual(SEARCH_EVALUATIONS);
    expect(search!.history).toHaveLength(search!.evaluations);
    expect(search!.loss).toBeLessThanOrEqual(search!.priorLoss);
    // The reported losses are those of the prior's masks and of the returned masks.
    expect(await loss(prior.masks)).toBe(search!.priorLoss);
    expect(await loss(plan.masks)).toBe(search!.loss);
  });

  it('runGprune with the same seed returns the same masks', async () => {
    const config = gpruneConfig({ baseMetric: 'wanda-sp', sparsity: 0.3, seed: 3, search: { evaluations: SEARCH_EVALUATIONS, seed: 3 } });
    const first = await runGprune(config, fixture.weights, fixture.stats, fixture.loss(false));
    const second = await runGprune(config, fixture.weights, fixture.stats, fixture.loss(false));

    expect(second.plan.masks).toEqual(first.plan.masks);
    expect(second.plan.moduleKeepCounts).toEqual(first.plan.moduleKeepCounts);
    expect(second.search!.history).toEqual(first.search!.history);
  });

  it('runGprune with another search seed tries other moves', async () => {
    const config = (seed: number) => gpruneConfig({ baseMetric: 'wanda-sp', sparsity: 0.3, search: { evaluations: SEARCH_EVALUATIONS, seed } });
    const first = await runGprune(config(0), fixture.weights, fixture.stats, fixture.loss(false));
    const other = await runGprune(config(1), fixture.weights, fixture.stats, fixture.loss(false));

    expect(other.search!.history.map((step) => step.move)).not.toEqual(first.search!.history.map((step) => step.move));
    expect(other.plan.parameters.after).toBe(first.plan.parameters.after);
  });
});
