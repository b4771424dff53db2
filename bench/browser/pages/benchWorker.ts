/**
 * Worker of the browser benchmarks: the studio's web engine (src/runtime/webEngine) and the
 * core's model code, exposed with comlink. Times are measured inside the worker, so they
 * leave out the message round trip, as the Node side leaves out nothing comparable.
 * The worker's name carries the engine settings as a query string (`bench?engine=webgpu`).
 */
import * as Comlink from 'comlink';
import type { SessionHandle } from '../../../src/core/engine';
import { meanNll } from '../../../src/core/eval/perplexity';
import { MemorySink, memoryFiles, memorySource } from '../../../src/core/onnx/files';
import { buildFeeds, layoutBatch } from '../../../src/core/run/feeds';
import { type LoadedModel, createSession, loadModel } from '../../../src/core/run/loaded';
import { exportPrunedFolder, pruneModel } from '../../../src/core/surgery';
import { fetchModelFiles } from '../../../src/runtime/browserFiles';
import { type WebEngine, type WebSession, createWebEngine } from '../../../src/runtime/webEngine';
import { readEnginePreference } from '../../../workers/studio/enginePreference';
import { matmulInput, matmulModelBytes } from '../shared/matmulModel';

declare const self: DedicatedWorkerGlobalScope;

export interface BenchEngineInfo {
  name: string;
  reason: string;
  backend: string;
  threads: number;
  crossOriginIsolated: boolean;
  webgpuAdapter: boolean;
  fallbackAdapter: boolean;
}

export interface OpenedModel {
  createSeconds: number;
  /** Backend of the created session: 'wasm' when WebGPU was chosen but failed to load the model. */
  provider: string;
  parameters: number;
  config: Record<string, unknown>;
  logitsName: string;
}

export interface CandidateResult {
  seconds: number;
  nll: number;
  /** Re-export only: seconds of pruning and writing, of reading back and creating the session, and of the evaluation. */
  phases?: { export: number; session: number; evaluate: number };
}

let enginePromise: Promise<WebEngine> | null = null;
let matmul: SessionHandle | null = null;
let loaded: LoadedModel | null = null;
let plain: WebSession | null = null;
let masked: SessionHandle | null = null;

function engine(): Promise<WebEngine> {
  enginePromise ??= createWebEngine(readEnginePreference(self.name.replace(/^bench/, '')));
  return enginePromise;
}

function model(): LoadedModel {
  if (!loaded) throw new Error('No model is open: call openModel(baseUrl) first.');
  return loaded;
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

const api = {
  async engine(): Promise<BenchEngineInfo> {
    const e = await engine();
    return {
      name: e.name,
      reason: e.reason,
      backend: e.choice.backend,
      threads: e.choice.threads,
      crossOriginIsolated: e.capabilities.crossOriginIsolated,
      webgpuAdapter: e.capabilities.webgpuAdapter,
      fallbackAdapter: e.capabilities.fallbackAdapter,
    };
  },

  /** Seconds of each of `runs` runs of the 1024×4096 MatMul with `n` rows, after one warm-up run. */
  async matmulTimes(n: number, runs: number): Promise<number[]> {
    matmul ??= await (await engine()).createSession(matmulModelBytes(), []);
    const feeds = { X: { type: 'float32' as const, data: matmulInput(n), dims: [n, 1024] } };
    await matmul.run(feeds, ['Y']);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push((await timed(() => matmul!.run(feeds, ['Y']))).seconds);
    return times;
  },

  /** Downloads the model folder at `baseUrl` (ending with '/') and creates its plain session. */
  async openModel(baseUrl: string): Promise<OpenedModel> {
    await api.release();
    loaded = await loadModel(await fetchModelFiles(baseUrl, baseUrl));
    const created = await timed(async () => createSession(await engine(), model()));
    plain = created.value as WebSession;
    return { createSeconds: created.seconds, provider: plain.provider, parameters: model().anatomy.totalParameters, config: model().config ?? {}, logitsName: model().anatomy.logits };
  },

  /** Seconds of one forward pass over `windows`, `batch` windows per run, fetching the logits. */
  async forwardSeconds(windows: Int32Array[], batch: number): Promise<number> {
    const m = model();
    const { seconds } = await timed(async () => {
      for (let i = 0; i < windows.length; i += batch) {
        await plain!.run(buildFeeds(plain!.inputNames, m.anatomy, layoutBatch(windows.slice(i, i + batch)), {}, m.kv), [m.anatomy.logits]);
      }
    });
    return seconds;
  },

  /** Logits [batch, sequence, vocab] of one run over `windows`. */
  async logits(windows: Int32Array[]): Promise<{ data: Float32Array; dims: number[] }> {
    const m = model();
    const out = await plain!.run(buildFeeds(plain!.inputNames, m.anatomy, layoutBatch(windows), {}, m.kv), [m.anatomy.logits]);
    const tensor = out[m.anatomy.logits];
    return { data: Float32Array.from(tensor.data as Float32Array), dims: [...tensor.dims] };
  },

  /** Creates the session with keep-mask inputs and the per-token NLL output; returns its creation seconds. */
  async openMasked(): Promise<number> {
    const created = await timed(async () => createSession(await engine(), model(), { stats: false, masks: true, nll: true }));
    masked = created.value;
    return created.seconds;
  },

  /** Live preview of one candidate: mean NLL through the masks of the open masked session. */
  async maskedCandidate(masks: Uint8Array[], windows: Int32Array[], batch: number): Promise<CandidateResult> {
    const { seconds, value } = await timed(() => meanNll(masked!, model(), windows, { batchSize: batch, overrides: { masks } }));
    return { seconds, nll: value.nll };
  },

  /**
   * Re-export of one candidate: physical pruning, writing the folder in memory (as the
   * studio's zip export does), reading it back, a new session and the same mean NLL.
   */
  async reexportCandidate(masks: Uint8Array[], windows: Int32Array[], batch: number): Promise<CandidateResult> {
    const m = model();
    const started = performance.now();
    const pruned = await pruneModel(m, masks);
    const sink = new MemorySink();
    await exportPrunedFolder(m, pruned, sink, { benchmark: true });
    const exported = performance.now();
    const reloaded = await loadModel(memoryFiles('pruned', [...sink.files.keys()].map((path) => memorySource(path, sink.bytes(path)))));
    const session = await createSession(await engine(), reloaded, { stats: false, masks: false, nll: true });
    const created = performance.now();
    try {
      const { nll } = await meanNll(session, reloaded, windows, { batchSize: batch });
      const ended = performance.now();
      return { seconds: (ended - started) / 1000, nll, phases: { export: (exported - started) / 1000, session: (created - exported) / 1000, evaluate: (ended - created) / 1000 } };
    } finally {
      await session.release();
    }
  },

  async release(): Promise<void> {
    await plain?.release();
    await masked?.release();
    plain = masked = null;
    loaded = null;
  },
};

export type BenchWorkerApi = typeof api;

// onnxruntime-web starts its WASM threads by loading this module again as "em-pthread…".
if (!self.name?.startsWith('em-pthread')) Comlink.expose(api);
