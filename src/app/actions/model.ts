/**
 * Loading a model: dropped or picked files, or the demo model served with the app. When
 * the loaded model has the fingerprint of a saved session's model, the session's results
 * are attached to it instead of being cleared.
 */
import type { ModelFileInput, ModelInput, ModelSummary } from '../../../workers/studio/api';
import { setAnalysis } from '../state/analysisStore';
import { studio } from '../state/store';
import { studioWorker } from '../worker/client';
import { reportError } from './errors';
import { runJob } from './jobs';
import { reattachComputed } from './reattach';
import { resumeSharedSession } from './share';

/** The input of the model the worker holds, to open it again in a new worker after a crash. */
let lastInput: ModelInput | null = null;

export function lastModelInput(): ModelInput | null {
  return lastInput;
}

/** Absolute URL of a path under the app's base (the worker fetches relative to its own script). */
export function appUrl(path: string): string {
  return new URL(import.meta.env.BASE_URL + path, location.href).href;
}

export function loadDemoModel(): Promise<void> {
  return loadModel({ kind: 'url', label: 'demo', baseUrl: appUrl('models/demo/'), demo: true });
}

export function loadModelFiles(label: string, files: ModelFileInput[]): Promise<void> {
  return loadModel({ kind: 'files', label, files });
}

/** Clears everything computed for the previous model. */
function resetResults(summary: ModelSummary): void {
  const state = studio.getState();
  state.setModel(summary);
  state.setEngine(summary.engine);
  state.setProfile(null);
  state.setPlan(null);
  state.setBaseCounts([]);
  state.setLearned(null);
  state.setLoss(null, false);
  state.setEvalResult(null);
  state.setExported(null);
  studio.setState({ variants: [], evalVariantIds: ['dense'], loss: null, overrides: [], modelLink: 'attached', restoredFrom: null });
  setAnalysis(null);
}

async function loadModel(input: ModelInput): Promise<void> {
  let summary: ModelSummary;
  try {
    summary = await runJob('load', (id) => studioWorker().openModel(input, id));
  } catch (error) {
    reportError(error, `Loading ${input.label}`);
    return;
  }
  lastInput = input;
  const previous = studio.getState();
  // The same model again (a saved session's, or the same files under another name) keeps its results.
  const sameModel = previous.model?.fingerprint === summary.fingerprint;
  if (!sameModel) {
    resetResults(summary);
    await resumeSharedSession();
    return;
  }
  studio.setState({ model: summary, engine: summary.engine });
  await reattachComputed(`the saved session of ${summary.label}`);
}
