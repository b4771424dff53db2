/**
 * Saves the session to IndexedDB shortly after each change, so a reload or a closed tab
 * loses nothing computed (see snapshot.ts for what is saved).
 */
import { logger } from '../../core/log';
import { getAnalysis } from '../state/analysisStore';
import { studio } from '../state/store';
import { pruneDatasets, writeSession } from './sessionDb';
import { savedFieldsChanged, takeSnapshot } from './snapshot';

const log = logger('autosave');

/** Changes within this many milliseconds are saved once. */
export const AUTOSAVE_DELAY_MS = 300;

let timer: ReturnType<typeof setTimeout> | undefined;
let savedAnalysisVersion = -1;
let saving: Promise<void> = Promise.resolve();
let paused = false;

async function saveNow(): Promise<void> {
  if (paused) return;
  const state = studio.getState();
  const snapshot = takeSnapshot(state, Date.now());
  const analysisChanged = state.analysisVersion !== savedAnalysisVersion;
  const written = await writeSession(snapshot, analysisChanged ? getAnalysis() : undefined);
  if (!written) return;
  if (analysisChanged) savedAnalysisVersion = state.analysisVersion;
  await pruneDatasets(snapshot.userDatasets);
  studio.getState().setSavedAt(snapshot.savedAt);
  log.debug(() => `session saved (${snapshot.variants.length} variants, analysis ${analysisChanged ? 'written' : 'unchanged'})`);
}

function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    saving = saving.then(saveNow).catch((error: Error) => log.warn(`saving the session failed: ${error.message}`));
  }, AUTOSAVE_DELAY_MS);
}

/** Stops saving for the rest of the page's life and waits for a save in progress (before the saved session is deleted). */
export async function pauseAutosave(): Promise<void> {
  paused = true;
  clearTimeout(timer);
  await saving;
}

/**
 * Starts saving on every change of a saved field or of the analysis; returns the stop
 * function. `analysisSaved` marks the analysis in the store as already stored (restored).
 */
export function startAutosave(options: { analysisSaved?: boolean } = {}): () => void {
  if (options.analysisSaved) savedAnalysisVersion = studio.getState().analysisVersion;
  const unsubscribe = studio.subscribe((next, previous) => {
    if (savedFieldsChanged(next, previous) || next.analysisVersion !== previous.analysisVersion) schedule();
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
