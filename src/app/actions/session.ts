/**
 * The session across reloads and worker crashes: restoring the autosaved session when the
 * page opens, and loading the model and datasets into a new worker after a crash.
 */
import { logger } from '../../core/log';
import { pauseAutosave } from '../persist/autosave';
import { clearSavedSession, readAnalysis, readDataset, readSession } from '../persist/sessionDb';
import { type SavedSession, restoredState, savedSessionProblem } from '../persist/snapshot';
import { setAnalysis } from '../state/analysisStore';
import { datasetSources } from '../state/datasetSources';
import { studio } from '../state/store';
import { studioWorker } from '../worker/client';
import { addDatasetInput } from './datasets';
import { reportError } from './errors';
import { runJob } from './jobs';
import { lastModelInput } from './model';
import { reattachComputed } from './reattach';

const log = logger('session');

/** More crashes than this within CRASH_WINDOW_MS stop the automatic restarts. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 60_000;
let crashTimes: number[] = [];

const clock = (ms: number) => new Date(ms).toLocaleTimeString();

/**
 * Puts the autosaved session back into the store and its own datasets into the worker.
 * Returns whether a session was restored. A damaged or older saved session is ignored
 * with a warning.
 */
export async function restoreSavedSession(): Promise<boolean> {
  const value = await readSession();
  if (value === undefined) return false;
  const problem = savedSessionProblem(value);
  if (problem) {
    log.warn(`the saved session is not restored: ${problem}`);
    studio.getState().notify({ kind: 'warning', text: `The session saved in this browser could not be restored because ${problem}. The studio starts empty.` });
    return false;
  }
  const saved = value as SavedSession;
  studio.setState(restoredState(saved));
  if (saved.plan) setAnalysis(await readAnalysis());

  const missing: string[] = [];
  for (const id of saved.userDatasets) {
    const stored = await readDataset(id);
    if (stored) await addDatasetInput({ id, builtin: false, file: stored.file });
    else missing.push(id);
  }
  const state = studio.getState();
  if (missing.length) state.notify({ kind: 'warning', text: `The saved files of datasets ${missing.join(', ')} are gone; drop them again.` });
  let next = '';
  if (saved.model?.demo) next = ' The demo model is loading again.';
  else if (saved.model) next = ` Load ${saved.model.label} again (the same files) to continue; its results are shown meanwhile.`;
  state.notify({ kind: 'info', text: `Restored the session saved at ${clock(saved.savedAt)}.${next}` });
  return true;
}

/** Deletes the saved session and starts the page afresh. */
export async function forgetSavedSession(): Promise<void> {
  await pauseAutosave();
  await clearSavedSession();
  location.hash = '';
  location.reload();
}

/**
 * Loads the model and datasets into the new worker after a crash and attaches the page's
 * results to them. Gives up, asking for a reload, after MAX_CRASHES within a minute.
 */
export async function recoverFromCrash(reason: string): Promise<void> {
  const now = Date.now();
  crashTimes = [...crashTimes.filter((time) => now - time < CRASH_WINDOW_MS), now];
  const state = studio.getState();
  if (crashTimes.length > MAX_CRASHES) {
    state.setModelLink(state.model ? 'saved' : 'attached');
    state.notify({ kind: 'error', text: `The model worker stopped ${crashTimes.length} times within a minute (last: ${reason}). It is not restarted again; reload the page, your results are saved.` });
    return;
  }
  const input = lastModelInput();
  const recovering = state.model !== null && state.modelLink === 'attached' && input !== null;
  state.notify({ kind: 'warning', text: `The model worker stopped (${reason}). A new worker was started${recovering ? ' and is loading the model and datasets again; results computed so far are kept' : ''}.` });

  for (const source of datasetSources()) {
    await studioWorker()
      .addDataset(source)
      .catch((error: unknown) => reportError(error, `Loading dataset ${source.id} again`));
  }
  if (!recovering) return;
  state.setModelLink('recovering');
  try {
    const summary = await runJob('load', (id) => studioWorker().openModel(input, id));
    studio.setState({ model: summary, engine: summary.engine });
  } catch (error) {
    studio.getState().setModelLink('saved');
    reportError(error, `Loading ${input.label} again`);
    return;
  }
  await reattachComputed('this session');
}
