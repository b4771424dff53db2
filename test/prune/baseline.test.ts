import { describe, expect, it } from 'vitest';
import { DEFAULT_BASELINE_CONFIG, countKept, describeMethod, masksFromScores, planBaseline, scoreModel, validateBaselineConfig } from '../../src/core/prune';
import { poolStats } from '../../src/core/stats';
import { smallModel, sum } from './fixtures';

describe('validateBaselineConfig', () => {
  it('DEFAULT_BASELINE_CONFIG has the documented defaults', () => {
    expect(DEFAULT_BASELINE_CONFIG).toEqual({ metric: 'flap', allocation: 'auto', sparsity: 0.2, minPerLayer: 1, seed: 0, biasCompensation: 'auto' });
    expect(() => validateBaselineConfig(DEFAULT_BASELINE_CONFIG)).not.toThrow();
  });

  it('validateBaselineConfig names an out-of-range sparsity', () => {
    for (const sparsity of [1.2, 1, -0.1, Number.NaN]) {
      const config = { ...DEFAULT_BASELINE_CONFIG, sparsity };
      expect(() => validateBaselineConfig(config)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
      expect(() => validateBaselineConfig(config)).toThrow(`sparsity ${sparsity} is out of range [0, 1)`);
    }
  });

  it('validateBaselineConfig rejects an unknown metric and a fractional minPerLayer', () => {
    expect(() => validateBaselineConfig({ ...DEFAULT_BASELINE_CONFIG, metric: 'taylor' as never })).toThrow(/metric "taylor".*flap/);
    expect(() => validateBaselineConfig({ ...DEFAULT_BASELINE_CONFIG, minPerLayer: 1.5 })).toThrow(/minPerLayer 1.5/);
  });
});

describe('planBaseline', () => {
  const { weights, stats } = smallModel(11);

  it('planBaseline(flap) uses flap-global on pooled statistics', () => {
    const plan = planBaseline({ ...DEFAULT_BASELINE_CONFIG, sparsity: 0.3 }, weights, stats);
    expect(plan.method).toEqual({ kind: 'baseline', metric: 'flap', allocation: 'flap-global' });
    expect(describeMethod(plan.method)).toBe('flap + flap-global');
    expect(plan.biasCompensation).toBe(true);

    const pooledScores = scoreModel('flap', weights, poolStats(stats), 0);
    expect(plan.scores.map((layer) => Array.from(layer))).toEqual(pooledScores.map((layer) => Array.from(layer)));
    expect(plan.masks.map((mask) => Array.from(mask))).toEqual(masksFromScores(pooledScores, plan.keepCounts).map((mask) => Array.from(mask)));
  });

  it('planBaseline counts parameters before and after', () => {
    const plan = planBaseline({ ...DEFAULT_BASELINE_CONFIG, metric: 'wanda-sp', sparsity: 0.25 }, weights, stats);
    const total = sum(weights.map((layer) => layer.width));
    expect(plan.parameters.before).toBe(total * 6);
    expect(plan.parameters.after).toBe((total - Math.round(0.25 * total)) * 6);
    expect(countKept(plan.masks)).toEqual(plan.keepCounts);
    expect(plan.method).toEqual({ kind: 'baseline', metric: 'wanda-sp', allocation: 'uniform' });
    expect(plan.biasCompensation).toBe(false);
  });

  it('planBaseline(magnitude) needs no statistics', () => {
    const plan = planBaseline({ ...DEFAULT_BASELINE_CONFIG, metric: 'magnitude' }, weights, []);
    expect(sum(plan.keepCounts)).toBe(72 - Math.round(0.2 * 72));
  });

  it('planBaseline(flap) without statistics raises INVALID_CONFIG', () => {
    expect(() => planBaseline(DEFAULT_BASELINE_CONFIG, weights, [])).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('planBaseline(random) gives the same masks for the same seed', () => {
    const config = { ...DEFAULT_BASELINE_CONFIG, metric: 'random' as const, seed: 5 };
    const a = planBaseline(config, weights, []);
    const b = planBaseline(config, weights, []);
    const c = planBaseline({ ...config, seed: 6 }, weights, []);
    expect(a.masks).toEqual(b.masks);
    expect(a.masks).not.toEqual(c.masks);
  });
});
