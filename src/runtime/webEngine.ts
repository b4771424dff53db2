/**
 * onnxruntime-web behind the core's Engine interface: WebGPU where a hardware adapter
 * exists, else multi-threaded WASM. Runs in a worker; no DOM access.
 */
import type * as OrtModule from 'onnxruntime-web';
import type { Engine, ExternalDataRef, SessionHandle } from '../core/engine';
import { GpruneError } from '../core/errors';
import { logger, ortSeverity } from '../core/log';
import { type BrowserCapabilities, type EngineChoice, type EnginePreference, type WebBackend, chooseEngine } from './engineChoice';

const log = logger('engine');

/** A session of the web engine and the backend that runs it, which is WASM when the chosen WebGPU failed to load the model. */
export interface WebSession extends SessionHandle {
  readonly provider: WebBackend;
}

/** A web engine with the facts the UI shows beside the model summary. */
export interface WebEngine extends Engine {
  readonly choice: EngineChoice;
  readonly capabilities: BrowserCapabilities;
  createSession(model: Uint8Array, externalData: ExternalDataRef[]): Promise<WebSession>;
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean };
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** Probes WebGPU, cross-origin isolation and the core count of the current global scope. */
export async function probeCapabilities(): Promise<BrowserCapabilities> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  let adapter: GpuAdapterLike | null = null;
  if (gpu) {
    try {
      adapter = await gpu.requestAdapter();
    } catch (error) {
      log.info(`navigator.gpu.requestAdapter() failed: ${(error as Error).message}`);
    }
  }
  return {
    webgpuAdapter: adapter !== null,
    fallbackAdapter: Boolean(adapter?.info?.isFallbackAdapter ?? adapter?.isFallbackAdapter),
    crossOriginIsolated: Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
    cores: globalThis.navigator?.hardwareConcurrency ?? 1,
  };
}

type Ort = typeof OrtModule;

/**
 * Loads the onnxruntime-web build of a backend. The WASM-only build's binary is half the
 * size of the WebGPU build's (15 MB against 29 MB in 1.31), and compiling it is most of the
 * first session's start-up, so WebGPU's build is fetched only when WebGPU is used.
 */
async function loadRuntime(backend: EngineChoice['backend']): Promise<Ort> {
  return backend === 'webgpu' ? ((await import('onnxruntime-web/webgpu')) as unknown as Ort) : ((await import('onnxruntime-web/wasm')) as unknown as Ort);
}

/**
 * Creates the engine. Sessions try the chosen backend first and WASM after it. When both
 * fail, the error lists the message of each.
 */
export async function createWebEngine(preference?: EnginePreference): Promise<WebEngine> {
  const capabilities = await probeCapabilities();
  const choice = chooseEngine(capabilities, preference);
  const ort = await loadRuntime(choice.backend);
  // NOTE: onnxruntime-web reads numThreads once, when its WASM module starts, so it is set before the first session.
  ort.env.wasm.numThreads = choice.threads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  const name = `onnxruntime-web ${ort.env.versions?.web ?? ''} (${choice.backend}, ${choice.threads} thread${choice.threads === 1 ? '' : 's'})`.replace('  ', ' ');
  log.info(`${name}: ${choice.reason}`);

  const providers: WebBackend[] = choice.backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'];
  return {
    name,
    reason: choice.reason,
    choice,
    capabilities,
    async createSession(model: Uint8Array, externalData: ExternalDataRef[]): Promise<WebSession> {
      const failures: string[] = [];
      for (const provider of providers) {
        try {
          const started = performance.now();
          const session = await ort.InferenceSession.create(model, {
            executionProviders: [provider],
            graphOptimizationLevel: 'all',
            logSeverityLevel: ortSeverity(),
            externalData: externalData.map((entry) => ({ path: entry.path, data: entry.data })),
          });
          log.info(() => `${provider} session of ${model.byteLength} bytes created in ${Math.round(performance.now() - started)} ms`);
          return wrapSession(ort, session, provider);
        } catch (cause) {
          failures.push(`${provider}: ${(cause as Error).message}`);
          log.warn(`onnxruntime-web could not create a ${provider} session: ${(cause as Error).message}`);
        }
      }
      throw new GpruneError('SESSION_FAILED', `onnxruntime-web could not load the model (${failures.join('; ')}). Check that the .onnx file and its .onnx_data files belong together.`);
    },
  };
}

/**
 * Resolves after the event loop has handled pending messages. onnxruntime-web's WASM run
 * blocks the worker's thread and its promise settles as a microtask, so without this a
 * loop of runs would handle a cancel message only after the whole loop.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function wrapSession(ort: Ort, session: OrtModule.InferenceSession, provider: WebBackend): WebSession {
  return {
    provider,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds, fetches) {
      const ortFeeds: Record<string, OrtModule.Tensor> = {};
      for (const [name, feed] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(feed.type, feed.data as never, feed.dims);
      const outputs = await session.run(ortFeeds, fetches);
      await yieldToEventLoop();
      return outputs;
    },
    release: () => session.release(),
  };
}
