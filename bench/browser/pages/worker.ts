/**
 * Page of the worker benchmarks. `window.benchWorkers.open(query)` starts a bench worker
 * whose engine settings come from `query` (for example `?engine=webgpu&threads=2`) and
 * returns its id; `call(id, method, ...args)` calls it. Playwright drives this through
 * page.evaluate.
 */
import * as Comlink from 'comlink';
import type { BenchWorkerApi } from './benchWorker';

const workers = new Map<number, { worker: Worker; remote: Comlink.Remote<BenchWorkerApi> }>();
let nextId = 1;

const benchWorkers = {
  open(query: string): number {
    const worker = new Worker(new URL('./benchWorker.ts', import.meta.url), { type: 'module', name: `bench${query}` });
    const id = nextId++;
    workers.set(id, { worker, remote: Comlink.wrap<BenchWorkerApi>(worker) });
    return id;
  },

  call<K extends keyof BenchWorkerApi>(id: number, method: K, ...args: Parameters<BenchWorkerApi[K]>): Promise<Awaited<ReturnType<BenchWorkerApi[K]>>> {
    const entry = workers.get(id);
    if (!entry) throw new Error(`No bench worker ${id}; open one first.`);
    return (entry.remote[method] as unknown as (...a: unknown[]) => Promise<Awaited<ReturnType<BenchWorkerApi[K]>>>)(...args);
  },

  close(id: number): void {
    workers.get(id)?.worker.terminate();
    workers.delete(id);
  },
};

export type BenchWorkers = typeof benchWorkers;

declare global {
  interface Window {
    benchWorkers: BenchWorkers;
  }
}
window.benchWorkers = benchWorkers;
document.title += ' (ready)';
