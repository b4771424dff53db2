/**
 * Node-side handle on one bench worker of the worker page (bench/browser/pages/worker.ts):
 * each method is one page.evaluate that forwards the call to the worker through comlink.
 */
import type { Page } from 'playwright-core';
import type { BenchEngineInfo, BenchWorkerApi, CandidateResult, OpenedModel } from '../pages/benchWorker';

type Method = keyof BenchWorkerApi;

export class BenchWorker {
  private constructor(
    private readonly page: Page,
    private readonly id: number,
  ) {}

  /** Starts a worker whose engine settings are the query string `query` (e.g. `?engine=wasm`). */
  static async open(page: Page, query: string): Promise<BenchWorker> {
    return new BenchWorker(page, await page.evaluate((q) => window.benchWorkers.open(q), query));
  }

  private call<T>(method: Method, args: unknown[], windowArgs: number[] = []): Promise<T> {
    // Token windows cross page.evaluate as number arrays and become Int32Arrays again in the page.
    return this.page.evaluate(
      ({ id, method, args, windowArgs }) => {
        const revived = args.map((arg, i) => (windowArgs.includes(i) ? (arg as number[][]).map((w) => Int32Array.from(w)) : arg));
        return (window.benchWorkers.call as (id: number, method: string, ...rest: unknown[]) => Promise<unknown>)(id, method, ...revived);
      },
      { id: this.id, method, args, windowArgs },
    ) as Promise<T>;
  }

  engine(): Promise<BenchEngineInfo> {
    return this.call('engine', []);
  }

  matmulTimes(rows: number, runs: number): Promise<number[]> {
    return this.call('matmulTimes', [rows, runs]);
  }

  openModel(urlPath: string): Promise<OpenedModel> {
    return this.call('openModel', [urlPath]);
  }

  forwardSeconds(windows: Int32Array[], batch: number): Promise<number> {
    return this.call('forwardSeconds', [windows.map((w) => Array.from(w)), batch], [0]);
  }

  async logits(windows: Int32Array[]): Promise<{ data: Float32Array; dims: number[] }> {
    const out = await this.page.evaluate(
      async ({ id, windows }) => {
        const result = await window.benchWorkers.call(id, 'logits', windows.map((w) => Int32Array.from(w)));
        return { data: Array.from(result.data), dims: result.dims };
      },
      { id: this.id, windows: windows.map((w) => Array.from(w)) },
    );
    return { data: Float32Array.from(out.data), dims: out.dims };
  }

  openMasked(): Promise<number> {
    return this.call('openMasked', []);
  }

  maskedCandidate(masks: Uint8Array[], windows: Int32Array[], batch: number): Promise<CandidateResult> {
    return this.callWithMasks('maskedCandidate', masks, windows, batch);
  }

  reexportCandidate(masks: Uint8Array[], windows: Int32Array[], batch: number): Promise<CandidateResult> {
    return this.callWithMasks('reexportCandidate', masks, windows, batch);
  }

  private callWithMasks(method: 'maskedCandidate' | 'reexportCandidate', masks: Uint8Array[], windows: Int32Array[], batch: number): Promise<CandidateResult> {
    return this.page.evaluate(
      ({ id, method, masks, windows, batch }) =>
        window.benchWorkers.call(
          id,
          method,
          masks.map((m) => Uint8Array.from(m)),
          windows.map((w) => Int32Array.from(w)),
          batch,
        ),
      { id: this.id, method, masks: masks.map((m) => Array.from(m)), windows: windows.map((w) => Array.from(w)), batch },
    );
  }

  release(): Promise<void> {
    return this.call('release', []);
  }

  close(): Promise<void> {
    return this.page.evaluate((id) => window.benchWorkers.close(id), this.id);
  }
}
