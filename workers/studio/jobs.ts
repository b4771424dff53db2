/**
 * Cancellable jobs: each long call gets a job id from the page, and `cancel(id)` aborts
 * its signal. Progress is forwarded at most every PROGRESS_INTERVAL_MS.
 */
import type { JobProgress, ProgressCallback } from './api';

/** Shortest time between two progress messages to the page, in milliseconds. */
export const PROGRESS_INTERVAL_MS = 80;

/** Cancellations of jobs that have not started yet are kept for this many job ids. */
const EARLY_CANCELS = 64;

export class JobRegistry {
  private readonly controllers = new Map<number, AbortController>();
  /** Ids cancelled before their job started (a cancel can overtake the call's own setup). */
  private readonly early = new Set<number>();

  /** Runs `work` with the signal of job `id` and removes the job when it settles. */
  async run<T>(id: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.controllers.get(id)?.abort();
    this.controllers.set(id, controller);
    if (this.early.delete(id)) controller.abort();
    try {
      return await work(controller.signal);
    } finally {
      if (this.controllers.get(id) === controller) this.controllers.delete(id);
    }
  }

  cancel(id: number): void {
    const controller = this.controllers.get(id);
    if (controller) {
      controller.abort();
      return;
    }
    this.early.add(id);
    if (this.early.size > EARLY_CANCELS) this.early.delete(this.early.values().next().value!);
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
