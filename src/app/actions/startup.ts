/**
 * Start-up of the page. A share link in the address wins over the autosaved session. Then
 * come the built-in datasets, the demo model of a restored demo session, autosave, and
 * recovery from worker crashes.
 */
import { startAutosave } from '../persist/autosave';
import { studio } from '../state/store';
import { onWorkerCrash, simulateWorkerCrash } from '../worker/client';
import { loadBuiltinDatasets } from './datasets';
import { loadDemoModel } from './model';
import { recoverFromCrash, restoreSavedSession } from './session';
import { openSharedLinkFromLocation } from './share';

/** Testing handle on `window.gpruneStudio`, present only with `?debug=1` in the address. */
export interface DebugHandle {
  crashWorker(how: 'terminate' | 'throw'): void;
}

/** Starts the session once (React's StrictMode mounts twice in development); returns the stop function. */
export function startSession(): () => void {
  if (started) return () => undefined;
  started = true;
  const stopCrash = onWorkerCrash((reason) => void recoverFromCrash(reason));
  if (new URLSearchParams(location.search).get('debug') === '1') {
    (window as unknown as { gpruneStudio: DebugHandle }).gpruneStudio = { crashWorker: simulateWorkerCrash };
  }
  let stopAutosave: () => void = () => undefined;
  void (async () => {
    openSharedLinkFromLocation();
    const restored = !studio.getState().sharedLink && (await restoreSavedSession());
    await loadBuiltinDatasets();
    stopAutosave = startAutosave({ analysisSaved: restored });
    const state = studio.getState();
    if (restored && state.model?.demo && state.modelLink === 'saved') await loadDemoModel();
  })();
  return () => {
    started = false;
    stopCrash();
    stopAutosave();
  };
}

let started = false;
