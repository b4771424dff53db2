/**
 * Checks of an estimate against what the device can hold: the 2 GiB protobuf limit, the
 * 4 GiB memory of 32-bit WebAssembly, WebGPU buffer limits and the machine's memory.
 */
import { MAX_PROTOBUF_BYTES } from '../onnx/model';
import type { ModelDimensions } from './dimensions';
import { type MemoryEstimate, estimateMemory } from './memory';
import type { RunPlan } from './plan';

/** 32-bit WebAssembly addresses at most 4 GiB, the ceiling of onnxruntime-web's WASM heap. */
export const WASM_MEMORY_BYTES = 4 * 2 ** 30;
/** The WebGPU spec's default maxBufferSize (256 MiB), granted when the page requests no higher limit. */
export const WEBGPU_DEFAULT_MAX_BUFFER_SIZE = 256 * 2 ** 20;
/** The WebGPU spec's default maxStorageBufferBindingSize (128 MiB). */
export const WEBGPU_DEFAULT_MAX_STORAGE_BINDING = 128 * 2 ** 20;

export interface DeviceLimits {
  engine: 'onnxruntime-node' | 'wasm' | 'webgpu';
  /** Memory the run may use (free RAM in Node, the heap limit in a worker); unchecked when absent. */
  memoryBytes?: number;
  /** WASM heap ceiling. @defaultValue WASM_MEMORY_BYTES */
  wasmMemoryBytes?: number;
  /** GPUAdapter.limits.maxBufferSize. @defaultValue WEBGPU_DEFAULT_MAX_BUFFER_SIZE */
  maxBufferSize?: number;
  /** GPUAdapter.limits.maxStorageBufferBindingSize. @defaultValue WEBGPU_DEFAULT_MAX_STORAGE_BINDING */
  maxStorageBufferBindingSize?: number;
}

export type FitProblemId = 'protobuf-over-limit' | 'export-needs-external-data' | 'wasm-memory' | 'tensor-over-max-buffer' | 'tensor-over-storage-binding' | 'activation-over-storage-binding' | 'device-memory';

export interface FitProblem {
  id: FitProblemId;
  /** `error`: the run cannot work as planned; `warning`: it may fail or swap. */
  severity: 'error' | 'warning';
  message: string;
  /** The size that does not fit, in bytes. */
  bytes: number;
  /** The limit it was checked against, in bytes. */
  limit: number;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Problems with running `memory` (from estimateMemory) on `device`; empty when everything fits. */
export function checkFit(dims: ModelDimensions, memory: MemoryEstimate, device: DeviceLimits): FitProblem[] {
  const problems: FitProblem[] = [];
  const add = (id: FitProblemId, severity: FitProblem['severity'], bytes: number, limit: number, message: string) => problems.push({ id, severity, bytes, limit, message });

  if (dims.protoBytes > MAX_PROTOBUF_BYTES) {
    add('protobuf-over-limit', 'error', dims.protoBytes, MAX_PROTOBUF_BYTES, `The .onnx file is ${gib(dims.protoBytes)}; no runtime parses a protobuf over 2 GiB. Re-export the model with its weights as external data.`);
  }
  if (dims.embeddedWeightBytes > MAX_PROTOBUF_BYTES) {
    add('export-needs-external-data', 'warning', dims.embeddedWeightBytes, MAX_PROTOBUF_BYTES, `The embedded weights are ${gib(dims.embeddedWeightBytes)}; export with weights as external data, or the pruned .onnx will not fit in one protobuf.`);
  }

  if (device.engine === 'wasm') {
    const limit = device.wasmMemoryBytes ?? WASM_MEMORY_BYTES;
    if (memory.peakBytes > limit) {
      add('wasm-memory', 'error', memory.peakBytes, limit, `Weights and one batch of activations need about ${gib(memory.peakBytes)}, more than the ${gib(limit)} WebAssembly memory. Use WebGPU, a smaller batch or the CLI.`);
    }
  }

  if (device.engine === 'webgpu') {
    const maxBuffer = device.maxBufferSize ?? WEBGPU_DEFAULT_MAX_BUFFER_SIZE;
    const maxBinding = device.maxStorageBufferBindingSize ?? WEBGPU_DEFAULT_MAX_STORAGE_BINDING;
    if (dims.largestTensorBytes > maxBuffer) {
      add('tensor-over-max-buffer', 'error', dims.largestTensorBytes, maxBuffer, `The largest weight is ${mib(dims.largestTensorBytes)}, over this GPU's ${mib(maxBuffer)} buffer limit. Use WASM or the CLI.`);
    } else if (dims.largestTensorBytes > maxBinding) {
      add('tensor-over-storage-binding', 'error', dims.largestTensorBytes, maxBinding, `The largest weight is ${mib(dims.largestTensorBytes)}, over this GPU's ${mib(maxBinding)} storage binding limit. Use WASM or the CLI.`);
    }
    if (memory.largestActivationBytes > maxBinding) {
      add('activation-over-storage-binding', 'error', memory.largestActivationBytes, maxBinding, `One batch produces a ${mib(memory.largestActivationBytes)} activation (logits or attention scores), over the ${mib(maxBinding)} storage binding limit. Lower the batch size or the sequence length.`);
    }
  }

  if (device.memoryBytes !== undefined && memory.peakBytes > device.memoryBytes) {
    add('device-memory', 'warning', memory.peakBytes, device.memoryBytes, `The run needs about ${gib(memory.peakBytes)} but ${gib(device.memoryBytes)} is available. Lower the batch size, or close other programs.`);
  }
  return problems;
}

/**
 * Finds the largest batch size up to `plan.batchSize` whose estimate has no problem on `device`
 * (the export warning aside), or 0 when even one window does not fit.
 */
export function largestFittingBatch(dims: ModelDimensions, plan: Pick<RunPlan, 'seqlen' | 'batchSize'>, device: DeviceLimits): number {
  const fits = (batchSize: number) =>
    checkFit(dims, estimateMemory(dims, { seqlen: plan.seqlen, batchSize }), device).every((problem) => problem.id === 'export-needs-external-data');
  if (!fits(1)) return 0;
  // Memory grows with the batch size, so the fitting sizes form a prefix of 1..batchSize.
  let low = 1;
  let high = plan.batchSize;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}
