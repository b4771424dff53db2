import { afterEach, describe, expect, it } from 'vitest';
import {
  buildLayerReports,
  countKept,
  DEFAULT_BASELINE_CONFIG,
  DEFAULT_GPRUNE_CONFIG,
  gpruneConfig,
  orderByScore,
  planBaseline,
  planGprune,
  scoreLayer,
  validateGpruneConfig,
  withModuleKeepCounts,
} from '../../src/core/prune';
import { setLogSink } from '../../src/core/log';
import { smallModel, sum } from './fixtures';

describe('validateGpruneConfig', () => {
  it('DEFAULT_GPRUNE_CONFIG has the documented defaults', () => {
    expect(DEFAULT_GPRUNE_CONFIG).toEqual({
      baseMetric: 'flap',
      baseAllocation: 'auto',
      sparsity: 0.2,
      minPerLayer: 1,
      modules: 4,
      clustering: 'kmeans-mu-sigma',
      kmeansIterations: 100,
      sigmaThreshold: 'layer-median',
      magnitudeThreshold: 'layer-median',
      metricSwitch: true,
      unreliableMetric: 'magnitude',
      reliableSource: 'pooled',
      primaryDataset: null,
      prior: 'inherit',
      seed: 0,
      biasCompensation: 'auto',
      search: { evaluations: 100, moveSize: 'auto', seed: 0 },
    });
    expect(() => validateGpruneConfig(DEFAULT_GPRUNE_CONFIG)).not.toThrow();
  });

  it('gpruneConfig(overrides) merges the search settings field by field', () => {
    const config = gpruneConfig({ modules: 2, search: { evaluations: 5 } });
    expect(config.modules).toBe(2);
    expect(config.search).toEqual({ evaluations: 5, moveSize: 'auto', seed: 0 });
  });

  it('validateGpruneConfig names the invalid field and value', () => {
    const cases: [Parameters<typeof gpruneConfig>[0], RegExp][] = [
      [{ sparsity: 1.2 }, /sparsity 1.2 is out of range \[0, 1\)/],
      [{ modules: 0 }, /modules 0/],
      [{ unreliableMetric: 'flap' }, /unreliableMetric "flap" needs activations/],
      [{ clustering: 'dbscan' as never }, /clustering "dbscan".*sigma-quantiles/],
      [{ sigmaThreshold: Number.NaN }, /sigmaThreshold NaN/],
      [{ search: { evaluations: -1 } }, /search.evaluations -1/],
      [{ search: { moveSize: 0 } }, /search.moveSize 0/],
    ];
    for (const [overrides, message] of cases) {
      const config = gpruneConfig(overrides);
      expect(() => validateGpruneConfig(config)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
      expect(() => validateGpruneConfig(config)).toThrow(message);
    }
  });
});

describe('planGprune', () => {
  const { weights, stats } = smallModel(21);
  afterEach(() => setLogSink((_level, tag, text) => console.error(`[${tag}] ${text}`)));

  it('planGprune with K = 1, switch off, equals base', () => {
    for (const baseMetric of ['flap', 'wanda-sp'] as const) {
      for (const sparsity of [0.1, 0.3, 0.55]) {
        const plan = planGprune(gpruneConfig({ baseMetric, sparsity, modules: 1, metricSwitch: false }), weights, stats);
        const base = planBaseline({ ...DEFAULT_BASELINE_CONFIG, metric: baseMetric, sparsity }, weights, stats);
        expect(plan.masks, `${baseMetric} ${sparsity}`).toEqual(base.masks);
        expect(plan.keepCounts).toEqual(base.keepCounts);
      }
    }
  });

  it('planGprune keeps the base method budget exactly', () => {
    for (const sparsity of [0.05, 0.2, 0.5, 0.8]) {
      const plan = planGprune(gpruneConfig({ sparsity }), weights, stats);
      expect(plan.parameters.after).toBe(plan.baseline.parameters.after);
      expect(countKept(plan.masks)).toEqual(plan.keepCounts);
      expect(sum(plan.moduleKeepCounts)).toBe(sum(plan.baseline.keepCounts));
    }
  });

  it('planGprune gives the same masks for the same seed', () => {
    const a = planGprune(gpruneConfig({ seed: 4 }), weights, stats);
    const b = planGprune(gpruneConfig({ seed: 4 }), weights, stats);
    expect(a.masks).toEqual(b.masks);
    expect(a.layers.map((layer) => layer.modules)).toEqual(b.layers.map((layer) => layer.modules));
  });

  it('planGprune orders modules by their source', () => {
    const plan = planGprune(DEFAULT_GPRUNE_CONFIG, weights, stats);
    const seen = { reliable: 0, unreliable: 0 };
    plan.problem.modules.forEach((module) => {
      const source = plan.layers[module.layer].sources[module.index];
      const unreliable = source.kind === 'unreliable';
      const expected = unreliable ? scoreLayer('magnitude', weights[module.layer], null, 0, module.layer) : plan.baseline.scores[module.layer];
      expect(Array.from(module.neurons)).toEqual(Array.from(orderByScore(expected, module.neurons)));
      if (unreliable) seen.unreliable++;
      else seen.reliable++;
    });
    expect(seen.reliable).toBeGreaterThan(0);
    expect(seen.unreliable).toBeGreaterThan(0);
  });

  it("planGprune with reliableSource 'primary' needs a profiled dataset id", () => {
    expect(() => planGprune(gpruneConfig({ reliableSource: 'primary', primaryDataset: 'books' }), weights, stats)).toThrow(/"books" is not among.*wiki, code/);
    const plan = planGprune(gpruneConfig({ reliableSource: 'primary', primaryDataset: 'code', metricSwitch: false, modules: 1 }), weights, stats);
    expect(plan.layers[0].sources[0]).toEqual({ kind: 'primary', metric: 'flap', dataset: 'code' });
  });

  it('planGprune warns once with a single dataset', () => {
    const lines: string[] = [];
    setLogSink((_level, tag, text) => lines.push(`[${tag}] ${text}`));
    planGprune(DEFAULT_GPRUNE_CONFIG, weights, stats.slice(0, 1));
    planGprune(DEFAULT_GPRUNE_CONFIG, weights, stats.slice(0, 1));
    expect(lines.filter((line) => line.includes('one calibration dataset'))).toHaveLength(1);
  });

  it('withModuleKeepCounts rebuilds masks and marks the plan searched', () => {
    const plan = planGprune(DEFAULT_GPRUNE_CONFIG, weights, stats);
    const counts = [...plan.moduleKeepCounts];
    const donor = counts.findIndex((count) => count > 0);
    const receiver = plan.problem.modules.findIndex((module, m) => m !== donor && counts[m] < module.neurons.length);
    counts[donor]--;
    counts[receiver]++;

    const moved = withModuleKeepCounts(plan, counts);

    expect(moved.method.searched).toBe(true);
    expect(moved.parameters).toEqual(plan.parameters);
    expect(countKept(moved.masks)).toEqual(moved.keepCounts);
    expect(moved.moduleKeepCounts).toEqual(counts);
  });
});

describe('buildLayerReports', () => {
  it('buildLayerReports summarizes every module', () => {
    const { weights, stats } = smallModel(5);
    const plan = planGprune(DEFAULT_GPRUNE_CONFIG, weights, stats);
    const reports = buildLayerReports(plan);

    expect(reports).toHaveLength(weights.length);
    reports.forEach((report, l) => {
      expect(report.width).toBe(weights[l].width);
      expect(sum(report.modules.map((module) => module.size))).toBe(report.width);
      expect(sum(report.modules.map((module) => module.keep))).toBe(report.keep);
      expect(report.keepRatio).toBeCloseTo(report.keep / report.width, 12);
      expect(report.baseKeep).toBe(plan.baseline.keepCounts[l]);
      for (const module of report.modules) {
        expect(module.keepRatio).toBeCloseTo(module.keep / module.size, 12);
        expect(module.priorKeep).toBe(module.keep);
        expect(module.source.kind === 'unreliable').toBe(!module.reliable);
        expect(module.meanSigma).toBeGreaterThanOrEqual(0);
        expect(module.meanSigma).toBeLessThanOrEqual(0.5);
      }
    });
  });
});

describe('planGprune edge cases', () => {
  it('planGprune accepts a layer without neurons', () => {
    const { weights, stats } = smallModel(71, [12, 0, 9]);
    const plan = planGprune(DEFAULT_GPRUNE_CONFIG, weights, stats);
    expect(plan.keepCounts[1]).toBe(0);
    expect(plan.layers[1].modules.count).toBe(0);
    expect(plan.parameters.after).toBe(plan.baseline.parameters.after);
  });

  it('planGprune accepts more modules than neurons', () => {
    const { weights, stats } = smallModel(72, [3, 5]);
    const plan = planGprune(gpruneConfig({ modules: 8, sparsity: 0.25 }), weights, stats);
    plan.layers.forEach((layer, l) => {
      // One module per distinct (μ, σ) point at most, so never more than the layer's neurons.
      const distinct = new Set(Array.from(layer.sensitivity.mu, (mu, j) => `${mu},${layer.sensitivity.sigma[j]}`)).size;
      expect(layer.modules.count).toBe(distinct);
      expect(layer.modules.count).toBeLessThanOrEqual(weights[l].width);
    });
    expect(sum(plan.keepCounts)).toBe(8 - Math.round(0.25 * 8));
  });
});
