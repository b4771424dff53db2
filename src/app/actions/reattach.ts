/**
 * Attaches results computed earlier (restored from a saved session, or kept on the page
 * across a worker crash) to the model the worker just opened. The profile comes back from
 * the statistics cache, the plan is rebuilt with the same settings, and saved variants are
 * handed to the worker again. Overrides, learned counts and evaluation results stay as they are.
 */
import { setAnalysis } from '../state/analysisStore';
import { studio } from '../state/store';
import { studioWorker } from '../worker/client';
import { ensureBuiltin } from './datasets';
import { reportError } from './errors';
import { runJob } from './jobs';
import { requestLossEstimate } from './plan';

async function reprofile(): Promise<boolean> {
  const { profiledWith, profile } = studio.getState();
  if (!profiledWith || !profile) return true;
  await Promise.all(profiledWith.datasets.map(ensureBuiltin));
  try {
    const again = await runJob('profile', (id, onProgress) => studioWorker().profile(profiledWith, id, onProgress));
    studio.getState().setProfile(again, profiledWith);
    return true;
  } catch (error) {
    reportError(error, 'Profiling the restored datasets again');
    return false;
  }
}

async function replan(): Promise<boolean> {
  const before = studio.getState();
  if (!before.plan) return true;
  try {
    const { analysis, ...plan } = await studioWorker().plan(before.settings);
    const next = studio.getState();
    next.setPlan(plan);
    setAnalysis(analysis);
    if (plan.modules.length !== before.plan.modules.length) {
      next.setBaseCounts(plan.moduleKeepCounts);
      next.setOverrides([]);
      next.setLearned(null);
      next.notify({ kind: 'warning', text: 'The rebuilt plan has other modules than the saved one, so its overrides and learned counts were reset.' });
    }
    return true;
  } catch (error) {
    reportError(error, 'Planning the restored settings again');
    return false;
  }
}

/** Hands the saved variants to the worker; a variant the current plan cannot take is dropped with a warning. */
async function resaveVariants(): Promise<void> {
  const resaved = [];
  for (const variant of studio.getState().variants) {
    try {
      await studioWorker().saveVariant({ id: variant.id, label: variant.label, moduleKeepCounts: variant.moduleKeepCounts });
      resaved.push(variant);
    } catch (error) {
      studio.getState().notify({ kind: 'warning', text: `Variant ${variant.label} does not fit the rebuilt plan and was dropped (${(error as Error).message}).` });
    }
  }
  const state = studio.getState();
  if (resaved.length !== state.variants.length) {
    const ids = new Set(resaved.map((v) => v.id));
    studio.setState({ variants: resaved, evalVariantIds: state.evalVariantIds.filter((id) => id === 'dense' || ids.has(id)) });
  }
}

/**
 * Rebuilds the worker's state for the results on the page; `what` names them in the notice.
 * The model counts as attached (buttons enabled) only when this is done, so no evaluation
 * or export runs against a half-rebuilt worker.
 */
export async function reattachComputed(what: string): Promise<void> {
  const before = studio.getState();
  const computed = before.profile !== null || before.plan !== null || before.variants.length > 0;
  if (!computed) {
    before.setModelLink('attached');
    return;
  }
  before.setModelLink('recovering');
  const rebuilt = (await reprofile()) && (await replan());
  if (rebuilt) await resaveVariants();
  studio.getState().setModelLink('attached');
  if (!rebuilt) return;
  requestLossEstimate();
  studio.getState().notify({ kind: 'info', text: `The results of ${what} are attached to the loaded model again.` });
}
