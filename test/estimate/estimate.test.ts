import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  type ModelDimensions,
  WASM_MEMORY_BYTES,
  WEBGPU_DEFAULT_MAX_BUFFER_SIZE,
  WEBGPU_DEFAULT_MAX_STORAGE_BINDING,
  checkFit,
  estimateMemory,
  estimateRun,
  estimateTime,
  forwardFlops,
  largestFittingBatch,
  measuredThroughput,
  modelDimensions,
  resolveRunPlan,
} from '../../src/core/estimate';
import { tensorDims } from '../../src/core/onnx/tensor';
import { createSession, type LoadedModel } from '../../src/core/run/loaded';
import { fixtureDir, loadFixture, testEngine } from '../helpers/fixtures';
import { runLogits } from '../helpers/run';

const config = JSON.parse(readFileSync(path.join(fixtureDir('stories260K-llama'), 'config.json'), 'utf8'));

let loaded: LoadedModel;
let dims: ModelDimensions;

beforeAll(async () => {
  loaded = await loadFixture('stories260K-llama');
  dims = modelDimensions(loaded);
});

/** Builds the dimensions of a LLaMA-2-7B-shaped model (its published config.json) with float32 weights. */
function llama7b(overrides: Partial<ModelDimensions> = {}): ModelDimensions {
  const hidden = 4096;
  const width = 11008;
  const layers = 32;
  const vocab = 32000;
  const ffnParameters = layers * 3 * hidden * width;
  const parameters = ffnParameters + layers * 4 * hidden * hidden + 2 * vocab * hidden;
  return {
    layers,
    hidden,
    ffnWidths: Array(layers).fill(width),
    vocab,
    heads: 32,
    kvHeads: 32,
    headDim: 128,
    elementBytes: 4,
    parameters,
    ffnParameters,
    weightBytes: parameters * 4,
    largestTensorBytes: vocab * hidden * 4,
    protoBytes: 2 * 2 ** 20,
    embeddedWeightBytes: 0,
    ...overrides,
  };
}

describe('modelDimensions', () => {
  test('modelDimensions(stories260K) agrees with config.json', () => {
    expect(dims.layers).toBe(config.num_hidden_layers);
    expect(dims.hidden).toBe(config.hidden_size);
    expect(dims.ffnWidths).toEqual(Array(config.num_hidden_layers).fill(config.intermediate_size));
    expect(dims.vocab).toBe(config.vocab_size);
    expect(dims.heads).toBe(config.num_attention_heads);
    expect(dims.kvHeads).toBe(config.num_key_value_heads);
    expect(dims.headDim).toBe(config.head_dim);
    expect(dims.elementBytes).toBe(4);
  });

  test('modelDimensions counts embedded weight bytes within the file size', () => {
    expect(dims.embeddedWeightBytes).toBe(dims.weightBytes);
    expect(dims.weightBytes).toBeLessThan(dims.protoBytes);
    // The protobuf adds names and graph structure, a small share for this model.
    expect(dims.weightBytes).toBeGreaterThan(0.8 * dims.protoBytes);
    expect(dims.largestTensorBytes).toBe(config.vocab_size * config.hidden_size * 4);
  });
});

describe('forwardFlops', () => {
  test('forwardFlops for one token matches the MatMul weights of the graph', () => {
    const graph = loaded.model.proto.graph!;
    const initializers = new Map(graph.initializer.map((t) => [t.name, t]));
    let perToken = 0;
    let lmHeadFound = false;
    for (const node of graph.node) {
      const weight = node.opType === 'MatMul' ? initializers.get(node.input[1]) : undefined;
      if (!weight) continue;
      const [k, n] = tensorDims(weight);
      perToken += 2 * k * n;
      if (n === config.vocab_size) lmHeadFound = true;
    }
    // With tied embeddings the LM head multiplies by a Transpose of the embedding, not an initializer.
    if (!lmHeadFound) perToken += 2 * config.vocab_size * config.hidden_size;
    // One token attends to itself only: the attention products add 4 · heads · headDim FLOPs per layer.
    const attention = config.num_hidden_layers * 4 * config.num_attention_heads * config.head_dim;
    expect(forwardFlops(dims, 1)).toBe(perToken + attention);
  });

  test('forwardFlops grows quadratically in the sequence through attention only', () => {
    const linear = (seqlen: number) => seqlen * (forwardFlops(dims, 1) - config.num_hidden_layers * 4 * config.hidden_size);
    const quadratic = (seqlen: number) => forwardFlops(dims, seqlen) - linear(seqlen);
    expect(quadratic(64) / quadratic(32)).toBeCloseTo(4, 10);
  });
});

describe('estimateMemory', () => {
  test('estimateMemory is linear in the batch size', () => {
    const one = estimateMemory(dims, { seqlen: 64, batchSize: 1 });
    const four = estimateMemory(dims, { seqlen: 64, batchSize: 4 });
    expect(four.activationBytes).toBe(4 * one.activationBytes);
    expect(four.kvCacheBytes).toBe(4 * one.kvCacheBytes);
    expect(four.weightBytes).toBe(one.weightBytes);
    expect(four.peakBytes).toBe(four.weightBytes + four.activationBytes + four.kvCacheBytes);
  });

  test('estimateMemory counts the key/value outputs from config.json', () => {
    const memory = estimateMemory(dims, { seqlen: 32, batchSize: 2 });
    expect(memory.kvCacheBytes).toBe(2 * config.num_hidden_layers * config.num_key_value_heads * config.head_dim * 32 * 2 * 4);
  });

  test('estimateMemory largest buffer holds the logits onnxruntime returns', async () => {
    const session = await createSession(testEngine(), loaded);
    const windows = [Array.from({ length: 24 }, (_, i) => 1 + i), Array.from({ length: 24 }, (_, i) => 100 + i)];
    const logits = await runLogits(session, loaded, windows);
    await session.release();
    expect(estimateMemory(dims, { seqlen: 24, batchSize: 2 }).largestActivationBytes).toBeGreaterThanOrEqual(logits.byteLength);
  });
});

describe('estimateTime', () => {
  test('estimateTime inverts measuredThroughput', () => {
    const throughput = measuredThroughput(dims, 40, 128, 2.5);
    expect(estimateTime(dims, { windows: 40, seqlen: 128, passes: 1 }, throughput).seconds).toBeCloseTo(2.5, 10);
    expect(estimateTime(dims, { windows: 40, seqlen: 128, passes: 3 }, throughput).seconds).toBeCloseTo(7.5, 10);
  });
});

describe('checkFit', () => {
  test('checkFit finds no problem for stories260K on any engine', () => {
    const memory = estimateMemory(dims, { seqlen: 128, batchSize: 8 });
    for (const engine of ['onnxruntime-node', 'wasm', 'webgpu'] as const) expect(checkFit(dims, memory, { engine })).toEqual([]);
  });

  test('checkFit rejects a 7B float32 model in WebAssembly memory', () => {
    const big = llama7b();
    const problems = checkFit(big, estimateMemory(big, { seqlen: 128, batchSize: 1 }), { engine: 'wasm' });
    expect(problems.map((p) => p.id)).toEqual(['wasm-memory']);
    expect(problems[0].severity).toBe('error');
    expect(problems[0].limit).toBe(WASM_MEMORY_BYTES);
    expect(problems[0].bytes).toBeGreaterThan(big.weightBytes);
  });

  test('checkFit names the WebGPU buffer limit a weight exceeds', () => {
    const overBuffer = llama7b({ largestTensorBytes: WEBGPU_DEFAULT_MAX_BUFFER_SIZE + 1 });
    const overBinding = llama7b({ largestTensorBytes: WEBGPU_DEFAULT_MAX_STORAGE_BINDING + 1 });
    const memory = estimateMemory(overBuffer, { seqlen: 8, batchSize: 1 });
    expect(checkFit(overBuffer, memory, { engine: 'webgpu' }).map((p) => p.id)).toContain('tensor-over-max-buffer');
    expect(checkFit(overBinding, memory, { engine: 'webgpu' }).map((p) => p.id)).toContain('tensor-over-storage-binding');
    expect(checkFit(overBuffer, memory, { engine: 'webgpu', maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31 }).map((p) => p.id)).toEqual([]);
  });

  test('checkFit flags logits larger than a storage binding', () => {
    const big = llama7b({ largestTensorBytes: 64 * 2 ** 20 });
    const memory = estimateMemory(big, { seqlen: 512, batchSize: 8 });
    const problems = checkFit(big, memory, { engine: 'webgpu', maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 28 });
    // float32 logits [8, 512, 32000] are 500 MiB; the attention scores [8, 32, 512, 512] are 256 MiB.
    expect(memory.largestActivationBytes).toBe(8 * 512 * 32000 * 4);
    expect(problems.map((p) => p.id)).toEqual(['activation-over-storage-binding']);
  });

  test('checkFit rejects a protobuf over 2 GiB and warns about embedded weights', () => {
    const embedded = llama7b({ protoBytes: 3 * 2 ** 30, embeddedWeightBytes: 3 * 2 ** 30 });
    const ids = checkFit(embedded, estimateMemory(embedded, { seqlen: 8, batchSize: 1 }), { engine: 'onnxruntime-node' }).map((p) => p.id);
    expect(ids).toEqual(['protobuf-over-limit', 'export-needs-external-data']);
  });

  test('checkFit warns when the machine has less memory than the run needs', () => {
    const memory = estimateMemory(dims, { seqlen: 128, batchSize: 4 });
    const problems = checkFit(dims, memory, { engine: 'onnxruntime-node', memoryBytes: memory.peakBytes - 1 });
    expect(problems.map((p) => [p.id, p.severity])).toEqual([['device-memory', 'warning']]);
  });
});

describe('largestFittingBatch', () => {
  test('largestFittingBatch returns the largest batch within the memory', () => {
    const memoryBytes = estimateMemory(dims, { seqlen: 128, batchSize: 5 }).peakBytes;
    expect(largestFittingBatch(dims, { seqlen: 128, batchSize: 16 }, { engine: 'onnxruntime-node', memoryBytes })).toBe(5);
    expect(largestFittingBatch(dims, { seqlen: 128, batchSize: 3 }, { engine: 'onnxruntime-node', memoryBytes })).toBe(3);
  });

  test('largestFittingBatch returns 0 when one window does not fit', () => {
    expect(largestFittingBatch(llama7b(), { seqlen: 128, batchSize: 8 }, { engine: 'wasm' })).toBe(0);
  });
});

describe('estimateRun', () => {
  test('estimateRun fills the plan defaults', () => {
    const estimate = estimateRun(dims, { windows: 10 }, { engine: 'wasm' }, { threads: 2 });
    expect(estimate.plan).toEqual({ windows: 10, seqlen: 128, batchSize: 4, passes: 1 });
    expect(estimate.fittingBatchSize).toBe(4);
    expect(estimate.time.seconds).toBeGreaterThan(0);
    expect(estimate.problems).toEqual([]);
  });

  test.each([
    ['windows', { windows: 0 }],
    ['seqlen', { windows: 1, seqlen: 1.5 }],
    ['batchSize', { windows: 1, batchSize: Number.NaN }],
    ['passes', { windows: 1, passes: -2 }],
  ])('resolveRunPlan rejects an invalid %s', (key, plan) => {
    expect(() => resolveRunPlan(plan)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(key) }));
  });
});
