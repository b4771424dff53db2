import { clone, create } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProtoSchema, type ModelProto } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, test } from 'vitest';
import { DataType, bytesToFloat32, float32ToBytes, halfToFloat } from '../../src/core/onnx/dtype';
import { MemorySink } from '../../src/core/onnx/files';
import { makeInitializer, makeNode, makeValueInfo } from '../../src/core/onnx/graph';
import { type OnnxModel, readOnnxModel } from '../../src/core/onnx/model';
import { readFloat32, readTensorBytes, tensorElements } from '../../src/core/onnx/tensor';
import { writeOnnxModel } from '../../src/core/onnx/write';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';
import { maxAbsDiff } from '../helpers/assertClose';
import { fixtureDir, readReference } from '../helpers/fixtures';
import { buildModel, encodeModel, filesFromSink, openModel, sameBytes } from '../helpers/onnxGraph';

const reference = readReference('stories260K-llama');

/** float32 values rounded to the nearest float16, back in float32. */
function roundToHalf(values: Float32Array): Float32Array {
  return bytesToFloat32(float32ToBytes(values, DataType.FLOAT16), DataType.FLOAT16);
}

/**
 * Copies the model with its float32 initializers stored as float16 (`<name>.fp16`). A Cast
 * node at the start of the graph turns each back into float32 under its old name.
 */
async function float16WithCasts(source: OnnxModel): Promise<{ proto: ModelProto; halves: Map<string, Uint8Array> }> {
  const proto = clone(ModelProtoSchema, source.proto);
  const graph = proto.graph!;
  const halves = new Map<string, Uint8Array>();
  const casts = [];
  const initializers = [];
  for (const tensor of graph.initializer) {
    if (tensor.dataType !== DataType.FLOAT) {
      initializers.push(tensor);
      continue;
    }
    const bytes = float32ToBytes(await readFloat32(source, tensor), DataType.FLOAT16);
    halves.set(`${tensor.name}.fp16`, bytes);
    initializers.push(makeInitializer(`${tensor.name}.fp16`, DataType.FLOAT16, tensor.dims.map(Number), bytes));
    casts.push(makeNode('Cast', [`${tensor.name}.fp16`], [tensor.name], `cast/${tensor.name}`, { to: DataType.FLOAT }));
  }
  graph.initializer = initializers;
  graph.node = [...casts, ...graph.node];
  return { proto, halves };
}

/** Copies the model with every float32 initializer replaced by its float16-rounded value. */
async function roundedFloat32(source: OnnxModel): Promise<ModelProto> {
  const proto = clone(ModelProtoSchema, source.proto);
  for (const tensor of proto.graph!.initializer) {
    if (tensor.dataType !== DataType.FLOAT) continue;
    const rounded = roundToHalf(await readFloat32(source, tensor));
    tensor.rawData = new Uint8Array(rounded.buffer) as Uint8Array<ArrayBuffer>;
  }
  return proto;
}

async function promptLogits(bytes: Uint8Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const ids = reference.prompt_ids_with_bos;
    const tensor = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
    const out = await session.run({ input_ids: tensor(ids), attention_mask: tensor(ids.map(() => 1)), position_ids: tensor(ids.map((_, t) => t)) });
    return out.logits.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('float16 weights of stories260K', () => {
  let source: OnnxModel;
  let converted: Awaited<ReturnType<typeof float16WithCasts>>;

  beforeAll(async () => {
    source = await readOnnxModel(await nodeModelFiles(fixtureDir('stories260K-llama')));
    converted = await float16WithCasts(source);
  });

  test('float16 copy with Cast nodes runs like the float16-rounded float32 model', async () => {
    const half = await promptLogits(encodeModel(converted.proto));
    const rounded = await promptLogits(encodeModel(await roundedFloat32(source)));
    const original = await promptLogits(encodeModel(source.proto));
    expect(maxAbsDiff(half, rounded)).toBeLessThanOrEqual(1e-6);
    // Rounding the weights must change the logits a little, and only a little.
    const shift = maxAbsDiff(half, original);
    expect(shift).toBeGreaterThan(0);
    expect(shift).toBeLessThan(0.1);
  });

  test('writeOnnxModel(external) stores the float16 bytes unchanged', async () => {
    const sink = new MemorySink();
    const result = await writeOnnxModel(source, converted.proto, sink, converted.halves, { weights: 'external', chunkBytes: 100_000 });

    const back = await readOnnxModel(filesFromSink(sink));
    let externalBytes = 0;
    for (const tensor of back.proto.graph!.initializer) {
      const expected = converted.halves.get(tensor.name);
      if (!expected) continue;
      expect(tensor.dataType, tensor.name).toBe(DataType.FLOAT16);
      expect(sameBytes(await readTensorBytes(back, tensor), expected), tensor.name).toBe(true);
      if (expected.byteLength >= 1024) externalBytes += expected.byteLength;
    }
    const dataBytes = result.files.filter((f) => f.path !== 'onnx/model.onnx').reduce((sum, f) => sum + f.bytes, 0);
    expect(dataBytes).toBe(externalBytes);
  });

  test('readFloat32 decodes float16 initializers to the rounded values', async () => {
    const sink = new MemorySink();
    await writeOnnxModel(source, converted.proto, sink, converted.halves, { weights: 'external' });
    const back = await readOnnxModel(filesFromSink(sink));
    for (const name of ['model.embed_tokens.weight', 'model.norm.weight']) {
      const half = back.proto.graph!.initializer.find((t) => t.name === `${name}.fp16`)!;
      const original = source.proto.graph!.initializer.find((t) => t.name === name)!;
      const decoded = await readFloat32(back, half);
      expect(decoded.length).toBe(tensorElements(original));
      expect(maxAbsDiff(decoded, roundToHalf(await readFloat32(source, original)))).toBe(0);
    }
  });
});

describe('float16 in typed fields', () => {
  test('readTensorBytes reads float16 bit patterns from int32_data', async () => {
    const bits = [0x3c00, 0xc000, 0x0001, 0x7bff];
    const typed = create(TensorProtoSchema, { name: 'w', dataType: DataType.FLOAT16, dims: [4n], int32Data: bits });
    const proto = buildModel({
      nodes: [makeNode('Cast', ['w'], ['y'], 'cast', { to: DataType.FLOAT })],
      initializers: [typed],
      inputs: [],
      outputs: [makeValueInfo('y', DataType.FLOAT, [4])],
    });
    const model = await openModel(proto);
    const tensor = model.proto.graph!.initializer[0];

    expect(Array.from(await readTensorBytes(model, tensor))).toEqual([0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0xff, 0x7b]);
    expect(Array.from(await readFloat32(model, tensor))).toEqual(bits.map(halfToFloat));
  });

  test('readTensorBytes rejects an int32_data length that does not match the shape', async () => {
    const typed = create(TensorProtoSchema, { name: 'w', dataType: DataType.FLOAT16, dims: [4n], int32Data: [0x3c00] });
    const proto = buildModel({
      nodes: [makeNode('Cast', ['w'], ['y'], 'cast', { to: DataType.FLOAT })],
      initializers: [typed],
      inputs: [],
      outputs: [makeValueInfo('y', DataType.FLOAT, [4])],
    });
    const model = await openModel(proto);
    await expect(readTensorBytes(model, model.proto.graph!.initializer[0])).rejects.toMatchObject({ code: 'ONNX_PARSE_FAILED' });
  });
});
