/**
 * Cancellable jobs: each long call gets a job id from the page, and `cancel(id)` aborts
 * its signal. Progress is forwarded at most every PROGRESS_INTERVAL_MS.
 */
import type { JobProgress, ProgressCallback } from './api';

/** Shortest time between two progress messages to the page, in milliseconds. */
export const PROGRESS_INTERVAL_MS = 80;

export class JobRegistry {
  private readonly controllers = new Map<number, AbortController>();

  /** Runs `work` with the signal of job `id` and removes the job when it settles. */
  async run<T>(id: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.controllers.get(id)?.abort();
    this.controllers.set(id, controller);
    try {
      return await work(controller.signal);
    } finally {
      if (this.controllers.get(id) === controller) this.controllers.delete(id);
    }
  }

  cancel(id: number): void {
    this.controllers.get(id)?.abort();
  }
}

/** Forwards events no faster than every `interval` ms, except the last one of a job (done === total). */
export function throttleProgress(callback: ProgressCallback | undefined, interval = PROGRESS_INTERVAL_MS): (event: JobProgress) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (!callback) return;
    const now = performance.now();
    if (now - last < interval && event.done < event.total) return;
    last = now;
    void callback(event);
  };
}
