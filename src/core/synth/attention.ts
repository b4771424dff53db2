/**
 * Causal self-attention of a LLaMA layer as ONNX nodes: q/k/v projections, rotary position
 * embedding (rotate-half form), an optional KV cache, grouped KV heads repeated by
 * Expand + Reshape (torch's repeat_interleave exports a graph onnxruntime rejects), the
 * causal and padding mask, and the output projection.
 */
import { DataType } from '../onnx/dtype';
import { type BlockContext, linear } from './blocks';
import type { LlamaShape } from './shapes';

/** Graph-wide tensors every attention layer reads. */
export interface AttentionInputs {
  /** cos and sin of the rotary angles, [batch, 1, sequence, headDim], in the model's element type. */
  cos: string;
  sin: string;
  /** Where attention is allowed, bool [batch, 1, sequence, totalSequence]. */
  allowed: string;
}

/** Names of a layer's KV-cache input and output tensors, when the model has a cache. */
export interface LayerCache {
  pastKey: string;
  pastValue: string;
  presentKey: string;
  presentValue: string;
}

/** float32's most negative finite value, the masked score (transformers uses finfo.min). */
const MASKED_SCORE = -3.4028234663852886e38;

/**
 * Rotary tables from position_ids: angles = position · inv_freq, duplicated to headDim
 * (the rotate-half layout of transformers' LlamaRotaryEmbedding), computed in float32.
 */
export function rotaryTables(ctx: BlockContext, shape: LlamaShape, positionIds: string): { cos: string; sin: string } {
  const { b, dataType } = ctx;
  const scope = '/model/rotary_emb';
  const half = shape.headDim / 2;
  const inverseFrequency = Array.from({ length: half }, (_, i) => 1 / shape.ropeTheta ** ((2 * i) / shape.headDim));
  const positions = b.op(scope, 'Cast', [b.op(scope, 'Unsqueeze', [positionIds, b.ints([2])])], { to: DataType.FLOAT }); // [B, T, 1]
  const angles = b.op(scope, 'Mul', [positions, b.floats(inverseFrequency, DataType.FLOAT, [half])]); // [B, T, D/2]
  const doubled = b.op(scope, 'Concat', [angles, angles], { axis: -1 }); // [B, T, D]
  const table = (op: 'Cos' | 'Sin') => {
    const values = b.op(scope, op, [doubled]);
    const cast = dataType === DataType.FLOAT ? values : b.op(scope, 'Cast', [values], { to: dataType });
    return b.op(scope, 'Unsqueeze', [cast, b.ints([1])]); // [B, 1, T, D]
  };
  return { cos: table('Cos'), sin: table('Sin') };
}

/**
 * allowed[b, 0, i, k] = (k ≤ past + i) ∧ attention_mask[b, k], where past is the number of
 * cached positions (attention_mask spans past and current tokens).
 */
export function attentionMask(ctx: BlockContext, inputIds: string, attentionMask: string): string {
  const { b } = ctx;
  const scope = '/model';
  const sequence = b.op(scope, 'Shape', [inputIds], { start: 1, end: 2 }); // [1]
  const total = b.op(scope, 'Shape', [attentionMask], { start: 1, end: 2 }); // [1]
  const past = b.op(scope, 'Sub', [total, sequence]);
  const scalar = (t: string) => b.op(scope, 'Squeeze', [t, b.ints([0])]);
  const one = b.ints([1], true);
  const keyPositions = b.op(scope, 'Range', [b.ints([0], true), scalar(total), one]); // [S]
  const queryPositions = b.op(scope, 'Range', [scalar(past), scalar(total), one]); // [T]
  const causal = b.op(scope, 'LessOrEqual', [b.op(scope, 'Unsqueeze', [keyPositions, b.ints([0])]), b.op(scope, 'Unsqueeze', [queryPositions, b.ints([1])])]); // [T, S]
  const padding = b.op(scope, 'Unsqueeze', [b.op(scope, 'Cast', [attentionMask], { to: DataType.BOOL }), b.ints([1, 2])]); // [B, 1, 1, S]
  return b.op(scope, 'And', [causal, padding]); // [B, 1, T, S]
}

/** x·cos + rotate_half(x)·sin, where rotate_half(x) = [−x₂, x₁] over the two halves of the last axis. */
function applyRotary(ctx: BlockContext, scope: string, x: string, headDim: number, tables: AttentionInputs): string {
  const { b } = ctx;
  const half = headDim / 2;
  const axis = b.ints([3]);
  const first = b.op(scope, 'Slice', [x, b.ints([0]), b.ints([half]), axis]);
  const second = b.op(scope, 'Slice', [x, b.ints([half]), b.ints([headDim]), axis]);
  const rotated = b.op(scope, 'Concat', [b.op(scope, 'Neg', [second]), first], { axis: -1 });
  return b.op(scope, 'Add', [b.op(scope, 'Mul', [x, tables.cos]), b.op(scope, 'Mul', [rotated, tables.sin])]);
}

/** Projects to heads: [B, T, hidden] → [B, heads, T, headDim]. */
function splitHeads(ctx: BlockContext, scope: string, x: string, heads: number, headDim: number): string {
  const { b } = ctx;
  const reshaped = b.op(scope, 'Reshape', [x, b.ints([0, 0, heads, headDim])]);
  return b.op(scope, 'Transpose', [reshaped], { perm: [0, 2, 1, 3] });
}

/** [B, kvHeads, S, D] → [B, heads, S, D], each KV head repeated for its group of query heads. */
function repeatKv(ctx: BlockContext, scope: string, x: string, shape: LlamaShape): string {
  const group = shape.heads / shape.kvHeads;
  if (group === 1) return x;
  const { b } = ctx;
  const unsqueezed = b.op(scope, 'Unsqueeze', [x, b.ints([2])]); // [B, kv, 1, S, D]
  const expanded = b.op(scope, 'Expand', [unsqueezed, b.ints([1, 1, group, 1, 1])]); // [B, kv, group, S, D]
  return b.op(scope, 'Reshape', [expanded, b.ints([0, shape.heads, -1, shape.headDim])]);
}

/** One attention block; returns its output [B, T, hidden] (before the residual Add). */
export function selfAttention(ctx: BlockContext, shape: LlamaShape, layer: number, input: string, tables: AttentionInputs, cache?: LayerCache): string {
  const { b, dataType } = ctx;
  const scope = `/model/layers.${layer}/self_attn`;
  const prefix = `model.layers.${layer}.self_attn`;
  const { hidden, heads, kvHeads, headDim } = shape;
  const q = splitHeads(ctx, scope, linear(ctx, `${prefix}.q_proj`, input, hidden, heads * headDim, { bias: shape.attentionBias }), heads, headDim);
  const k = splitHeads(ctx, scope, linear(ctx, `${prefix}.k_proj`, input, hidden, kvHeads * headDim, { bias: shape.attentionBias }), kvHeads, headDim);
  const v = splitHeads(ctx, scope, linear(ctx, `${prefix}.v_proj`, input, hidden, kvHeads * headDim, { bias: shape.attentionBias }), kvHeads, headDim);
  const qRotated = applyRotary(ctx, scope, q, headDim, tables);
  let keys = applyRotary(ctx, scope, k, headDim, tables);
  let values = v;
  if (cache) {
    // The cache holds rotated keys, as transformers' DynamicCache does.
    keys = b.op(scope, 'Concat', [cache.pastKey, keys], { axis: 2 }, cache.presentKey);
    values = b.op(scope, 'Concat', [cache.pastValue, values], { axis: 2 }, cache.presentValue);
  }
  const keysT = b.op(scope, 'Transpose', [repeatKv(ctx, scope, keys, shape)], { perm: [0, 1, 3, 2] }); // [B, H, D, S]
  const scores = b.op(scope, 'MatMul', [qRotated, keysT]); // [B, H, T, S]
  const scaled = b.op(scope, 'Mul', [scores, b.floats([1 / Math.sqrt(headDim)], dataType)]);
  // Masking and softmax run in float32, as transformers' eager attention does for float16.
  const scores32 = dataType === DataType.FLOAT ? scaled : b.op(scope, 'Cast', [scaled], { to: DataType.FLOAT });
  const masked = b.op(scope, 'Where', [tables.allowed, scores32, b.floats([MASKED_SCORE], DataType.FLOAT)]);
  const probs32 = b.op(scope, 'Softmax', [masked], { axis: -1 });
  const probs = dataType === DataType.FLOAT ? probs32 : b.op(scope, 'Cast', [probs32], { to: dataType });
  const context = b.op(scope, 'MatMul', [probs, repeatKv(ctx, scope, values, shape)]); // [B, H, T, D]
  const merged = b.op(scope, 'Reshape', [b.op(scope, 'Transpose', [context], { perm: [0, 2, 1, 3] }), b.ints([0, 0, heads * headDim])]);
  return linear(ctx, `${prefix}.o_proj`, merged, heads * headDim, hidden);
}
