import fs from 'node:fs';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MODEL_DIR,
  createSession,
  emptyPast,
  int64Tensor,
  loadConfig,
  loadTokenizer,
  presentAsPast,
} from './demoAssets';

const config = loadConfig();
let session: ort.InferenceSession;

beforeAll(async () => {
  session = await createSession();
});

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('demo model', () => {
  it('config.json describes a LLaMA model with grouped KV heads', () => {
    expect(config.model_type).toBe('llama');
    expect(config.use_cache).toBe(true);
    expect(config.tie_word_embeddings).toBe(true);
    expect(config.hidden_size).toBe(config.num_attention_heads * config.head_dim);
    expect(config.num_attention_heads % config.num_key_value_heads).toBe(0);
    expect(config.num_key_value_heads).toBeLessThan(config.num_attention_heads);
  });

  it('model folder stays under 16 MB', () => {
    let total = 0;
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else total += fs.statSync(full).size;
      }
    };
    walk(MODEL_DIR);
    expect(total).toBeLessThan(16 * 1024 * 1024);
  });

  it('session exposes the Optimum KV-cache inputs and outputs', () => {
    const layers = Array.from({ length: config.num_hidden_layers }, (_, i) => i);
    expect(session.inputNames).toEqual([
      'input_ids',
      'attention_mask',
      'position_ids',
      ...layers.flatMap((i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]),
    ]);
    expect(session.outputNames).toEqual(['logits', ...layers.flatMap((i) => [`present.${i}.key`, `present.${i}.value`])]);
  });

  it('run with an empty past returns finite logits and presents', async () => {
    const tokenizer = loadTokenizer();
    const ids = [config.bos_token_id, ...tokenizer.encode('And God said, Let there be light').ids];
    const out = await session.run({
      input_ids: int64Tensor([ids]),
      attention_mask: int64Tensor([ids.map(() => 1)]),
      position_ids: int64Tensor([ids.map((_, j) => j)]),
      ...emptyPast(config, 1),
    });
    const logits = out.logits as ort.Tensor;
    expect(logits.dims).toEqual([1, ids.length, config.vocab_size]);
    const data = logits.data as Float32Array;
    expect(data.every(Number.isFinite)).toBe(true);
    expect((out['present.0.key'] as ort.Tensor).dims).toEqual([1, config.num_key_value_heads, ids.length, config.head_dim]);
  });

  it('run with left padding matches the unpadded row', async () => {
    const ids = [config.bos_token_id, 310, 264, 1250, 47];
    const pad = 3;
    const padded = await session.run({
      input_ids: int64Tensor([[...Array(pad).fill(config.eos_token_id), ...ids]]),
      attention_mask: int64Tensor([[...Array(pad).fill(0), ...ids.map(() => 1)]]),
      position_ids: int64Tensor([[...Array(pad).fill(0), ...ids.map((_, j) => j)]]),
      ...emptyPast(config, 1),
    });
    const plain = await session.run({
      input_ids: int64Tensor([ids]),
      attention_mask: int64Tensor([ids.map(() => 1)]),
      position_ids: int64Tensor([ids.map((_, j) => j)]),
      ...emptyPast(config, 1),
    });
    const paddedLogits = padded.logits.data as Float32Array;
    const plainLogits = plain.logits.data as Float32Array;
    expect(paddedLogits.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(paddedLogits.subarray(pad * config.vocab_size), plainLogits)).toBeLessThan(1e-4);
  });

  it('run with a KV cache matches the full recomputation', async () => {
    const ids = [config.bos_token_id, 1034, 264, 4090, 657, 2085, 264, 2076];
    const split = 5;
    const full = await session.run({
      input_ids: int64Tensor([ids]),
      attention_mask: int64Tensor([ids.map(() => 1)]),
      position_ids: int64Tensor([ids.map((_, j) => j)]),
      ...emptyPast(config, 1),
    });
    const prefix = await session.run({
      input_ids: int64Tensor([ids.slice(0, split)]),
      attention_mask: int64Tensor([ids.slice(0, split).map(() => 1)]),
      position_ids: int64Tensor([ids.slice(0, split).map((_, j) => j)]),
      ...emptyPast(config, 1),
    });
    const step = await session.run({
      input_ids: int64Tensor([ids.slice(split)]),
      attention_mask: int64Tensor([ids.map(() => 1)]),
      position_ids: int64Tensor([ids.slice(split).map((_, j) => split + j)]),
      ...presentAsPast(config, prefix),
    });
    const fullLogits = full.logits.data as Float32Array;
    const stepLogits = step.logits.data as Float32Array;
    expect(stepLogits.length).toBe((ids.length - split) * config.vocab_size);
    expect(maxAbsDiff(stepLogits, fullLogits.subarray(split * config.vocab_size))).toBeLessThan(1e-4);
  });
});
