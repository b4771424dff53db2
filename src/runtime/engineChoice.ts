/**
 * The rule that picks the onnxruntime-web backend from what the page can probe. It has no
 * onnxruntime imports, so it is testable in Node.
 */

export type WebBackend = 'webgpu' | 'wasm';

/** Browser facts the worker probed. */
export interface BrowserCapabilities {
  /** Whether `navigator.gpu.requestAdapter()` returned an adapter. */
  webgpuAdapter: boolean;
  /** Whether that adapter is a software fallback (SwiftShader), which runs far slower than WASM. */
  fallbackAdapter: boolean;
  /** `self.crossOriginIsolated`: SharedArrayBuffer, and so WASM threads, are available. */
  crossOriginIsolated: boolean;
  /** `navigator.hardwareConcurrency`. */
  cores: number;
}

/** Settings a user or a test may force (for example `?engine=wasm&threads=1`). */
export interface EnginePreference {
  backend: 'auto' | WebBackend;
  /** WASM threads; 0 picks from the core count. */
  threads: number;
}

export interface EngineChoice {
  backend: WebBackend;
  /** WASM threads (onnxruntime-web's `env.wasm.numThreads`); also used for CPU fallback ops under WebGPU. */
  threads: number;
  /** One sentence for the UI. */
  reason: string;
}

/** Most WASM threads used by default; more threads give little on the small matrices of one window. */
export const MAX_DEFAULT_THREADS = 8;

/**
 * WebGPU when a hardware adapter exists, else WASM with as many threads as the isolation
 * allows. onnxruntime-web's own default is min(4, ceil(cores / 2)), one thread on a
 * 2-core machine, so the count is always set explicitly.
 */
export function chooseEngine(capabilities: BrowserCapabilities, preference: EnginePreference = { backend: 'auto', threads: 0 }): EngineChoice {
  const threads = capabilities.crossOriginIsolated ? Math.max(1, preference.threads || Math.min(MAX_DEFAULT_THREADS, capabilities.cores || 1)) : 1;
  const threadText = capabilities.crossOriginIsolated
    ? `${threads} WASM thread${threads === 1 ? '' : 's'} (the page is cross-origin isolated)`
    : 'one WASM thread, because the page is not cross-origin isolated (COOP/COEP headers missing)';

  if (preference.backend === 'wasm') return { backend: 'wasm', threads, reason: `WASM was requested; ${threadText}.` };
  if (capabilities.webgpuAdapter && (!capabilities.fallbackAdapter || preference.backend === 'webgpu')) {
    return { backend: 'webgpu', threads, reason: `WebGPU adapter found${capabilities.fallbackAdapter ? ' (software fallback, requested)' : ''}; operators WebGPU lacks run on ${threadText}.` };
  }
  if (capabilities.webgpuAdapter) return { backend: 'wasm', threads, reason: `The only WebGPU adapter is a software fallback, slower than the CPU; using ${threadText}.` };
  const missing = preference.backend === 'webgpu' ? 'WebGPU was requested but no adapter is available' : 'No WebGPU adapter is available';
  return { backend: 'wasm', threads, reason: `${missing}; using ${threadText}.` };
}
