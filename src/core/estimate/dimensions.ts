/**
 * The sizes of a loaded model that memory and time estimates need, read from the graph
 * anatomy, its initializers and config.json.
 */
import { elementSize } from '../onnx/dtype';
import { tensorElements } from '../onnx/tensor';
import type { LoadedModel } from '../run/loaded';

export interface ModelDimensions {
  /** Decoder layers (FFN blocks found). */
  layers: number;
  /** Model (hidden) dimension. */
  hidden: number;
  /** FFN neurons of each layer. */
  ffnWidths: number[];
  vocab: number;
  /** Attention heads, or hidden / 64 when config.json does not set them. */
  heads: number;
  /** Key/value heads (fewer than `heads` with grouped-query attention). */
  kvHeads: number;
  headDim: number;
  /** Bytes per activation element (4 for float32, 2 for float16). */
  elementBytes: number;
  /** Parameters in float initializers. */
  parameters: number;
  /** Parameters in FFN blocks. */
  ffnParameters: number;
  /** Bytes of all initializer data. */
  weightBytes: number;
  /** Bytes of the largest initializer. */
  largestTensorBytes: number;
  /** Size of the .onnx protobuf file in bytes (the weights it embeds included). */
  protoBytes: number;
  /** Bytes of initializer data embedded in the protobuf rather than in external files. */
  embeddedWeightBytes: number;
}

export function modelDimensions(loaded: Pick<LoadedModel, 'model' | 'anatomy' | 'config'>): ModelDimensions {
  const { model, anatomy, config } = loaded;
  const hidden = anatomy.ffn[0]?.hidden ?? Number(config?.hidden_size ?? 0);
  const configNumber = (key: string) => {
    const value = Number(config?.[key]);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  // NOTE: without config.json the head count is a guess (64-wide heads, common to LLaMA-family models).
  const heads = configNumber('num_attention_heads') ?? Math.max(1, Math.round(hidden / 64));
  const headDim = configNumber('head_dim') ?? hidden / heads;
  let weightBytes = 0;
  let largestTensorBytes = 0;
  let embeddedWeightBytes = 0;
  for (const tensor of model.proto.graph!.initializer) {
    const bytes = tensorElements(tensor) * (elementSize(tensor.dataType) ?? 0);
    weightBytes += bytes;
    largestTensorBytes = Math.max(largestTensorBytes, bytes);
    if (tensor.externalData.length === 0) embeddedWeightBytes += bytes;
  }
  return {
    layers: anatomy.ffn.length,
    hidden,
    ffnWidths: anatomy.ffn.map((b) => b.width),
    vocab: anatomy.vocabSize ?? configNumber('vocab_size') ?? 32000,
    heads,
    kvHeads: configNumber('num_key_value_heads') ?? heads,
    headDim,
    elementBytes: anatomy.ffn.length > 0 && anatomy.ffn.every((b) => elementSize(b.activationType) === 2) ? 2 : 4,
    parameters: anatomy.totalParameters,
    ffnParameters: anatomy.ffnParameters,
    weightBytes,
    largestTensorBytes,
    protoBytes: model.protoBytes,
    embeddedWeightBytes,
  };
}
