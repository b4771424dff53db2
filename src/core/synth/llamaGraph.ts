/**
 * Assembles a LLaMA-shaped decoder graph in the Optimum / onnx-community layout: inputs
 * input_ids, attention_mask, position_ids (and past_key_values.N.key/value with a KV
 * cache), outputs logits (and present.N.key/value). Initializers are declared without
 * data; `WeightSpec`s say how to generate each.
 */
import { create } from '@bufbuild/protobuf';
import { GraphProtoSchema, ModelProtoSchema, OperatorSetIdProtoSchema, StringStringEntryProtoSchema, type ModelProto, type ValueInfoProto } from 'onnx-buf';
import { DataType } from '../onnx/dtype';
import { makeInitializer, makeValueInfo } from '../onnx/graph';
import { type AttentionInputs, type LayerCache, attentionMask, rotaryTables, selfAttention } from './attention';
import { type BlockContext, linear, rmsNorm, swigluMlp } from './blocks';
import { GraphBuilder, type WeightSpec } from './graphBuilder';
import type { LlamaShape } from './shapes';

/** Opset 17: Shape has start/end, ReduceMean still takes axes as an attribute. */
export const SYNTH_OPSET = 17;

export interface LlamaGraphOptions {
  kvCache: boolean;
  dataType: DataType.FLOAT | DataType.FLOAT16;
  /** Standard deviation of the random matrices and embeddings. */
  initStd: number;
}

export interface LlamaGraph {
  /** The model; each initializer has name, dims and type but no data yet. */
  proto: ModelProto;
  /** One entry per initializer, in the same order. */
  weights: WeightSpec[];
}

export function buildLlamaGraph(shape: LlamaShape, options: LlamaGraphOptions): LlamaGraph {
  const { dataType, kvCache } = options;
  const b = new GraphBuilder();
  const ctx: BlockContext = { b, dataType, hidden: shape.hidden, matrixInit: { kind: 'uniform', std: options.initStd } };
  const total = kvCache ? 'total_sequence_length' : 'sequence_length';
  const inputs: ValueInfoProto[] = [
    makeValueInfo('input_ids', DataType.INT64, ['batch_size', 'sequence_length']),
    makeValueInfo('attention_mask', DataType.INT64, ['batch_size', total]),
    makeValueInfo('position_ids', DataType.INT64, ['batch_size', 'sequence_length']),
  ];
  const outputs: ValueInfoProto[] = [makeValueInfo('logits', dataType, ['batch_size', 'sequence_length', shape.vocab])];

  const embedding = b.weight('model.embed_tokens.weight', [shape.vocab, shape.hidden], dataType, ctx.matrixInit);
  let hidden = b.op('/model/embed_tokens', 'Gather', [embedding, 'input_ids']);
  const tables: AttentionInputs = { ...rotaryTables(ctx, shape, 'position_ids'), allowed: attentionMask(ctx, 'input_ids', 'attention_mask') };

  for (let layer = 0; layer < shape.layers; layer++) {
    let cache: LayerCache | undefined;
    if (kvCache) {
      cache = { pastKey: `past_key_values.${layer}.key`, pastValue: `past_key_values.${layer}.value`, presentKey: `present.${layer}.key`, presentValue: `present.${layer}.value` };
      for (const name of [cache.pastKey, cache.pastValue]) inputs.push(makeValueInfo(name, dataType, ['batch_size', shape.kvHeads, 'past_sequence_length', shape.headDim]));
      for (const name of [cache.presentKey, cache.presentValue]) outputs.push(makeValueInfo(name, dataType, ['batch_size', shape.kvHeads, 'total_sequence_length', shape.headDim]));
    }
    const scope = `/model/layers.${layer}`;
    const normed = rmsNorm(ctx, `${scope}/input_layernorm`, hidden, `model.layers.${layer}.input_layernorm.weight`, shape.rmsEps);
    hidden = b.op(scope, 'Add', [hidden, selfAttention(ctx, shape, layer, normed, tables, cache)]);
    const normed2 = rmsNorm(ctx, `${scope}/post_attention_layernorm`, hidden, `model.layers.${layer}.post_attention_layernorm.weight`, shape.rmsEps);
    hidden = b.op(scope, 'Add', [hidden, swigluMlp(ctx, layer, normed2, shape.intermediate)]);
  }

  const final = rmsNorm(ctx, '/model/norm', hidden, 'model.norm.weight', shape.rmsEps);
  if (shape.tiedEmbeddings) {
    const transposed = b.op('/lm_head', 'Transpose', [embedding], { perm: [1, 0] });
    b.op('/lm_head', 'MatMul', [final, transposed], {}, 'logits');
  } else {
    linear(ctx, 'lm_head', final, shape.hidden, shape.vocab, { output: 'logits' });
  }

  const proto = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'gprune-synth',
    producerVersion: '1',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(SYNTH_OPSET) })],
    metadataProps: [create(StringStringEntryProtoSchema, { key: 'gprune_synth_shape', value: shape.name })],
    graph: create(GraphProtoSchema, {
      name: `${shape.name}-synthetic`,
      node: b.nodes,
      input: inputs,
      output: outputs,
      initializer: b.weights.map((w) => makeInitializer(w.name, w.dataType, w.dims, new Uint8Array(0))),
    }),
  });
  return { proto, weights: b.weights };
}
