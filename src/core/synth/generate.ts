/**
 * Generated LLaMA-shaped models: in memory with embedded weights (small shapes, tests) or
 * streamed to a FileSink as an onnx-community folder with external data (any size).
 */
import { toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { GpruneError } from '../errors';
import { DataType } from '../onnx/dtype';
import { type FileSink, type ModelFiles, memoryFiles, memorySource } from '../onnx/files';
import { MAX_PROTOBUF_BYTES, type OnnxModel } from '../onnx/model';
import { type WriteOptions, type WriteResult, writeOnnxModel } from '../onnx/write';
import { BYTE_TOKENIZER_SIZE, byteTokenizerConfigJson, byteTokenizerJson, llamaConfigJson } from './folderFiles';
import { type LlamaGraph, buildLlamaGraph } from './llamaGraph';
import { type LlamaShape, countParameters, validateShape } from './shapes';
import { GeneratedTensors, generateWeightBytes } from './weights';

export interface LlamaModelOptions {
  /** Seed of the random weights. @defaultValue 0 */
  seed: number;
  /** Add past_key_values.N.* inputs and present.N.* outputs. @defaultValue false */
  kvCache: boolean;
  /** Element type of weights, activations, logits and the KV cache. @defaultValue 'float32' */
  dataType: 'float32' | 'float16';
  /** Weight content; only seeded random weights exist. @defaultValue 'random' */
  weights: 'random';
  /** Standard deviation of matrices and embeddings (norm weights are 1). @defaultValue 0.02, transformers' initializer_range */
  initStd: number;
}

export const DEFAULT_LLAMA_MODEL_OPTIONS: Readonly<LlamaModelOptions> = Object.freeze({ seed: 0, kvCache: false, dataType: 'float32', weights: 'random', initStd: 0.02 });

/** Path of the model inside a generated folder (the onnx-community layout). */
export const GENERATED_MODEL_PATH = 'onnx/model.onnx';

export function resolveLlamaModelOptions(options: Partial<LlamaModelOptions> = {}): LlamaModelOptions {
  const resolved = { ...DEFAULT_LLAMA_MODEL_OPTIONS, ...options };
  const fail = (field: keyof LlamaModelOptions, expected: string) => {
    throw new GpruneError('INVALID_CONFIG', `Model option ${field} ${JSON.stringify(resolved[field])} is invalid: expected ${expected}.`);
  };
  if (!Number.isSafeInteger(resolved.seed) || resolved.seed < 0) fail('seed', 'a non-negative integer');
  if (typeof resolved.kvCache !== 'boolean') fail('kvCache', 'true or false');
  if (resolved.dataType !== 'float32' && resolved.dataType !== 'float16') fail('dataType', "'float32' or 'float16'");
  if (resolved.weights !== 'random') fail('weights', "'random'");
  if (!Number.isFinite(resolved.initStd) || resolved.initStd <= 0) fail('initStd', 'a number > 0');
  return resolved;
}

/** The graph of a model plus the facts its folder files need. */
export function planLlamaModel(shape: LlamaShape, options: Partial<LlamaModelOptions> = {}): LlamaGraph & { options: LlamaModelOptions } {
  validateShape(shape);
  const resolved = resolveLlamaModelOptions(options);
  const dataType = resolved.dataType === 'float16' ? DataType.FLOAT16 : DataType.FLOAT;
  return { ...buildLlamaGraph(shape, { kvCache: resolved.kvCache, dataType, initStd: resolved.initStd }), options: resolved };
}

/** Bytes of all weights of the model (what external data files hold). */
export function weightBytes(shape: LlamaShape, dataType: LlamaModelOptions['dataType'] = 'float32'): number {
  return countParameters(shape) * (dataType === 'float16' ? 2 : 4);
}

/**
 * Builds the model with every weight embedded. Raises ONNX_TOO_LARGE for shapes whose
 * weights exceed the 2 GiB protobuf limit; write those with `writeLlamaModel`.
 */
export function buildLlamaModel(shape: LlamaShape, options: Partial<LlamaModelOptions> = {}): ModelProto {
  const bytes = weightBytes(shape, options.dataType);
  if (bytes > MAX_PROTOBUF_BYTES) {
    throw new GpruneError('ONNX_TOO_LARGE', `Shape ${shape.name} has ${bytes} bytes of weights, over the 2 GiB protobuf limit for embedded weights. Use writeLlamaModel, which writes external data.`);
  }
  const plan = planLlamaModel(shape, options);
  plan.proto.graph!.initializer.forEach((tensor, i) => {
    tensor.rawData = generateWeightBytes(plan.weights[i], plan.options.seed) as Uint8Array<ArrayBuffer>;
  });
  return plan.proto;
}

/** Small files of a generated folder: config.json, and the byte-level tokenizer when the vocabulary holds it. */
export function llamaFolderFiles(shape: LlamaShape, options: LlamaModelOptions): { path: string; text: string }[] {
  const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  const files = [{ path: 'config.json', text: json(llamaConfigJson(shape, options)) }];
  if (shape.vocab >= BYTE_TOKENIZER_SIZE) {
    files.push({ path: 'tokenizer.json', text: json(byteTokenizerJson()) });
    files.push({ path: 'tokenizer_config.json', text: json(byteTokenizerConfigJson(shape.maxPositions)) });
  }
  return files;
}

/** An in-memory model folder (embedded weights), for tests and small shapes. */
export function llamaModelFiles(shape: LlamaShape, options: Partial<LlamaModelOptions> = {}): ModelFiles {
  const resolved = resolveLlamaModelOptions(options);
  const encoder = new TextEncoder();
  const sources = llamaFolderFiles(shape, resolved).map((f) => memorySource(f.path, encoder.encode(f.text)));
  sources.push(memorySource(GENERATED_MODEL_PATH, toBinary(ModelProtoSchema, buildLlamaModel(shape, resolved))));
  return memoryFiles(`generated ${shape.name}`, sources);
}

export interface GeneratedModelResult extends WriteResult {
  parameters: number;
}

/**
 * Streams a generated model folder into `sink`: config.json and tokenizer files, then every
 * weight into external data (`onnx/model.onnx_data`, split into 2 GiB chunks by default),
 * generated tensor by tensor, then `onnx/model.onnx`. Peak memory is about the largest
 * tensor (twice that for float16), whatever the model size. Finishes the sink.
 */
export async function writeLlamaModel(shape: LlamaShape, options: Partial<LlamaModelOptions>, sink: FileSink, writeOptions: Partial<Pick<WriteOptions, 'chunkBytes'>> = {}): Promise<GeneratedModelResult> {
  const plan = planLlamaModel(shape, options);
  const encoder = new TextEncoder();
  const written: WriteResult['files'] = [];
  try {
    for (const file of llamaFolderFiles(shape, plan.options)) {
      const bytes = encoder.encode(file.text);
      await sink.write(file.path, bytes);
      written.push({ path: file.path, bytes: bytes.byteLength });
    }
  } catch (error) {
    await sink.abort?.();
    throw error;
  }
  // writeOnnxModel reads nothing from `source` here: every initializer comes from the generated map.
  const source: OnnxModel = { proto: plan.proto, path: GENERATED_MODEL_PATH, files: memoryFiles(`generated ${shape.name}`, []), protoBytes: 0 };
  const tensors = new GeneratedTensors(plan.weights, plan.options.seed);
  const chunking = writeOptions.chunkBytes === undefined ? {} : { chunkBytes: writeOptions.chunkBytes };
  const result = await writeOnnxModel(source, plan.proto, sink, tensors, { weights: 'external', sizeThreshold: 0, ...chunking });
  return { files: [...written, ...result.files], weightBytes: result.weightBytes, parameters: countParameters(shape) };
}
