import { describe, expect, it } from 'vitest';
import { nextVariantId } from '../../src/app/actions/evaluate';
import { fitAdvice } from '../../src/app/actions/fitAdvice';
import { SAVED_SESSION_VERSION, restoredState, savedFieldsChanged, savedSessionProblem, takeSnapshot } from '../../src/app/persist/snapshot';
import { studio } from '../../src/app/state/store';
import type { StudioState } from '../../src/app/state/store';
import type { ModelSummary, ProfileEstimate } from '../../workers/studio/api';

const model = { label: 'demo', demo: true, fingerprint: 'ab'.repeat(32), modelPath: 'onnx/model.onnx' } as ModelSummary;

/** Builds a store state with a model, two datasets (one the user's), overrides and a variant. */
function workedState(): StudioState {
  const state = studio.getInitialState();
  return {
    ...state,
    model,
    datasets: {
      'docs-calib': { id: 'docs-calib', builtin: true, format: 'text', documents: 3, bytes: 10, sha256: 'x', warnings: [] },
      'notes.txt': { id: 'notes.txt', builtin: false, format: 'text', documents: 5, bytes: 20, sha256: 'y', warnings: [] },
    },
    calibrationIds: ['docs-calib', 'notes.txt'],
    baseCounts: [3, 1],
    overrides: [{ layer: 0, module: 1, keepRatio: 0.5 }],
    variants: [{ id: 'v2', label: 'flap @ 20%', moduleKeepCounts: [3, 2], ffnParametersAfter: 30 }],
  };
}

describe('saved session', () => {
  it('takeSnapshot() survives structured cloning and restores as saved', () => {
    const snapshot = structuredClone(takeSnapshot(workedState(), 1234));
    expect(snapshot.version).toBe(SAVED_SESSION_VERSION);
    expect(snapshot.userDatasets).toEqual(['notes.txt']);
    expect(savedSessionProblem(snapshot)).toBeNull();

    const restored = restoredState(snapshot);
    expect(restored.modelLink).toBe('saved');
    expect(restored.restoredFrom).toBe(1234);
    expect(restored.model?.fingerprint).toBe(model.fingerprint);
    expect(restored.overrides).toEqual([{ layer: 0, module: 1, keepRatio: 0.5 }]);
    expect(restored.variants?.map((v) => v.id)).toEqual(['v2']);
    expect('userDatasets' in restored).toBe(false);
    expect('datasets' in restored).toBe(false);
  });

  it('restoredState() of a session without a model stays attached', () => {
    const snapshot = takeSnapshot({ ...workedState(), model: null }, 5);
    expect(restoredState(snapshot).modelLink).toBe('attached');
  });

  it('savedSessionProblem() names what is wrong', () => {
    const good = takeSnapshot(workedState(), 1);
    const cases: [unknown, RegExp][] = [
      [null, /not an object/],
      [{ ...good, version: SAVED_SESSION_VERSION + 1 }, /version/],
      [{ ...good, model: { label: 'x' } }, /model is invalid/],
      [{ ...good, calibrationIds: [1, 2] }, /calibrationIds/],
      [{ ...good, baseCounts: [1.5] }, /baseCounts/],
      [{ ...good, evalSettings: { seqlen: 'long' } }, /evalSettings/],
      [{ ...good, plan: 'yes' }, /plan is invalid/],
      [{ ...good, settings: { ...good.settings, sparsity: 2 } }, /settings are invalid/],
      [{ ...good, calibration: { ...good.calibration, samples: 0 } }, /calibration is invalid/],
    ];
    for (const [value, reason] of cases) expect(savedSessionProblem(value)).toMatch(reason);
  });

  it('savedFieldsChanged() ignores notices and jobs', () => {
    const state = workedState();
    expect(savedFieldsChanged({ ...state, notices: [] }, state)).toBe(false);
    expect(savedFieldsChanged({ ...state, jobs: {} }, state)).toBe(false);
    expect(savedFieldsChanged({ ...state, overrides: [] }, state)).toBe(true);
    expect(savedFieldsChanged({ ...state, evalResult: null }, { ...state, evalResult: { rows: [], protocol: {}, method: '' } })).toBe(true);
  });

  it('nextVariantId() continues after restored variants', () => {
    expect(nextVariantId([])).toBe('v1');
    expect(nextVariantId(workedState().variants)).toBe('v3');
    expect(nextVariantId([{ id: 'custom', label: '', moduleKeepCounts: [], ffnParametersAfter: 0 }])).toBe('v1');
  });
});

describe('fitAdvice()', () => {
  const estimate = (problems: ProfileEstimate['problems'], batchSize: number, fittingBatchSize: number) => ({ problems, batchSize, fittingBatchSize }) as ProfileEstimate;
  const wasm = { id: 'wasm-memory', severity: 'error', message: 'too big', bytes: 2, limit: 1 } as const;
  const exportOnly = { id: 'export-needs-external-data', severity: 'warning', message: 'export', bytes: 2, limit: 1 } as const;

  it('fitAdvice() asks to confirm and offers the fitting batch', () => {
    expect(fitAdvice(estimate([wasm], 64, 8))).toEqual({ problems: [wasm], needsConfirmation: true, lowerBatchTo: 8 });
  });

  it('fitAdvice() offers no useless batch', () => {
    expect(fitAdvice(estimate([wasm], 64, 0)).lowerBatchTo).toBeNull();
    expect(fitAdvice(estimate([wasm], 8, 8)).lowerBatchTo).toBeNull();
  });

  it('fitAdvice() lets the export-only warning through without confirmation', () => {
    expect(fitAdvice(estimate([exportOnly], 8, 8))).toEqual({ problems: [], needsConfirmation: false, lowerBatchTo: null });
    expect(fitAdvice(null).needsConfirmation).toBe(false);
  });
});
