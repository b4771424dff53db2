import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clone, create } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { beforeAll, describe, expect, test } from 'vitest';
import { type ByteSource, MemorySink, memoryFiles, memorySource } from '../../src/core/onnx/files';
import { findModelPath, readOnnxModel } from '../../src/core/onnx/model';
import { readTensorBytes } from '../../src/core/onnx/tensor';
import { writeOnnxModel } from '../../src/core/onnx/write';
import { fixtureDir } from '../helpers/fixtures';
import { buildMlpDecoder, encodeModel, openModel } from '../helpers/onnxGraph';

const fixtureBytes = new Uint8Array(readFileSync(path.join(fixtureDir('stories260K-llama'), 'onnx/model.onnx')));

/** Writes a small model with every initializer in onnx/model.onnx_data. */
async function externalModel(): Promise<{ proto: ModelProto; onnx: Uint8Array; data: Uint8Array }> {
  const source = await openModel(buildMlpDecoder({ vocab: 8, hidden: 4, width: 6, layers: 1, activation: 'relu' }), [], 'onnx/model.onnx');
  const sink = new MemorySink();
  await writeOnnxModel(source, source.proto, sink, new Map(), { weights: 'external', sizeThreshold: 0 });
  const onnx = sink.bytes('onnx/model.onnx');
  return { proto: (await openModel(onnx, [memorySource('onnx/model.onnx_data', sink.bytes('onnx/model.onnx_data'))], 'onnx/model.onnx')).proto, onnx, data: sink.bytes('onnx/model.onnx_data') };
}

function openFiles(sources: ByteSource[], modelPath = 'onnx/model.onnx') {
  return readOnnxModel(memoryFiles('test-folder', sources), modelPath);
}

/** Encodes the model with the location of its first external initializer replaced. */
function withLocation(proto: ModelProto, location: string): Uint8Array {
  const edited = clone(ModelProtoSchema, proto);
  const entry = edited.graph!.initializer[0].externalData.find((e) => e.key === 'location')!;
  entry.value = location;
  return encodeModel(edited);
}

describe('readOnnxModel with external data', () => {
  let model: Awaited<ReturnType<typeof externalModel>>;

  beforeAll(async () => {
    model = await externalModel();
  });

  test('readOnnxModel resolves the data file beside the model', async () => {
    const read = await openFiles([memorySource('onnx/model.onnx', model.onnx), memorySource('onnx/model.onnx_data', model.data)]);
    const tensor = read.proto.graph!.initializer[0];
    expect((await readTensorBytes(read, tensor)).byteLength).toBeGreaterThan(0);
  });

  test('readOnnxModel raises EXTERNAL_DATA_MISSING without the data file', async () => {
    await expect(openFiles([memorySource('onnx/model.onnx', model.onnx)])).rejects.toMatchObject({
      code: 'EXTERNAL_DATA_MISSING',
      details: { file: 'onnx/model.onnx_data' },
      message: expect.stringContaining('onnx/model.onnx_data'),
    });
  });

  test('readOnnxModel raises EXTERNAL_DATA_MISSING when the data file sits in another folder', async () => {
    await expect(openFiles([memorySource('onnx/model.onnx', model.onnx), memorySource('model.onnx_data', model.data)])).rejects.toMatchObject({
      code: 'EXTERNAL_DATA_MISSING',
    });
  });

  test('readOnnxModel raises EXTERNAL_DATA_TRUNCATED for a short data file', async () => {
    const short = model.data.subarray(0, model.data.byteLength - 4);
    await expect(openFiles([memorySource('onnx/model.onnx', model.onnx), memorySource('onnx/model.onnx_data', short)])).rejects.toMatchObject({
      code: 'EXTERNAL_DATA_TRUNCATED',
      message: expect.stringContaining(`${short.byteLength} bytes`),
    });
  });

  test('readTensorBytes raises EXTERNAL_DATA_TRUNCATED when a read comes back short', async () => {
    // The file reports its full size but returns fewer bytes, as a file cut after opening would.
    const lying: ByteSource = {
      path: 'onnx/model.onnx_data',
      size: model.data.byteLength,
      read: async (offset, length) => model.data.subarray(offset, Math.min(offset + length, model.data.byteLength) - 1),
    };
    const read = await openFiles([memorySource('onnx/model.onnx', model.onnx), lying]);
    await expect(readTensorBytes(read, read.proto.graph!.initializer[0])).rejects.toMatchObject({ code: 'EXTERNAL_DATA_TRUNCATED' });
  });

  test.each([
    ['../model.onnx_data', 'a parent folder'],
    ['sub/../../model.onnx_data', 'a parent folder behind a subfolder'],
    ['/etc/passwd', 'an absolute POSIX path'],
    ['C:\\data\\model.onnx_data', 'a Windows drive path'],
    ['\\\\server\\share\\model.onnx_data', 'a UNC path'],
  ])('readOnnxModel raises EXTERNAL_DATA_OUTSIDE_FOLDER for location %s (%s)', async (location) => {
    const bytes = withLocation(model.proto, location);
    await expect(openFiles([memorySource('onnx/model.onnx', bytes), memorySource('onnx/model.onnx_data', model.data), memorySource('model.onnx_data', model.data)])).rejects.toMatchObject({
      code: 'EXTERNAL_DATA_OUTSIDE_FOLDER',
    });
  });

  test('readOnnxModel accepts a ./ prefix in the location', async () => {
    const bytes = withLocation(model.proto, './model.onnx_data');
    const read = await openFiles([memorySource('onnx/model.onnx', bytes), memorySource('onnx/model.onnx_data', model.data)]);
    expect(read.proto.graph!.initializer.length).toBeGreaterThan(0);
  });
});

describe('readOnnxModel with an invalid .onnx file', () => {
  const open = (bytes: Uint8Array) => openFiles([memorySource('onnx/model.onnx', bytes)]);

  test('readOnnxModel raises ONNX_PARSE_FAILED for an empty file', async () => {
    await expect(open(new Uint8Array(0))).rejects.toMatchObject({ code: 'ONNX_PARSE_FAILED', message: expect.stringContaining('empty') });
  });

  test.each([
    ['half', Math.floor(fixtureBytes.byteLength / 2)],
    ['a third', Math.floor(fixtureBytes.byteLength / 3)],
    ['all but one byte', fixtureBytes.byteLength - 1],
    ['100 bytes', 100],
  ])('readOnnxModel raises ONNX_PARSE_FAILED for a protobuf cut to %s', async (_label, length) => {
    await expect(open(fixtureBytes.subarray(0, length))).rejects.toMatchObject({ code: 'ONNX_PARSE_FAILED', message: expect.stringContaining('truncated') });
  });

  test.each([
    ['a README', readFileSync(path.join(fixtureDir('stories260K-llama'), 'README.md'), 'utf8')],
    ['a Git LFS pointer', 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1364312\n'],
    ['an HTML error page', '<!DOCTYPE html><html><body>404 Not Found</body></html>\n'],
    ['a JSON file', '{"architectures": ["LlamaForCausalLM"]}\n'],
  ])('readOnnxModel raises ONNX_PARSE_FAILED for %s named .onnx', async (_label, text) => {
    await expect(open(new TextEncoder().encode(text))).rejects.toMatchObject({ code: 'ONNX_PARSE_FAILED', message: expect.stringContaining('text file') });
  });
});

describe('readOnnxModel checks before parsing', () => {
  test('readOnnxModel raises ONNX_TOO_LARGE for a protobuf over 2 GiB without reading it', async () => {
    const huge: ByteSource = {
      path: 'model.onnx',
      size: 2 ** 31,
      read: async () => {
        throw new Error('the file must not be read');
      },
    };
    await expect(readOnnxModel(memoryFiles('huge', [huge]))).rejects.toMatchObject({ code: 'ONNX_TOO_LARGE', message: expect.stringContaining('external data') });
  });

  test('readOnnxModel raises ONNX_NOT_A_MODEL for a ModelProto without a graph', async () => {
    const bytes = encodeModel(create(ModelProtoSchema, { irVersion: 8n }));
    await expect(openFiles([memorySource('model.onnx', bytes)], 'model.onnx')).rejects.toMatchObject({ code: 'ONNX_NOT_A_MODEL' });
  });
});

describe('findModelPath', () => {
  const files = (...paths: string[]) => memoryFiles('folder', paths.map((p) => memorySource(p, new Uint8Array(1))));

  test('findModelPath prefers onnx/model.onnx over other .onnx files', () => {
    expect(findModelPath(files('onnx/model.onnx', 'onnx/model_fp16.onnx', 'config.json'))).toBe('onnx/model.onnx');
  });

  test('findModelPath takes the only .onnx file', () => {
    expect(findModelPath(files('export/decoder.onnx', 'config.json'))).toBe('export/decoder.onnx');
  });

  test('findModelPath raises MODEL_FILE_NOT_FOUND for several candidates', () => {
    expect(() => findModelPath(files('a.onnx', 'b.onnx'))).toThrow(expect.objectContaining({ code: 'MODEL_FILE_NOT_FOUND', message: expect.stringContaining('a.onnx, b.onnx') }));
  });

  test('findModelPath raises MODEL_FILE_NOT_FOUND for a folder without .onnx', () => {
    expect(() => findModelPath(files('config.json'))).toThrow(expect.objectContaining({ code: 'MODEL_FILE_NOT_FOUND' }));
  });

  test('findModelPath raises MODEL_FILE_NOT_FOUND for a missing preferred path', () => {
    expect(() => findModelPath(files('a.onnx'), 'b.onnx')).toThrow(expect.objectContaining({ code: 'MODEL_FILE_NOT_FOUND', message: expect.stringContaining('a.onnx') }));
  });
});
