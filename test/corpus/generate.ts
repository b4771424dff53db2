/**
 * Generators of the broken and hostile inputs listed in manifest.json. Each one builds its
 * case inside a fresh temporary folder from the read-only stories260K fixture, whose bytes
 * are never stored in the repository. It returns the path to hand to the CLI: a model
 * folder or .onnx file, a model folder with a changed tokenizer, or a dataset file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { clone, create, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, OperatorSetIdProtoSchema, type ModelProto, type TensorProto } from 'onnx-buf';
import { analyzeModel } from '../../src/core/anatomy/analyze';
import { DataType } from '../../src/core/onnx/dtype';
import { MemorySink } from '../../src/core/onnx/files';
import { makeInitializer, makeNode, makeValueInfo } from '../../src/core/onnx/graph';
import { type OnnxModel, readOnnxModel } from '../../src/core/onnx/model';
import { type WriteOptions, writeOnnxModel } from '../../src/core/onnx/write';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';
import { fixtureDir } from '../helpers/fixtures';
import { buildModel, floatInitializer, randomValues, seededRandom } from '../helpers/onnxGraph';
import { wireFields } from './protobufFields';

/** Builds one case inside `dir` (empty, removed after the test) and returns the path to open. */
export type Generator = (dir: string) => Promise<string>;

const FIXTURE = fixtureDir('stories260K-llama');
const FIXTURE_ONNX = path.join(FIXTURE, 'onnx/model.onnx');

let fixtureModel: Promise<OnnxModel> | undefined;

/** The parsed fixture, read once per test file. */
function fixture(): Promise<OnnxModel> {
  fixtureModel ??= nodeModelFiles(FIXTURE).then((files) => readOnnxModel(files));
  return fixtureModel;
}

async function fixtureBytes(): Promise<Uint8Array> {
  return new Uint8Array(await fs.readFile(FIXTURE_ONNX));
}

/**
 * Copies the fixture folder into `dir/name` as writable files (the shared copy is
 * read-only), leaving out the .onnx files when `withModel` is false.
 */
async function copyFixture(dir: string, name = 'model', withModel = true): Promise<string> {
  const target = path.join(dir, name);
  const files = await nodeModelFiles(FIXTURE);
  for (const relative of files.list()) {
    if (!withModel && relative.endsWith('.onnx')) continue;
    const destination = path.join(target, relative);
    await fs.mkdir(path.dirname(destination), { recursive: true });
    await fs.writeFile(destination, await fs.readFile(path.join(FIXTURE, relative)));
  }
  return target;
}

/** Writes `proto` as `onnx/model.onnx` (weights from the fixture) into a copy of the fixture folder. */
async function writeFolder(dir: string, proto: ModelProto, options: Partial<WriteOptions> = {}, replaced = new Map<string, Uint8Array>()): Promise<string> {
  const target = await copyFixture(dir, 'model', false);
  const sink = new MemorySink();
  await writeOnnxModel(await fixture(), proto, sink, replaced, options);
  for (const file of sink.files.keys()) {
    await fs.mkdir(path.dirname(path.join(target, file)), { recursive: true });
    await fs.writeFile(path.join(target, file), sink.bytes(file));
  }
  return target;
}

/** Writes `proto` as it is (weights embedded) as `onnx/model.onnx` into a copy of the fixture folder. */
async function writeProtoFolder(dir: string, proto: ModelProto): Promise<string> {
  const target = await copyFixture(dir, 'model', false);
  await writeBytes(target, 'onnx/model.onnx', toBinary(ModelProtoSchema, proto));
  return target;
}

/** Writes raw bytes as `dir/name` and returns its path. */
async function writeBytes(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(dir, name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
  return file;
}

async function editedFixture(edit: (proto: ModelProto) => void): Promise<ModelProto> {
  const proto = clone(ModelProtoSchema, (await fixture()).proto);
  edit(proto);
  return proto;
}

/** The fixture written with external data, then with the first external tensor's `key` entry set to `value`. */
async function externalWithEntry(dir: string, key: 'location' | 'offset' | 'length', value: string): Promise<string> {
  const folder = await writeFolder(dir, (await fixture()).proto, { weights: 'external' });
  const onnxPath = path.join(folder, 'onnx/model.onnx');
  const files = await nodeModelFiles(folder);
  const written = clone(ModelProtoSchema, (await readOnnxModel(files)).proto);
  const tensor = written.graph!.initializer.find((t) => t.externalData.length > 0)!;
  tensor.externalData.find((e) => e.key === key)!.value = value;
  await fs.writeFile(onnxPath, toBinary(ModelProtoSchema, written));
  return folder;
}

/** Bytes of the fixture cut at `length`, as `cut.onnx`. */
async function truncated(dir: string, length: (bytes: Uint8Array) => number): Promise<string> {
  const bytes = await fixtureBytes();
  return writeBytes(dir, 'cut/model.onnx', bytes.subarray(0, length(bytes)));
}

function graphField(bytes: Uint8Array) {
  return wireFields(bytes).find((f) => f.field === 7)!;
}

/** Seeded pseudo-random bytes. */
function randomBytes(count: number, seed: number): Uint8Array {
  const next = seededRandom(seed);
  return Uint8Array.from({ length: count }, () => Math.floor(next() * 256));
}

/**
 * Builds a small image classifier, valid ONNX that onnxruntime runs: Conv → Relu → Flatten →
 * Gemm → Relu → Gemm, with no residual connection and no input_ids.
 */
export function imageClassifier(): ModelProto {
  const next = seededRandom(7);
  const weight = (name: string, dims: number[]) => floatInitializer(name, dims, randomValues(dims.reduce((a, b) => a * b, 1), next, 0.1));
  return buildModel({
    nodes: [
      makeNode('Conv', ['pixel_values', 'conv.weight', 'conv.bias'], ['conv'], '/features/Conv', { pads: [1, 1, 1, 1], kernel_shape: [3, 3] }),
      makeNode('Relu', ['conv'], ['conv_relu'], '/features/Relu'),
      makeNode('Flatten', ['conv_relu'], ['flat'], '/Flatten', { axis: 1 }),
      makeNode('Gemm', ['flat', 'fc1.weight', 'fc1.bias'], ['fc1'], '/classifier/fc1/Gemm', { transB: 1 }),
      makeNode('Relu', ['fc1'], ['fc1_relu'], '/classifier/Relu'),
      makeNode('Gemm', ['fc1_relu', 'fc2.weight', 'fc2.bias'], ['logits'], '/classifier/fc2/Gemm', { transB: 1 }),
    ],
    initializers: [weight('conv.weight', [4, 3, 3, 3]), weight('conv.bias', [4]), weight('fc1.weight', [32, 256]), weight('fc1.bias', [32]), weight('fc2.weight', [10, 32]), weight('fc2.bias', [10])],
    inputs: [makeValueInfo('pixel_values', DataType.FLOAT, [1, 3, 8, 8])],
    outputs: [makeValueInfo('logits', DataType.FLOAT, [1, 10])],
  });
}

/** MatMul → Relu → MatMul with a residual Add, fed by `features` instead of token ids. */
function residualMlp(): ModelProto {
  const next = seededRandom(8);
  const weight = (name: string, dims: number[]) => floatInitializer(name, dims, randomValues(dims.reduce((a, b) => a * b, 1), next, 0.1));
  return buildModel({
    nodes: [
      makeNode('MatMul', ['features', 'fc1.weight'], ['fc1'], '/mlp/fc1/MatMul'),
      makeNode('Relu', ['fc1'], ['act'], '/mlp/Relu'),
      makeNode('MatMul', ['act', 'fc2.weight'], ['fc2'], '/mlp/fc2/MatMul'),
      makeNode('Add', ['features', 'fc2'], ['logits'], '/residual/Add'),
    ],
    initializers: [weight('fc1.weight', [16, 32]), weight('fc2.weight', [32, 16])],
    inputs: [makeValueInfo('features', DataType.FLOAT, ['batch', 16])],
    outputs: [makeValueInfo('logits', DataType.FLOAT, ['batch', 16])],
  });
}

/** The FFN projections of the fixture: their MatMul nodes and float weights. */
async function ffnProjections(): Promise<{ node: string; weight: string; dims: [number, number] }[]> {
  const anatomy = analyzeModel(await fixture());
  return anatomy.ffn.flatMap((block) => [block.gate, block.up!, block.down].map((p) => ({ node: p.node, weight: p.initializer, dims: p.dims })));
}

/**
 * The fixture with every FFN MatMul replaced by onnxruntime's 4-bit MatMulNBits (com.microsoft),
 * laid out as the contrib op defines it: B [N, K/block, block/2] uint8, scales [N · K/block].
 */
async function matMulNBitsModel(): Promise<ModelProto> {
  const projections = await ffnProjections();
  const blockSize = 32;
  return editedFixture((proto) => {
    const graph = proto.graph!;
    for (const { node: nodeName, weight, dims } of projections) {
      const [k, n] = dims;
      const blocks = Math.ceil(k / blockSize);
      const node = graph.node.find((x) => x.name === nodeName)!;
      const replacement = makeNode('MatMulNBits', [node.input[0], `${weight}_q4`, `${weight}_scales`], node.output, nodeName.replace(/MatMul$/, 'MatMulNBits'), { K: k, N: n, bits: 4, block_size: blockSize });
      replacement.domain = 'com.microsoft';
      graph.node[graph.node.indexOf(node)] = replacement;
      graph.initializer = graph.initializer.filter((t) => t.name !== weight);
      graph.initializer.push(makeInitializer(`${weight}_q4`, DataType.UINT8, [n, blocks, blockSize / 2], new Uint8Array(n * blocks * (blockSize / 2)).fill(0x88)));
      graph.initializer.push(floatInitializer(`${weight}_scales`, [n * blocks], new Float32Array(n * blocks).fill(0.01)));
    }
    proto.opsetImport.push(create(OperatorSetIdProtoSchema, { domain: 'com.microsoft', version: 1n }));
  });
}

/** The fixture with FFN weights stored as INT4 behind DequantizeLinear (the QDQ format, opset 21). */
async function int4QdqModel(): Promise<ModelProto> {
  const projections = await ffnProjections();
  return editedFixture((proto) => {
    const graph = proto.graph!;
    for (const { node: nodeName, weight, dims } of projections) {
      const node = graph.node.find((x) => x.name === nodeName)!;
      const dequantized = `${weight}_dequantized`;
      graph.initializer = graph.initializer.filter((t) => t.name !== weight);
      const packed: TensorProto = makeInitializer(`${weight}_int4`, DataType.INT4, dims, new Uint8Array(Math.ceil((dims[0] * dims[1]) / 2)));
      graph.initializer.push(packed, floatInitializer(`${weight}_scale`, [], [0.01]));
      graph.node.splice(graph.node.indexOf(node), 0, makeNode('DequantizeLinear', [packed.name, `${weight}_scale`], [dequantized], `${nodeName}/DequantizeLinear`));
      node.input[1] = dequantized;
    }
    proto.opsetImport[0].version = 21n;
  });
}

function addedToken(id: number, content: string) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** A copy of the fixture folder whose tokenizer files are changed by `edit`. */
async function tokenizerCase(dir: string, edit: (folder: string) => Promise<void>): Promise<string> {
  const folder = await copyFixture(dir);
  await edit(folder);
  return folder;
}

async function editJson(file: string, edit: (json: Record<string, unknown>) => void): Promise<void> {
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  await fs.writeFile(file, JSON.stringify(json));
}

const STORY = 'Once upon a time, there was a little girl named Lily. She liked to play in the park with her dog.\nOne day the sun was hot, so they sat under a big tree and ate apples.\n';

export const GENERATORS: Record<string, Generator> = {
  // Valid models
  'fixture-folder': async () => FIXTURE,
  'fixture-kv-folder': async () => fixtureDir('stories260K-llama-kv'),
  'fixture-onnx-file': async () => FIXTURE_ONNX,
  'external-data-folder': async (dir) => writeFolder(dir, (await fixture()).proto, { weights: 'external' }),
  'external-data-chunks': async (dir) => writeFolder(dir, (await fixture()).proto, { weights: 'external', chunkBytes: 200_000 }),

  // Files that are not an ONNX protobuf
  'empty-onnx': async (dir) => writeBytes(dir, 'model.onnx', new Uint8Array(0)),
  'random-bytes-onnx': async (dir) => writeBytes(dir, 'model.onnx', randomBytes(64 * 1024, 11)),
  'readme-as-onnx': async (dir) => writeBytes(dir, 'model.onnx', await fs.readFile(path.join(FIXTURE, 'README.md'))),
  'json-as-onnx': async (dir) => writeBytes(dir, 'model.onnx', await fs.readFile(path.join(FIXTURE, 'config.json'))),
  'git-lfs-pointer-onnx': async (dir) => writeBytes(dir, 'model.onnx', 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 1364312\n'),
  'html-page-onnx': async (dir) => writeBytes(dir, 'model.onnx', '<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n'),
  'sparse-3gib-onnx': async (dir) => {
    const file = await writeBytes(dir, 'model.onnx', new Uint8Array(0));
    await fs.truncate(file, 3 * 2 ** 30);
    return file;
  },

  // Truncated protobufs
  'truncated-16-bytes': (dir) => truncated(dir, () => 16),
  'truncated-before-graph': (dir) => truncated(dir, (bytes) => graphField(bytes).start),
  'truncated-inside-graph-at-node-end': (dir) => truncated(dir, (bytes) => wireFields(bytes, graphField(bytes).dataStart, graphField(bytes).end)[100].end),
  'truncated-inside-initializer': (dir) => truncated(dir, (bytes) => {
    const graph = graphField(bytes);
    const initializers = wireFields(bytes, graph.dataStart, graph.end).filter((f) => f.field === 5);
    const largest = initializers.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    return Math.floor((largest.dataStart + largest.end) / 2);
  }),
  'truncated-before-opset': (dir) => truncated(dir, (bytes) => wireFields(bytes).find((f) => f.field === 8)!.start),
  'truncated-last-byte': (dir) => truncated(dir, (bytes) => bytes.length - 1),

  // Valid protobufs that are not a usable LLM
  'no-graph': async (dir) => writeBytes(dir, 'model.onnx', toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, producerName: 'corpus' }))),
  'image-classifier': async (dir) => writeBytes(dir, 'model.onnx', toBinary(ModelProtoSchema, imageClassifier())),
  'residual-mlp-without-input-ids': async (dir) => writeBytes(dir, 'model.onnx', toBinary(ModelProtoSchema, residualMlp())),
  'no-graph-outputs': async (dir) => writeProtoFolder(dir, await editedFixture((proto) => (proto.graph!.output = []))),
  'input-ids-renamed': async (dir) =>
    writeProtoFolder(dir, await editedFixture((proto) => {
      const graph = proto.graph!;
      graph.input.find((i) => i.name === 'input_ids')!.name = 'tokens';
      for (const node of graph.node) node.input = node.input.map((name) => (name === 'input_ids' ? 'tokens' : name));
    })),
  'ffn-matmulnbits-4bit': async (dir) => writeProtoFolder(dir, await matMulNBitsModel()),
  'ffn-int4-dequantizelinear': async (dir) => writeProtoFolder(dir, await int4QdqModel()),
  'shape-larger-than-data': async (dir) => {
    const [first] = await ffnProjections();
    return writeProtoFolder(dir, await editedFixture((p) => (p.graph!.initializer.find((t) => t.name === first.weight)!.dims = [BigInt(first.dims[0]), 100_000n])));
  },
  'negative-dim': async (dir) => {
    const [first] = await ffnProjections();
    return writeProtoFolder(dir, await editedFixture((p) => (p.graph!.initializer.find((t) => t.name === first.weight)!.dims = [-1n, BigInt(first.dims[1])])));
  },

  // External data
  'external-data-missing': async (dir) => {
    const folder = await writeFolder(dir, (await fixture()).proto, { weights: 'external' });
    await fs.rm(path.join(folder, 'onnx/model.onnx_data'));
    return folder;
  },
  'external-data-short': async (dir) => {
    const folder = await writeFolder(dir, (await fixture()).proto, { weights: 'external' });
    const data = path.join(folder, 'onnx/model.onnx_data');
    await fs.truncate(data, Math.floor((await fs.stat(data)).size / 2));
    return folder;
  },
  'external-location-parent': async (dir) => {
    const folder = await externalWithEntry(dir, 'location', '../../model.onnx_data');
    // A real file where the location points, so only the folder check can stop the read.
    await fs.copyFile(path.join(folder, 'onnx/model.onnx_data'), path.join(dir, 'model.onnx_data'));
    return folder;
  },
  'external-location-absolute': (dir) => externalWithEntry(dir, 'location', '/etc/passwd'),
  'external-location-windows-drive': (dir) => externalWithEntry(dir, 'location', 'C:\\Windows\\win.ini'),
  'external-location-nul-byte': (dir) => externalWithEntry(dir, 'location', 'model.onnx_data\u0000/../../../etc/passwd'),
  'external-offset-negative': (dir) => externalWithEntry(dir, 'offset', '-4096'),
  'external-length-huge': (dir) => externalWithEntry(dir, 'length', '9007199254740991'),

  // Folders
  'folder-without-onnx': async (dir) => copyFixture(dir, 'model', false),
  'folder-with-two-onnx': async (dir) => {
    await writeBytes(dir, 'two/a.onnx', await fixtureBytes());
    await writeBytes(dir, 'two/b.onnx', await fixtureBytes());
    return path.join(dir, 'two');
  },
  'missing-path': async (dir) => path.join(dir, 'does-not-exist'),
  'config-invalid-json': async (dir) => {
    const folder = await copyFixture(dir);
    await fs.writeFile(path.join(folder, 'config.json'), '{"architectures": ["LlamaForCausalLM"],');
    return folder;
  },

  // Tokenizers (a model folder whose tokenizer files are changed)
  'tokenizer-fixture': async () => FIXTURE,
  'tokenizer-beside-onnx': (dir) =>
    tokenizerCase(dir, async (folder) => {
      for (const name of ['tokenizer.json', 'tokenizer_config.json']) await fs.rename(path.join(folder, name), path.join(folder, 'onnx', name));
    }),
  'tokenizer-missing': (dir) => tokenizerCase(dir, (folder) => fs.rm(path.join(folder, 'tokenizer.json'))),
  'tokenizer-truncated-json': (dir) =>
    tokenizerCase(dir, async (folder) => {
      const file = path.join(folder, 'tokenizer.json');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.slice(0, Math.floor(text.length / 2)));
    }),
  'tokenizer-json-array': (dir) => tokenizerCase(dir, (folder) => fs.writeFile(path.join(folder, 'tokenizer.json'), '[]')),
  'tokenizer-binary': (dir) => tokenizerCase(dir, (folder) => fs.writeFile(path.join(folder, 'tokenizer.json'), randomBytes(4096, 12))),
  'tokenizer-unknown-model-type': (dir) => tokenizerCase(dir, (folder) => editJson(path.join(folder, 'tokenizer.json'), (json) => ((json.model as Record<string, unknown>).type = 'NoSuchModel'))),
  'tokenizer-unknown-normalizer': (dir) => tokenizerCase(dir, (folder) => editJson(path.join(folder, 'tokenizer.json'), (json) => (json.normalizer = { type: 'NoSuchNormalizer' }))),
  'tokenizer-ids-beyond-embedding': (dir) =>
    tokenizerCase(dir, (folder) => editJson(path.join(folder, 'tokenizer.json'), (json) => (json.added_tokens as unknown[]).push(addedToken(600, '<|extra_600|>')))),
  'tokenizer-bos-not-in-vocabulary': (dir) => tokenizerCase(dir, (folder) => editJson(path.join(folder, 'tokenizer_config.json'), (json) => (json.bos_token = '<|begin_of_text|>'))),
  'tokenizer-config-invalid-json': (dir) => tokenizerCase(dir, (folder) => fs.writeFile(path.join(folder, 'tokenizer_config.json'), '{"bos_token": "<s>"')),

  // Datasets
  'dataset-text': (dir) => writeBytes(dir, 'story.txt', STORY),
  'dataset-latin1': (dir) => writeBytes(dir, 'latin1.txt', Buffer.from(`${STORY}Caf\u00e9 cr\u00e8me.\n`, 'latin1')),
  'dataset-empty': (dir) => writeBytes(dir, 'empty.txt', ''),
  'dataset-whitespace': (dir) => writeBytes(dir, 'blank.txt', ' \n\t\r\n   \n'),
  'dataset-only-separators': (dir) => writeBytes(dir, 'separators.txt', '<|endoftext|>\n\n<|endoftext|>\n'),
  'dataset-random-bytes': (dir) => writeBytes(dir, 'random.txt', randomBytes(8192, 13)),
  'dataset-gzip': (dir) => writeBytes(dir, 'story.txt', gzipSync(STORY.repeat(20))),
  'dataset-utf16': (dir) => writeBytes(dir, 'utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(STORY, 'utf16le')])),
  'dataset-onnx-model': async (dir) => writeBytes(dir, 'model.txt', await fixtureBytes()),
  'dataset-jsonl-empty-texts': (dir) => writeBytes(dir, 'empty-texts.jsonl', '{"text": ""}\n{"text": "   "}\n'),
  'dataset-missing': async (dir) => path.join(dir, 'no-such-dataset.txt'),
};
