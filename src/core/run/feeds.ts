/**
 * Builds model feeds for a batch of token windows: right-padded input_ids, attention_mask,
 * position_ids, an empty KV cache where the model has one, the statistics token weights,
 * next-token labels, and keep-masks/biases per layer.
 */
import type { ModelAnatomy } from '../anatomy/types';
import type { FeedTensor } from '../engine';
import { GpruneError } from '../errors';
import { DataType } from '../onnx/dtype';
import { LABELS, TOKEN_WEIGHT, biasInput, maskInput } from '../surgery/names';

/** Per-layer keep-masks (1 keeps, 0 removes; fractional values scale) and output biases. */
export interface LayerOverrides {
  masks?: (Float32Array | Uint8Array | null)[];
  biases?: (Float32Array | null)[];
}

/** KV-cache shape facts that graphs often leave symbolic, read from config.json. */
export interface KvShape {
  heads: number;
  headDim: number;
}

export interface BatchLayout {
  batch: number;
  sequence: number;
  /** Token ids [batch, sequence], right-padded. */
  ids: Int32Array;
  lengths: number[];
}

export function layoutBatch(windows: Int32Array[], padId = 0): BatchLayout {
  const batch = windows.length;
  const sequence = Math.max(...windows.map((w) => w.length));
  const ids = new Int32Array(batch * sequence).fill(padId);
  windows.forEach((w, b) => ids.set(w, b * sequence));
  return { batch, sequence, ids, lengths: windows.map((w) => w.length) };
}

/**
 * Feeds for the inputs the session declares. Positions past a window's length are padding:
 * attention_mask 0, statistics weight 0, label 0.
 */
export function buildFeeds(inputNames: readonly string[], anatomy: ModelAnatomy, layout: BatchLayout, overrides: LayerOverrides = {}, kv?: KvShape): Record<string, FeedTensor> {
  const { batch, sequence, ids, lengths } = layout;
  const want = new Set(inputNames);
  const feeds: Record<string, FeedTensor> = {};
  const size = batch * sequence;
  const int64 = (fill: (b: number, t: number) => number): FeedTensor => {
    const data = new BigInt64Array(size);
    for (let b = 0; b < batch; b++) for (let t = 0; t < sequence; t++) data[b * sequence + t] = BigInt(fill(b, t));
    return { type: 'int64', data, dims: [batch, sequence] };
  };
  const real = (b: number, t: number) => t < lengths[b];

  feeds[anatomy.inputs.inputIds!] = int64((b, t) => ids[b * sequence + t]);
  if (anatomy.inputs.attentionMask && want.has(anatomy.inputs.attentionMask)) feeds[anatomy.inputs.attentionMask] = int64((b, t) => (real(b, t) ? 1 : 0));
  if (anatomy.inputs.positionIds && want.has(anatomy.inputs.positionIds)) feeds[anatomy.inputs.positionIds] = int64((_b, t) => t);
  if (anatomy.inputs.useCacheBranch && want.has(anatomy.inputs.useCacheBranch)) feeds[anatomy.inputs.useCacheBranch] = { type: 'bool', data: new Uint8Array([0]), dims: [1] };
  for (const past of anatomy.inputs.past) {
    const heads = typeof past.dims[1] === 'number' ? past.dims[1] : kv?.heads;
    const headDim = typeof past.dims[3] === 'number' ? past.dims[3] : kv?.headDim;
    if (heads === undefined || headDim === undefined) {
      throw new GpruneError('MODEL_INPUT_UNSUPPORTED', `${past.name} has symbolic head dimensions and config.json gives no num_key_value_heads/head_dim. Add config.json beside the model.`);
    }
    // An empty cache: no past tokens, in the element type the graph declares.
    const half = past.elemType === DataType.FLOAT16;
    feeds[past.name] = { type: half ? 'float16' : 'float32', data: half ? new Uint16Array(0) : new Float32Array(0), dims: [batch, heads, 0, headDim] };
  }
  if (want.has(TOKEN_WEIGHT)) {
    const data = new Float32Array(size);
    for (let b = 0; b < batch; b++) for (let t = 0; t < lengths[b]; t++) data[b * sequence + t] = 1;
    feeds[TOKEN_WEIGHT] = { type: 'float32', data, dims: [batch, sequence] };
  }
  if (want.has(LABELS)) feeds[LABELS] = int64((b, t) => (t + 1 < lengths[b] ? ids[b * sequence + t + 1] : 0));
  for (const block of anatomy.ffn) {
    if (want.has(maskInput(block.layer))) {
      const given = overrides.masks?.[block.layer];
      const data = new Float32Array(block.width).fill(1);
      if (given) {
        if (given.length !== block.width) throw new GpruneError('INVALID_ARGUMENT', `Mask of layer ${block.layer} has ${given.length} entries; the layer has ${block.width} neurons.`);
        data.set(given);
      }
      feeds[maskInput(block.layer)] = { type: 'float32', data, dims: [block.width] };
    }
    if (want.has(biasInput(block.layer))) {
      const given = overrides.biases?.[block.layer];
      feeds[biasInput(block.layer)] = { type: 'float32', data: given ?? new Float32Array(block.hidden), dims: [block.hidden] };
    }
  }
  return feeds;
}
