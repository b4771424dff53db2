/**
 * Loading a model: dropped or picked files, or the demo model served with the app.
 */
import type { ModelFileInput, ModelInput } from '../../../workers/studio/api';
import { setAnalysis } from '../state/analysisStore';
import { studio } from '../state/store';
import { studioWorker } from '../worker/client';
import { reportError } from './errors';
import { runJob } from './jobs';
import { resumeSharedSession } from './share';

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

async function loadModel(input: ModelInput): Promise<void> {
  try {
    const summary = await runJob('load', (id) => studioWorker().openModel(input, id));
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
    studio.setState({ variants: [], evalVariantIds: ['dense'], loss: null });
    setAnalysis(null);
    await resumeSharedSession();
  } catch (error) {
    reportError(error, 'Loading the model');
  }
}
