/**
 * A tiny ONNX graph builder for tests: models assembled from nodes and seeded random
 * initializers, opened through the same in-memory files the core reads.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { GraphProtoSchema, ModelProtoSchema, OperatorSetIdProtoSchema, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from 'onnx-buf';
import { DataType, float32ToBytes } from '../../src/core/onnx/dtype';
import { type ByteSource, type MemorySink, type ModelFiles, memoryFiles, memorySource } from '../../src/core/onnx/files';
import { makeInitializer, makeNode, makeValueInfo } from '../../src/core/onnx/graph';
import { type OnnxModel, readOnnxModel } from '../../src/core/onnx/model';

export interface GraphSpec {
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  /** Default-domain opset. @defaultValue 17 */
  opset?: number;
  /** @defaultValue 8 */
  irVersion?: number;
}

export function buildModel(spec: GraphSpec): ModelProto {
  return create(ModelProtoSchema, {
    irVersion: BigInt(spec.irVersion ?? 8),
    producerName: 'gprune-tests',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(spec.opset ?? 17) })],
    graph: create(GraphProtoSchema, {
      name: 'test',
      node: spec.nodes,
      initializer: spec.initializers,
      input: spec.inputs,
      output: spec.outputs,
    }),
  });
}

export function encodeModel(proto: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, proto);
}

/** Parses a model from memory, as `path` inside a folder that also contains `extraFiles`. */
export async function openModel(model: ModelProto | Uint8Array, extraFiles: ByteSource[] = [], path = 'model.onnx'): Promise<OnnxModel> {
  const bytes = model instanceof Uint8Array ? model : encodeModel(model);
  return readOnnxModel(memoryFiles('test', [memorySource(path, bytes), ...extraFiles]), path);
}

/** A seeded uniform generator in [0, 1) (mulberry32), so test data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [−scale, scale). */
export function randomValues(count: number, next: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: count }, () => (2 * next() - 1) * scale);
}

/** Builds a float initializer (float32, float16 or bfloat16) from float values. */
export function floatInitializer(name: string, dims: number[], values: ArrayLike<number>, dataType: DataType = DataType.FLOAT): TensorProto {
  return makeInitializer(name, dataType, dims, float32ToBytes(values, dataType));
}

export interface MlpDecoderOptions {
  vocab: number;
  hidden: number;
  /** FFN neurons per layer. */
  width: number;
  layers: number;
  /** `gelu-op`: the opset-20 Gelu node; `gelu-erf`: x·0.5·(1 + erf(x/√2)) as torch exports it; `relu`. */
  activation: 'gelu-op' | 'gelu-erf' | 'relu';
  /** Element type of weights and activations. @defaultValue FLOAT */
  dataType?: DataType;
  seed?: number;
  /** Adds a biased up projection multiplied into the activation (a gated FFN with biases, like LLaMA's mlp_bias). @defaultValue false */
  gated?: boolean;
}

/**
 * Builds a decoder-shaped graph without attention: token embedding, then per layer a scaled copy
 * of the residual stream (standing in for a norm) → fc1 (+ bias) → activation → fc2
 * (+ bias) → residual Add, and a language-model head. Inputs: input_ids [batch, sequence];
 * output: logits [batch, sequence, vocab].
 */
export function buildMlpDecoder(options: MlpDecoderOptions): ModelProto {
  const { vocab, hidden, width, layers, activation, dataType = DataType.FLOAT, seed = 1, gated = false } = options;
  const next = seededRandom(seed);
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const weight = (name: string, dims: number[], scale: number) => {
    initializers.push(floatInitializer(name, dims, randomValues(dims.reduce((a, b) => a * b, 1), next, scale), dataType));
    return name;
  };
  const scalar = (name: string, value: number) => {
    initializers.push(floatInitializer(name, [], [value], dataType));
    return name;
  };

  nodes.push(makeNode('Gather', [weight('embed', [vocab, hidden], 1), 'input_ids'], ['h0'], 'embed/Gather'));
  let residual = 'h0';
  for (let l = 0; l < layers; l++) {
    const p = `layers.${l}`;
    nodes.push(makeNode('Mul', [residual, weight(`${p}.norm`, [hidden], 1)], [`${p}/norm`], `${p}/norm/Mul`));
    nodes.push(makeNode('MatMul', [`${p}/norm`, weight(`${p}.fc1.weight`, [hidden, width], 0.5)], [`${p}/fc1`], `${p}/fc1/MatMul`));
    nodes.push(makeNode('Add', [`${p}/fc1`, weight(`${p}.fc1.bias`, [width], 0.5)], [`${p}/fc1_bias`], `${p}/fc1/Add`));
    const x = `${p}/fc1_bias`;
    let act: string;
    if (activation === 'gelu-op') {
      nodes.push(makeNode('Gelu', [x], [`${p}/act`], `${p}/act/Gelu`));
      act = `${p}/act`;
    } else if (activation === 'relu') {
      nodes.push(makeNode('Relu', [x], [`${p}/act`], `${p}/act/Relu`));
      act = `${p}/act`;
    } else {
      nodes.push(makeNode('Div', [x, scalar(`${p}.sqrt2`, Math.SQRT2)], [`${p}/act/div`], `${p}/act/Div`));
      nodes.push(makeNode('Erf', [`${p}/act/div`], [`${p}/act/erf`], `${p}/act/Erf`));
      nodes.push(makeNode('Add', [`${p}/act/erf`, scalar(`${p}.one`, 1)], [`${p}/act/add`], `${p}/act/Add`));
      nodes.push(makeNode('Mul', [x, `${p}/act/add`], [`${p}/act/mul`], `${p}/act/Mul`));
      nodes.push(makeNode('Mul', [`${p}/act/mul`, scalar(`${p}.half`, 0.5)], [`${p}/act`], `${p}/act/Mul_1`));
      act = `${p}/act`;
    }
    if (gated) {
      nodes.push(makeNode('MatMul', [`${p}/norm`, weight(`${p}.up.weight`, [hidden, width], 0.5)], [`${p}/up`], `${p}/up/MatMul`));
      nodes.push(makeNode('Add', [`${p}/up`, weight(`${p}.up.bias`, [width], 0.5)], [`${p}/up_bias`], `${p}/up/Add`));
      nodes.push(makeNode('Mul', [act, `${p}/up_bias`], [`${p}/gated`], `${p}/gated/Mul`));
      act = `${p}/gated`;
    }
    nodes.push(makeNode('MatMul', [act, weight(`${p}.fc2.weight`, [width, hidden], 0.5)], [`${p}/fc2`], `${p}/fc2/MatMul`));
    nodes.push(makeNode('Add', [`${p}/fc2`, weight(`${p}.fc2.bias`, [hidden], 0.5)], [`${p}/fc2_bias`], `${p}/fc2/Add`));
    nodes.push(makeNode('Add', [residual, `${p}/fc2_bias`], [`${p}/out`], `${p}/residual/Add`));
    residual = `${p}/out`;
  }
  nodes.push(makeNode('MatMul', [residual, weight('lm_head', [hidden, vocab], 0.5)], ['logits'], 'lm_head/MatMul'));

  return buildModel({
    nodes,
    initializers,
    inputs: [makeValueInfo('input_ids', DataType.INT64, ['batch_size', 'sequence_length'])],
    outputs: [makeValueInfo('logits', dataType, ['batch_size', 'sequence_length', vocab])],
    opset: activation === 'gelu-op' ? 20 : 17,
  });
}

/** Returns the files a MemorySink received as a model folder the reader can open. */
export function filesFromSink(sink: MemorySink, label = 'written'): ModelFiles {
  return memoryFiles(label, [...sink.files.keys()].map((path) => memorySource(path, sink.bytes(path))));
}

/** Byte-wise equality without element-by-element matcher output. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
