import { stat } from 'node:fs/promises';
import path from 'node:path';
import { clone, create, equals, fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, StringStringEntryProtoSchema, TensorProto_DataLocation } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemorySink } from '../../src/core/onnx/files';
import { type OnnxModel, readOnnxModel } from '../../src/core/onnx/model';
import { readTensorBytes, tensorByteLength } from '../../src/core/onnx/tensor';
import { DEFAULT_WRITE_OPTIONS, writeOnnxModel } from '../../src/core/onnx/write';
import { nodeFolderSink, nodeModelFiles } from '../../src/runtime/nodeFiles';
import { assertClose, maxAbsDiff } from '../helpers/assertClose';
import { fixtureDir, makeTempDir, readReference } from '../helpers/fixtures';
import { buildMlpDecoder, encodeModel, filesFromSink, openModel, sameBytes } from '../helpers/onnxGraph';

const reference = readReference('stories260K-llama');

/** Runs a model file with onnxruntime-node on the reference prompt and returns its logits. */
async function promptLogits(modelFile: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(modelFile, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const ids = reference.prompt_ids_with_bos;
    const tensor = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
    const out = await session.run({
      input_ids: tensor(ids),
      attention_mask: tensor(ids.map(() => 1)),
      position_ids: tensor(ids.map((_, t) => t)),
    });
    return out.logits.data as Float32Array;
  } finally {
    await session.release();
  }
}

async function expectSameTensorData(actual: OnnxModel, expected: OnnxModel): Promise<void> {
  const byName = new Map(actual.proto.graph!.initializer.map((t) => [t.name, t]));
  for (const tensor of expected.proto.graph!.initializer) {
    const other = byName.get(tensor.name);
    expect(other, tensor.name).toBeDefined();
    const same = sameBytes(await readTensorBytes(actual, other!), await readTensorBytes(expected, tensor));
    expect(same, `bytes of ${tensor.name}`).toBe(true);
  }
}

describe('writeOnnxModel', () => {
  let source: OnnxModel;

  beforeAll(async () => {
    source = await readOnnxModel(await nodeModelFiles(fixtureDir('stories260K-llama')));
  });

  test('writeOnnxModel(keep) round-trips to an equal ModelProto', async () => {
    const sink = new MemorySink();
    const result = await writeOnnxModel(source, source.proto, sink);

    expect(result.files.map((f) => f.path)).toEqual(['onnx/model.onnx']);
    const back = await readOnnxModel(filesFromSink(sink));
    expect(back.path).toBe('onnx/model.onnx');
    expect(equals(ModelProtoSchema, back.proto, source.proto)).toBe(true);
    await expectSameTensorData(back, source);
  });

  test('writeOnnxModel result counts every weight byte', async () => {
    const sink = new MemorySink();
    const result = await writeOnnxModel(source, source.proto, sink);
    const expected = source.proto.graph!.initializer.reduce((sum, t) => sum + tensorByteLength(t), 0);
    expect(result.weightBytes).toBe(expected);
    expect(result.files[0].bytes).toBe(sink.bytes('onnx/model.onnx').byteLength);
  });

  test('writeOnnxModel keeps NodeProto.metadata_props', async () => {
    const proto = clone(ModelProtoSchema, source.proto);
    const entry = create(StringStringEntryProtoSchema, { key: 'gprune.test', value: 'kept' });
    proto.graph!.node[3].metadataProps.push(entry);
    const sink = new MemorySink();
    await writeOnnxModel(source, proto, sink);

    const back = await readOnnxModel(filesFromSink(sink));
    const props = back.proto.graph!.node[3].metadataProps.map((p) => [p.key, p.value]);
    expect(props).toEqual([['gprune.test', 'kept']]);
    expect(equals(ModelProtoSchema, back.proto, proto)).toBe(true);
  });

  test('writeOnnxModel keeps fields unknown to the schema', async () => {
    // Field 100, varint 42: a ModelProto field that no ONNX version defines.
    const encoded = encodeModel(buildMlpDecoder({ vocab: 8, hidden: 4, width: 6, layers: 1, activation: 'relu' }));
    const withUnknown = new Uint8Array([...encoded, 0xa0, 0x06, 42]);
    const model = await openModel(withUnknown);
    const sink = new MemorySink();
    await writeOnnxModel(model, model.proto, sink);

    const back = fromBinary(ModelProtoSchema, sink.bytes('model.onnx'), { readUnknownFields: true });
    const unknown = back.$unknown?.find((field) => field.no === 100);
    expect(unknown).toBeDefined();
    expect(Array.from(unknown!.data)).toEqual([42]);
  });

  test('writeOnnxModel defaults to keep, 2 GiB − 1 chunks and a 1024-byte threshold', () => {
    expect(DEFAULT_WRITE_OPTIONS).toEqual({ weights: 'keep', chunkBytes: 2 ** 31 - 1, sizeThreshold: 1024 });
  });

  describe('with external weights in small chunks, on disk', () => {
    const chunkBytes = 200_000;
    let dir: string;
    let remove: () => Promise<void>;
    let result: Awaited<ReturnType<typeof writeOnnxModel>>;
    let target: string;

    beforeAll(async () => {
      ({ dir, remove } = await makeTempDir('external'));
      target = path.join(dir, 'out');
      result = await writeOnnxModel(source, source.proto, await nodeFolderSink(target), new Map(), { weights: 'external', chunkBytes });
    });

    afterAll(async () => {
      await remove();
    });

    test('writeOnnxModel(external) names chunks model.onnx_data, model.onnx_data_1, …', () => {
      const dataFiles = result.files.filter((f) => f.path !== 'onnx/model.onnx').map((f) => f.path);
      expect(dataFiles.length).toBeGreaterThanOrEqual(3);
      expect(dataFiles).toEqual(dataFiles.map((_, i) => (i === 0 ? 'onnx/model.onnx_data' : `onnx/model.onnx_data_${i}`)));
      expect(result.files.at(-1)!.path).toBe('onnx/model.onnx');
    });

    test('writeOnnxModel(external) chunk sizes add up to the external weight bytes', async () => {
      const threshold = DEFAULT_WRITE_OPTIONS.sizeThreshold;
      const externalBytes = source.proto.graph!.initializer.map(tensorByteLength).filter((bytes) => bytes >= threshold);
      const dataFiles = result.files.filter((f) => f.path !== 'onnx/model.onnx');
      let total = 0;
      for (const file of dataFiles) {
        const onDisk = (await stat(path.join(target, file.path))).size;
        expect(onDisk, file.path).toBe(file.bytes);
        expect(file.bytes, file.path).toBeLessThanOrEqual(chunkBytes);
        total += onDisk;
      }
      expect(total).toBe(externalBytes.reduce((a, b) => a + b, 0));
    });

    test('writeOnnxModel(external) marks large tensors external and keeps small ones embedded', async () => {
      const written = await readOnnxModel(await nodeModelFiles(target));
      for (const tensor of written.proto.graph!.initializer) {
        const external = tensorByteLength(tensor) >= DEFAULT_WRITE_OPTIONS.sizeThreshold;
        expect(tensor.dataLocation === TensorProto_DataLocation.EXTERNAL, tensor.name).toBe(external);
        if (external) expect(tensor.rawData.byteLength, tensor.name).toBe(0);
      }
      await expectSameTensorData(written, source);
    });

    test('onnxruntime-node loads the external-data folder with the original logits', async () => {
      const original = await promptLogits(path.join(fixtureDir('stories260K-llama'), 'onnx/model.onnx'));
      const written = await promptLogits(path.join(target, 'onnx/model.onnx'));
      expect(maxAbsDiff(written, original)).toBeLessThanOrEqual(1e-6);
      const vocab = original.length / reference.prompt_ids_with_bos.length;
      for (let p = 0; p < 4; p++) {
        assertClose(written.subarray(p * vocab, p * vocab + 8), reference.first8_logits_pos0_3[p], { abs: 1e-4, label: `logits[0, ${p}, 0:8]` });
      }
    });

    test('writeOnnxModel(embed) from the external copy restores the original ModelProto', async () => {
      const written = await readOnnxModel(await nodeModelFiles(target));
      const sink = new MemorySink();
      const embedded = await writeOnnxModel(written, written.proto, sink, new Map(), { weights: 'embed' });
      expect(embedded.files.map((f) => f.path)).toEqual(['onnx/model.onnx']);
      const back = await readOnnxModel(filesFromSink(sink));
      expect(equals(ModelProtoSchema, back.proto, source.proto)).toBe(true);
    });

    test('writeOnnxModel(keep) from the external copy keeps the same data files', async () => {
      const written = await readOnnxModel(await nodeModelFiles(target));
      const sink = new MemorySink();
      const kept = await writeOnnxModel(written, written.proto, sink, new Map(), { chunkBytes });
      expect(kept.files).toEqual(result.files.map((f) => (f.path === 'onnx/model.onnx' ? kept.files.at(-1) : f)));
      const back = await readOnnxModel(filesFromSink(sink));
      expect(equals(ModelProtoSchema, back.proto, written.proto)).toBe(true);
      await expectSameTensorData(back, source);
    });
  });
});
