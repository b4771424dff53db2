/**
 * The page's handle on the studio worker. The worker is created on first use and again
 * after a crash. A crash loses its state (model, statistics), and the crash listeners
 * notify the user.
 */
import * as Comlink from 'comlink';
import type { StudioApi } from '../../../workers/studio/api';
import { logger } from '../../core/log';

const log = logger('app');

let remote: Comlink.Remote<StudioApi> | null = null;
let nextJob = 1;
const crashListeners = new Set<(message: string) => void>();

export function studioWorker(): Comlink.Remote<StudioApi> {
  if (remote) return remote;
  // The query string reaches the worker through its name (engine settings such as ?engine=wasm).
  const worker = new Worker(new URL('../../../workers/studio.worker.ts', import.meta.url), { type: 'module', name: `studio${location.search}` });
  worker.addEventListener('error', (event) => {
    const message = event.message || 'the worker stopped unexpectedly';
    log.error(`studio worker failed: ${message}`);
    worker.terminate();
    remote = null;
    for (const listener of crashListeners) listener(message);
  });
  remote = Comlink.wrap<StudioApi>(worker);
  return remote;
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
