/**
 * Planning from the Adjust settings, per-module overrides with a live loss estimate, and
 * the learned module sparsity.
 */
import { decodeKeepCounts, type SharedLearned } from '../../core/session/learnedCounts';
import { checkPruneSettings, type ModuleOverride, type PruneSettings } from '../../core/session/pruneSettings';
import { setAnalysis } from '../state/analysisStore';
import { modelReady } from '../state/sessionSlice';
import { studio } from '../state/store';
import { newJobId, studioWorker } from '../worker/client';
import { currentCounts } from './counts';
import { isCancelled, reportError } from './errors';
import { runJob } from './jobs';

/** Settings changes within this many milliseconds are planned once. */
const REPLAN_DELAY_MS = 150;

let replanTimer: ReturnType<typeof setTimeout> | undefined;
let planVersion = 0;

export function updateSettings(patch: Partial<PruneSettings>): void {
  studio.getState().setSettings(patch);
  clearTimeout(replanTimer);
  replanTimer = setTimeout(() => void replanNow(), REPLAN_DELAY_MS);
}

/** Plans with the current settings; a newer plan request makes an older result be dropped. */
export async function replanNow(): Promise<void> {
  const state = studio.getState();
  if (!modelReady(state) || (!state.profile && state.settings.method === 'gprune')) return;
  const check = checkPruneSettings(state.settings);
  if (!check.ok) {
    state.setPlanError(check.message);
    return;
  }
  const version = ++planVersion;
  try {
    const result = await studioWorker().plan(state.settings);
    if (version !== planVersion) return;
    const { analysis, ...plan } = result;
    const next = studio.getState();
    next.setPlanError(null);
    next.setPlan(plan);
    next.setBaseCounts(plan.moduleKeepCounts);
    next.setLearned(null);
    if (next.pendingLearned) {
      applySharedLearned(next.pendingLearned, plan.modules.map((m) => m.size));
      next.setPendingLearned(null);
    }
    if (next.pendingOverrides) {
      next.setOverrides(next.pendingOverrides);
      next.setPendingOverrides(null);
    }
    setAnalysis(analysis);
    for (const warning of plan.warnings) next.notify({ kind: 'warning', text: warning });
    requestLossEstimate();
  } catch (error) {
    if (version !== planVersion) return;
    studio.getState().setPlanError(error instanceof Error ? error.message : String(error));
  }
}

/** Makes a share link's learned keep counts the base counts, when they fit the plan's modules; otherwise warns and keeps the plan's counts. */
function applySharedLearned(shared: SharedLearned, moduleSizes: number[]): void {
  const state = studio.getState();
  const counts = decodeKeepCounts(shared.keepCounts, 'link.learned.keepCounts');
  const fits = counts.length === moduleSizes.length && counts.every((count, i) => count <= moduleSizes[i]);
  if (!fits) {
    state.notify({ kind: 'warning', text: `The shared learned keep counts name ${counts.length} modules, but this plan has ${moduleSizes.length} (or a module is smaller than its count), so the plan's own counts are used. Press "Learn module sparsity" to search again.` });
    return;
  }
  state.setBaseCounts(counts);
  state.setLearned({ moduleKeepCounts: counts, priorLoss: shared.priorLoss, loss: shared.loss, evaluations: shared.evaluations, stopReason: shared.stopReason, bestLossHistory: [] });
}

export function setModuleOverride(override: ModuleOverride): void {
  studio.getState().setOverride(override);
  requestLossEstimate();
}

export function clearOverrides(): void {
  studio.getState().setOverrides([]);
  requestLossEstimate();
}

let estimating = false;
let estimateAgain = false;

/**
 * Measures the loss of the counts in force. At most one estimate runs. Requests that
 * arrive meanwhile collapse into one more estimate of the latest counts, so a moving slider
 * is estimated as fast as the worker allows and stale positions are never queued.
 */
export function requestLossEstimate(): void {
  const state = studio.getState();
  if (!state.plan || !state.profile || !modelReady(state)) return;
  state.setLoss(null, true);
  if (estimating) {
    estimateAgain = true;
    return;
  }
  estimating = true;
  void (async () => {
    try {
      do {
        estimateAgain = false;
        const counts = currentCounts(studio.getState());
        try {
          const loss = await studioWorker().estimateLoss(counts, newJobId());
          studio.getState().setLoss(loss, estimateAgain);
        } catch (error) {
          if (!isCancelled(error)) {
            studio.getState().setLoss(null, false);
            reportError(error, 'The loss estimate');
            return;
          }
        }
      } while (estimateAgain);
    } finally {
      estimating = false;
      studio.getState().setLoss(null, false);
    }
  })();
}

/** Learns module keep counts by the search; the result replaces the overrides. */
export async function learnModuleSparsity(): Promise<void> {
  const { settings } = studio.getState();
  if (!modelReady(studio.getState())) return;
  try {
    const result = await runJob('learn', (id, onProgress) => studioWorker().learn(Math.max(1, settings.searchEvaluations), id, onProgress));
    const state = studio.getState();
    state.setLearned(result);
    state.setBaseCounts(result.moduleKeepCounts);
    state.setOverrides([]);
    requestLossEstimate();
  } catch (error) {
    reportError(error, 'Learning module sparsity');
  }
}
