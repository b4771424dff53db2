/**
 * Runs a cancellable worker job with progress in the store.
 */
import type { JobProgress } from '../../../workers/studio/api';
import { studio } from '../state/store';
import type { JobKind } from '../state/types';
import { newJobId, progressProxy, studioWorker } from '../worker/client';

/** Runs `call` as job `kind`; the store shows its progress until it settles. */
export async function runJob<T>(kind: JobKind, call: (jobId: number, onProgress: (event: JobProgress) => void) => Promise<T>): Promise<T> {
  const id = newJobId();
  const state = studio.getState();
  state.startJob(kind, id);
  try {
    return await call(id, progressProxy((event: JobProgress) => studio.getState().updateJob(kind, event)));
  } finally {
    if (studio.getState().jobs[kind]?.id === id) studio.getState().endJob(kind);
  }
}

export function cancelJob(kind: JobKind): void {
  const job = studio.getState().jobs[kind];
  if (job) void studioWorker().cancel(job.id);
}
