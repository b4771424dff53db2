/**
 * Batch sizes chosen from a memory budget: how many token windows one onnxruntime run may
 * take so that its activations fit in the budget. The caller supplies the budget (the CLI
 * from os.freemem(), a worker from its heap limit), because the core cannot query memory.
 */
import { GpruneError } from '../errors';
import { elementSize } from '../onnx/dtype';
import type { LoadedModel } from './loaded';

/** Shape facts that set the activation memory of one window. */
export interface BatchMemoryFacts {
  /** Tokens per window. */
  sequence: number;
  hidden: number;
  /** FFN neurons of the widest layer. */
  ffnWidth: number;
  vocab: number;
  /** Attention heads. Each head has a sequence × sequence score matrix. */
  heads: number;
  /** Bytes per activation element: 4 for float32, 2 for float16. */
  elementBytes: number;
}

export interface BatchSizeLimits {
  /** Largest batch returned. @defaultValue 64 */
  max: number;
  /**
   * Maximum tokens in one run (windows × sequence). Larger runs use more memory for no more
   * tokens/s once the matrix products have a few hundred rows.
   * NOTE: measured on a 2-core CPU only (bench/profile-memory.ts, SmolLM2-360M shape, three
   * runs under varying load): 16 × 128 tokens per run was the slowest every time (43–116
   * tokens/s), while 4 × 128 gave 55–201 and 1 × 128 gave 32–241.
   * @defaultValue 512
   */
  maxTokens: number;
  /** Windows available; the batch never exceeds it. */
  windows?: number;
}

/**
 * Estimated peak activation bytes of one window in one forward pass. onnxruntime reuses
 * buffers from layer to layer, so the peak is one layer's tensors plus the logits:
 *  - logits and their log-softmax (the NLL output): 2 · vocab floats per token, in float32;
 *  - the FFN: gate, sigmoid, SiLU, up, their product and its masked copy, plus the
 *    statistics features (x², |x|, the active flag): about 12 · width per token;
 *  - residual stream, norms, q/k/v and attention output: 10 · hidden per token;
 *  - scores, masked scores and softmax: 3 · heads · sequence² float32 values.
 * NOTE: an estimate from the graph structure, not a measurement of onnxruntime's arena.
 * On the SmolLM2-360M shape, bench/profile-memory.ts measured peak RSS growing by 70–71 MiB
 * per window against 71 MiB estimated, on top of a fixed 160–250 MiB per process.
 */
export function windowActivationBytes(facts: BatchMemoryFacts): number {
  const { sequence, hidden, ffnWidth, vocab, heads, elementBytes } = facts;
  const perToken = 2 * vocab * 4 + (12 * ffnWidth + 10 * hidden) * elementBytes;
  return sequence * perToken + 3 * heads * sequence * sequence * 4;
}

/** Returns the largest batch whose estimated activations fit in `budgetBytes` within `limits`, and at least 1. */
export function chooseBatchSize(facts: BatchMemoryFacts, budgetBytes: number, limits: Partial<BatchSizeLimits> = {}): number {
  const { max = 64, maxTokens = 512, windows } = limits;
  if (!Number.isFinite(budgetBytes) || budgetBytes < 0) {
    throw new GpruneError('INVALID_ARGUMENT', `chooseBatchSize: memory budget ${budgetBytes} is invalid; give a number of bytes ≥ 0.`);
  }
  if (!Number.isInteger(max) || max < 1) throw new GpruneError('INVALID_ARGUMENT', `chooseBatchSize: max ${max} is invalid; give an integer ≥ 1.`);
  const fit = Math.floor(budgetBytes / windowActivationBytes(facts));
  return Math.max(1, Math.min(fit, max, Math.floor(maxTokens / facts.sequence), windows ?? max));
}

/** Budget used for `batchSize: 'auto'` when the caller gives none: 1 GiB. */
export const DEFAULT_MEMORY_BUDGET = 2 ** 30;

/** Shape facts of a loaded model for windows of `sequence` tokens. */
export function batchMemoryFacts(loaded: LoadedModel, sequence: number): BatchMemoryFacts {
  const { anatomy, config } = loaded;
  const hidden = anatomy.ffn[0]?.hidden ?? Number(config?.hidden_size ?? 0);
  const heads = Number(config?.num_attention_heads ?? Math.max(1, Math.round(hidden / 64)));
  return {
    sequence,
    hidden,
    ffnWidth: Math.max(...anatomy.ffn.map((b) => b.width)),
    vocab: anatomy.vocabSize ?? Number(config?.vocab_size ?? 32000),
    heads,
    elementBytes: Math.max(...anatomy.ffn.map((b) => elementSize(b.activationType) ?? 4)),
  };
}

/**
 * Returns a fixed batch size unchanged, or for `'auto'` the largest batch of the longest
 * window that fits in `memoryBudget` bytes (default DEFAULT_MEMORY_BUDGET).
 */
export function resolveBatchSize(batchSize: number | 'auto', loaded: LoadedModel, windows: Int32Array[], memoryBudget = DEFAULT_MEMORY_BUDGET): number {
  if (batchSize !== 'auto') {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new GpruneError('INVALID_ARGUMENT', `Batch size ${batchSize} is invalid; give an integer ≥ 1 or 'auto'.`);
    return batchSize;
  }
  const sequence = windows.reduce((m, w) => Math.max(m, w.length), 1);
  return chooseBatchSize(batchMemoryFacts(loaded, sequence), memoryBudget, { windows: Math.max(1, windows.length) });
}
