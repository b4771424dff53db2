/**
 * Profiling the selected calibration datasets in the worker.
 */
import { studio } from '../state/store';
import { studioWorker } from '../worker/client';
import { reportError } from './errors';
import { runJob } from './jobs';
import { replanNow } from './plan';

export async function runProfile(): Promise<void> {
  const { calibrationIds, calibration, datasets, notify } = studio.getState();
  const missing = calibrationIds.filter((id) => !datasets[id]);
  if (missing.length) {
    notify({ kind: 'warning', text: `Datasets still loading or missing: ${missing.join(', ')}. Wait for them or drop the files.` });
    return;
  }
  try {
    const profile = await runJob('profile', (id, onProgress) => studioWorker().profile({ datasets: calibrationIds, calibration }, id, onProgress));
    studio.getState().setProfile(profile);
    await replanNow();
  } catch (error) {
    reportError(error, 'Profiling');
  }
}
