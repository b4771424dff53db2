/**
 * The page's handle on the studio worker. The worker is created on first use and again
 * after a crash. A crash loses the worker's state (model, statistics). Calls still pending
 * reject with WorkerCrashedError instead of hanging, and the crash listeners restore the
 * session into the next worker.
 */
import * as Comlink from 'comlink';
import type { StudioApi } from '../../../workers/studio/api';
import { logger } from '../../core/log';

const log = logger('app');

/** Raised by calls that were pending when the worker stopped. */
export class WorkerCrashedError extends Error {
  readonly code = 'WORKER_CRASHED';

  constructor(reason: string) {
    super(`the model worker stopped (${reason})`);
    this.name = 'WorkerCrashedError';
  }
}

interface Generation {
  worker: Worker;
  api: Comlink.Remote<StudioApi>;
  /** Rejects when this worker stops; every call races against it. */
  stopped: Promise<never>;
  stop(error: WorkerCrashedError): void;
}

let current: Generation | null = null;
let nextJob = 1;
const crashListeners = new Set<(message: string) => void>();

function startWorker(): Generation {
  // The query string reaches the worker through its name (engine settings such as ?engine=wasm).
  const worker = new Worker(new URL('../../../workers/studio.worker.ts', import.meta.url), { type: 'module', name: `studio${location.search}` });
  const remote = Comlink.wrap<StudioApi>(worker);
  let stop!: (error: WorkerCrashedError) => void;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => undefined);
  const api = new Proxy({} as Comlink.Remote<StudioApi>, {
    get(_, name) {
      const method = (remote as unknown as Record<PropertyKey, (...args: unknown[]) => Promise<unknown>>)[name];
      return (...args: unknown[]) => Promise.race([method(...args), stopped]);
    },
  });
  const generation: Generation = { worker, api, stopped, stop };
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    crashed(generation, event.message || 'it failed without a message');
  });
  worker.addEventListener('messageerror', () => crashed(generation, 'a message from it could not be read'));
  return generation;
}

/** Ends a crashed worker: pending calls reject, the next call starts a new worker, and listeners run. */
function crashed(generation: Generation, reason: string): void {
  if (current !== generation) return;
  log.error(`studio worker stopped: ${reason}`);
  current = null;
  generation.worker.terminate();
  generation.stop(new WorkerCrashedError(reason));
  for (const listener of crashListeners) listener(reason);
}

export function studioWorker(): Comlink.Remote<StudioApi> {
  current ??= startWorker();
  return current.api;
}

/** Returns a fresh job id for a cancellable call. */
export function newJobId(): number {
  return nextJob++;
}

/** Calls `listener` when the worker crashes; returns the unsubscribe function. */
export function onWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}

/** Wraps a progress callback so comlink calls it across the worker boundary. */
export function progressProxy<T extends (...args: never[]) => unknown>(callback: T): T {
  return Comlink.proxy(callback);
}

/**
 * Stops the worker the way a crash would, for tests and debugging: 'terminate' ends it from
 * the page, 'throw' makes it throw an uncaught error inside.
 */
export function simulateWorkerCrash(how: 'terminate' | 'throw'): void {
  const generation = current;
  if (!generation) return;
  if (how === 'throw') generation.worker.postMessage({ gpruneDebug: 'throw' });
  else crashed(generation, 'terminated from the page');
}
