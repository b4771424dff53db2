import { afterEach, expect, test } from 'vitest';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadTokenizer } from '../../src/core/data/tokenizer';
import { MemorySink } from '../../src/core/onnx/files';
import { loadModel } from '../../src/core/run/loaded';
import { floatToHalf } from '../../src/core/onnx/dtype';
import { GENERATED_MODEL_PATH, LLAMA_PRESETS, buildLlamaModel, countParameters, float32ToHalfBits, llamaModelFiles, weightBytes, writeLlamaModel } from '../../src/core/synth';
import { nodeFolderSink, nodeModelFiles } from '../../src/runtime/nodeFiles';
import { floatValues, int64Tensor, openSession } from './session';
import * as ort from 'onnxruntime-node';

const tiny = LLAMA_PRESETS.tiny;
const temporary: string[] = [];

afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gprune-synth-'));
  temporary.push(dir);
  return dir;
}

const FEEDS = { input_ids: int64Tensor([[1, 2, 3, 200]]), attention_mask: int64Tensor([[1, 1, 1, 1]]), position_ids: int64Tensor([[0, 1, 2, 3]]) };

test('writeLlamaModel writes external data whose size equals the parameter bytes', async () => {
  const dir = path.join(await tempDir(), 'model');
  const result = await writeLlamaModel(tiny, { seed: 2 }, await nodeFolderSink(dir));
  const data = await stat(path.join(dir, 'onnx/model.onnx_data'));
  expect(data.size).toBe(countParameters(tiny) * 4);
  expect(result.weightBytes).toBe(data.size);
  expect(result.parameters).toBe(countParameters(tiny));
  expect((await readdir(dir)).sort()).toEqual(['config.json', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);

  // The folder opens with the CLI's loaders and computes what the in-memory model computes.
  const loaded = await loadModel(await nodeModelFiles(dir));
  expect(loaded.anatomy.ffn).toHaveLength(tiny.layers);
  expect(loaded.kv).toEqual({ heads: tiny.kvHeads, headDim: tiny.headDim });
  const fromDisk = await ort.InferenceSession.create(path.join(dir, GENERATED_MODEL_PATH), { intraOpNumThreads: 1 });
  const inMemory = await openSession(buildLlamaModel(tiny, { seed: 2 }));
  const a = floatValues((await fromDisk.run(FEEDS)).logits);
  const b = floatValues((await inMemory.run(FEEDS)).logits);
  expect(Array.from(a)).toEqual(Array.from(b));
});

test('writeLlamaModel splits external data into chunks of at most chunkBytes', async () => {
  const sink = new MemorySink();
  const chunkBytes = 64 * 1024;
  const result = await writeLlamaModel(tiny, { dataType: 'float16' }, sink, { chunkBytes });
  const chunks = result.files.filter((f) => f.path.includes('.onnx_data'));
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.every((c) => c.bytes <= chunkBytes)).toBe(true);
  expect(chunks.reduce((s, c) => s + c.bytes, 0)).toBe(weightBytes(tiny, 'float16'));
  expect(chunks.map((c) => c.path)).toEqual(chunks.map((_, i) => (i === 0 ? 'onnx/model.onnx_data' : `onnx/model.onnx_data_${i}`)));
});

test('llamaModelFiles tokenizer encodes bytes and loads with the config special tokens', async () => {
  const files = llamaModelFiles(tiny);
  const text = async (p: string) => new TextDecoder().decode(await files.get(p)!.read(0, files.get(p)!.size));
  const tokenizer = loadTokenizer({ tokenizerJson: await text('tokenizer.json'), tokenizerConfig: await text('tokenizer_config.json') });
  expect(tokenizer.encode('Hé!')).toEqual([...new TextEncoder().encode('Hé!')]);
  expect(tokenizer.decode(tokenizer.encode('naïve café'))).toBe('naïve café');
  expect(tokenizer.bosId).toBe(256);
  expect(tokenizer.vocabSize).toBeLessThanOrEqual(tiny.vocab);
  const config = JSON.parse(await text('config.json'));
  expect(config.intermediate_size).toBe(tiny.intermediate);
  expect(config.num_key_value_heads).toBe(tiny.kvHeads);
});

test('float32ToHalfBits matches floatToHalf on edge and random values', () => {
  const edges = [0, -0, 1, -1, 0.5, 65504, 65520, 1e6, -1e6, 6.1035156e-5, 5.96e-8, 2.98e-8, 1e-10, 0.1, 1 / 3, Infinity, -Infinity, NaN, 1.00048828125, 1.000732421875, 2049, 2051];
  const random = Float32Array.from({ length: 20000 }, (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 17) - 9));
  const values = Float32Array.from([...edges, ...random]);
  const fast = float32ToHalfBits(values);
  const mismatches = Array.from(values).filter((v, i) => fast[i] !== floatToHalf(v));
  expect(mismatches).toEqual([]);
});
