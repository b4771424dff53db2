/**
 * Time a run will take: forward-pass FLOPs from the model shape, divided by a throughput
 * that is either measured on the first batch or guessed per engine.
 */
import type { ModelDimensions } from './dimensions';
import type { RunPlan } from './plan';

export type EngineKind = 'onnxruntime-node' | 'wasm' | 'webgpu';

/**
 * Guessed whole-model throughput per thread in FLOP/s. An estimate: about a third of the best
 * single-thread MatMul rates measured with onnxruntime 1.31 on a 2-core AVX-512 machine
 * (89 GFLOP/s native, 28 GFLOP/s WASM), because a decoder also runs small and memory-bound
 * ops. WebGPU depends on the adapter and is given for the whole device. Replace a guess with
 * measuredThroughput once the first batch has run.
 */
export const THROUGHPUT_GUESS: Record<EngineKind, number> = {
  'onnxruntime-node': 30e9,
  wasm: 9e9,
  webgpu: 100e9,
};

/**
 * Multiply-add FLOPs (2 per multiply-add) of one forward pass over a window of `seqlen`
 * tokens: every projection (attention, FFN, LM head; the embedding is a lookup) and the
 * attention products QKᵀ and AV.
 */
export function forwardFlops(dims: ModelDimensions, seqlen: number): number {
  const attentionWidth = dims.heads * dims.headDim;
  const kvWidth = dims.kvHeads * dims.headDim;
  const attentionParameters = dims.layers * dims.hidden * (2 * attentionWidth + 2 * kvWidth);
  const projectionParameters = attentionParameters + dims.ffnParameters + dims.vocab * dims.hidden;
  const attentionProducts = dims.layers * 2 * 2 * seqlen * seqlen * attentionWidth;
  return 2 * projectionParameters * seqlen + attentionProducts;
}

export interface TimeEstimate {
  /** FLOPs of all passes. */
  flops: number;
  /** FLOP/s the estimate assumes. */
  throughput: number;
  seconds: number;
}

/** Seconds for `plan.passes` passes over `plan.windows` windows at `throughput` FLOP/s. */
export function estimateTime(dims: ModelDimensions, plan: Pick<RunPlan, 'windows' | 'seqlen' | 'passes'>, throughput: number): TimeEstimate {
  const flops = forwardFlops(dims, plan.seqlen) * plan.windows * plan.passes;
  return { flops, throughput, seconds: flops / throughput };
}

/** Returns the guessed throughput of an engine with `threads` threads (WebGPU ignores threads). */
export function guessThroughput(engine: EngineKind, threads = 1): number {
  return engine === 'webgpu' ? THROUGHPUT_GUESS.webgpu : THROUGHPUT_GUESS[engine] * Math.max(1, threads);
}

/** FLOP/s observed when `windows` windows of `seqlen` tokens took `seconds`. */
export function measuredThroughput(dims: ModelDimensions, windows: number, seqlen: number, seconds: number): number {
  return (forwardFlops(dims, seqlen) * windows) / seconds;
}
