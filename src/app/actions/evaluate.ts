/**
 * Saving pruned variants and measuring their perplexity next to the dense model.
 */
import { modelReady } from '../state/sessionSlice';
import { studio } from '../state/store';
import type { SavedVariant } from '../state/types';
import { studioWorker } from '../worker/client';
import { currentCounts, currentFfnParameters } from './counts';
import { ensureBuiltin } from './datasets';
import { reportError } from './errors';
import { runJob } from './jobs';

/** The next free variant id: `v` and one more than the highest number in use (saved sessions included). */
export function nextVariantId(variants: readonly SavedVariant[]): string {
  const numbers = variants.map((v) => Number(/^v(\d+)$/.exec(v.id)?.[1] ?? 0));
  return `v${Math.max(0, ...numbers) + 1}`;
}

/** Saves the counts in force as a variant, labelled with the method, sparsity and what changed. */
export async function saveCurrentVariant(): Promise<void> {
  const state = studio.getState();
  if (!state.plan || !modelReady(state)) return;
  const counts = currentCounts(state);
  const extras = [state.learned ? 'learned' : '', state.overrides.length ? `${state.overrides.length} override${state.overrides.length === 1 ? '' : 's'}` : ''].filter(Boolean);
  const label = `${state.plan.method} @ ${Math.round(state.settings.sparsity * 100)}%${extras.length ? ` (${extras.join(', ')})` : ''}`;
  const id = nextVariantId(state.variants);
  try {
    await studioWorker().saveVariant({ id, label, moduleKeepCounts: counts });
    studio.getState().addVariant({ id, label, moduleKeepCounts: counts, ffnParametersAfter: currentFfnParameters(state) });
  } catch (error) {
    reportError(error, 'Saving the variant');
  }
}

export async function runEvaluation(): Promise<void> {
  const { evaluationIds, evalVariantIds, evalSettings, calibration, notify } = studio.getState();
  if (!modelReady(studio.getState())) return;
  if (evaluationIds.length === 0 || evalVariantIds.length === 0) {
    notify({ kind: 'warning', text: 'Select at least one evaluation dataset and one variant.' });
    return;
  }
  await Promise.all(evaluationIds.map(ensureBuiltin));
  try {
    const request = { datasets: evaluationIds, variants: evalVariantIds, seqlen: evalSettings.seqlen, maxWindows: evalSettings.maxWindows, batchSize: calibration.batchSize };
    const result = await runJob('eval', (id, onProgress) => studioWorker().evaluate(request, id, onProgress));
    studio.getState().setEvalResult(result);
  } catch (error) {
    reportError(error, 'Evaluation');
  }
}
