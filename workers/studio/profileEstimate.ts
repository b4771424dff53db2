/**
 * The estimate shown beside the Profile button: memory and time of profiling the chosen
 * datasets, from the model's shapes, checked against the limits of the engine's device.
 */
import { type DeviceLimits, estimateRun, modelDimensions } from '../../src/core/estimate';
import type { LoadedModel } from '../../src/core/run/loaded';
import type { EngineInfo, ProfileEstimate, ProfileRequest } from './api';

interface GpuLimits {
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
}

interface GpuLike {
  requestAdapter(): Promise<{ limits?: GpuLimits } | null>;
}

/**
 * Returns the limits of the engine's device. WebGPU limits come from the adapter, whose limits
 * onnxruntime-web 1.31 requests when it creates its device (lib/wasm/jsep/backend-webgpu.ts).
 * Without an adapter the WebGPU spec's defaults apply.
 */
export async function deviceLimits(engine: Pick<EngineInfo, 'backend'>): Promise<DeviceLimits> {
  if (engine.backend === 'node') return { engine: 'onnxruntime-node' };
  if (engine.backend !== 'webgpu') return { engine: 'wasm' };
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  return { engine: 'webgpu', maxBufferSize: adapter?.limits?.maxBufferSize, maxStorageBufferBindingSize: adapter?.limits?.maxStorageBufferBindingSize };
}

/** Estimates a profile of `request` on `device` with `threads` WASM threads. */
export function estimateProfile(loaded: Pick<LoadedModel, 'model' | 'anatomy' | 'config'>, request: ProfileRequest, device: DeviceLimits, threads: number): ProfileEstimate {
  const dims = modelDimensions(loaded);
  const { samples, seqlen, batchSize } = request.calibration;
  const windows = Math.max(1, samples * request.datasets.length);
  const estimate = estimateRun(dims, { windows, seqlen, batchSize: Math.max(1, batchSize), passes: 1 }, device, { threads });
  return {
    windows,
    seqlen,
    batchSize,
    tokens: windows * seqlen,
    device: device.engine,
    memory: estimate.memory,
    seconds: estimate.time.seconds,
    throughput: estimate.time.throughput,
    problems: estimate.problems,
    fittingBatchSize: estimate.fittingBatchSize,
    largestTensorBytes: dims.largestTensorBytes,
  };
}
