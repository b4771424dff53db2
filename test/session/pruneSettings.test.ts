import { describe, expect, it } from 'vitest';
import { DEFAULT_GPRUNE_CONFIG } from '../../src/core/prune/gprune/config';
import { DEFAULT_BASELINE_CONFIG } from '../../src/core/prune/baseline/config';
import { DEFAULT_PRUNE_SETTINGS, checkPruneSettings, toBaselineConfig, toGpruneConfig } from '../../src/core/session/pruneSettings';

describe('prune settings', () => {
  it('DEFAULT_PRUNE_SETTINGS maps onto the core defaults', () => {
    expect(toBaselineConfig(DEFAULT_PRUNE_SETTINGS)).toEqual(DEFAULT_BASELINE_CONFIG);
    const gprune = toGpruneConfig(DEFAULT_PRUNE_SETTINGS);
    expect({ ...gprune, search: undefined }).toEqual({ ...DEFAULT_GPRUNE_CONFIG, search: undefined });
    expect(gprune.search.evaluations).toBe(DEFAULT_PRUNE_SETTINGS.searchEvaluations);
  });

  it('checkPruneSettings() names the invalid field', () => {
    expect(checkPruneSettings(DEFAULT_PRUNE_SETTINGS)).toEqual({ ok: true });
    const cases: [Partial<typeof DEFAULT_PRUNE_SETTINGS>, RegExp][] = [
      [{ sparsity: 1 }, /sparsity/],
      [{ modules: 0 }, /modules/],
      [{ unreliableMetric: 'flap' }, /unreliableMetric/],
      [{ method: 'magic' as 'gprune' }, /method/],
    ];
    for (const [patch, message] of cases) {
      const result = checkPruneSettings({ ...DEFAULT_PRUNE_SETTINGS, ...patch });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(message);
    }
  });
});
