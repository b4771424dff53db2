/**
 * Profiling the selected calibration datasets in the worker, and the estimate of its
 * memory and time shown before it runs.
 */
import type { ProfileRequest } from '../../../workers/studio/api';
import { modelReady } from '../state/sessionSlice';
import { studio } from '../state/store';
import { studioWorker } from '../worker/client';
import { reportError } from './errors';
import { runJob } from './jobs';
import { replanNow } from './plan';

/** Settings changes within this many milliseconds are estimated once. */
const ESTIMATE_DELAY_MS = 150;

let estimateTimer: ReturnType<typeof setTimeout> | undefined;
let estimateVersion = 0;

function profileRequest(): ProfileRequest {
  const { calibrationIds, calibration } = studio.getState();
  return { datasets: calibrationIds, calibration };
}

/** Estimates the profile of the current settings soon; a newer request makes an older answer be dropped. */
export function requestProfileEstimate(): void {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(() => void estimateNow(), ESTIMATE_DELAY_MS);
}

async function estimateNow(): Promise<void> {
  const version = ++estimateVersion;
  const state = studio.getState();
  if (!modelReady(state) || state.calibrationIds.length === 0) {
    state.setEstimate(null);
    return;
  }
  try {
    const estimate = await studioWorker().estimateProfile(profileRequest());
    if (version === estimateVersion) studio.getState().setEstimate(estimate);
  } catch (error) {
    if (version === estimateVersion) studio.getState().setEstimate(null, error instanceof Error ? error.message : String(error));
  }
}

export async function runProfile(): Promise<void> {
  const { calibrationIds, datasets, notify } = studio.getState();
  if (!modelReady(studio.getState())) return;
  const missing = calibrationIds.filter((id) => !datasets[id]);
  if (missing.length) {
    notify({ kind: 'warning', text: `Datasets still loading or missing: ${missing.join(', ')}. Wait for them or drop the files.` });
    return;
  }
  const request = profileRequest();
  try {
    const profile = await runJob('profile', (id, onProgress) => studioWorker().profile(request, id, onProgress));
    studio.getState().setProfile(profile, request);
    await replanNow();
  } catch (error) {
    reportError(error, 'Profiling');
  }
}
