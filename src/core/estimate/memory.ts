/**
 * Memory a run will need: the runtime's copy of the weights, the activations of one batch,
 * the key/value cache the graph outputs, and the largest single buffer.
 */
import { windowActivationBytes } from '../run/batchSize';
import type { ModelDimensions } from './dimensions';
import type { RunPlan } from './plan';

export interface MemoryEstimate {
  /** Weights as the runtime keeps them (one copy of the initializer data). */
  weightBytes: number;
  /** Peak activations of one batch (see windowActivationBytes). */
  activationBytes: number;
  /** The present.* key/value outputs of one batch: 2 · layers · kvHeads · headDim · tokens values. */
  kvCacheBytes: number;
  /** The largest single activation buffer: the float32 logits or one layer's attention scores. */
  largestActivationBytes: number;
  /** weightBytes + activationBytes + kvCacheBytes. */
  peakBytes: number;
}

/** Activation, KV and buffer sizes of one batch of `batchSize` windows of `seqlen` tokens. */
function batchBytes(dims: ModelDimensions, seqlen: number, batchSize: number) {
  const perWindow = windowActivationBytes({
    sequence: seqlen,
    hidden: dims.hidden,
    ffnWidth: Math.max(0, ...dims.ffnWidths),
    vocab: dims.vocab,
    heads: dims.heads,
    elementBytes: dims.elementBytes,
  });
  const logits = batchSize * seqlen * dims.vocab * 4;
  const scores = batchSize * dims.heads * seqlen * seqlen * 4;
  return {
    activationBytes: perWindow * batchSize,
    kvCacheBytes: 2 * dims.layers * dims.kvHeads * dims.headDim * seqlen * batchSize * dims.elementBytes,
    largestActivationBytes: Math.max(logits, scores),
  };
}

export function estimateMemory(dims: ModelDimensions, plan: Pick<RunPlan, 'seqlen' | 'batchSize'>): MemoryEstimate {
  const batch = batchBytes(dims, plan.seqlen, plan.batchSize);
  return { weightBytes: dims.weightBytes, ...batch, peakBytes: dims.weightBytes + batch.activationBytes + batch.kvCacheBytes };
}
