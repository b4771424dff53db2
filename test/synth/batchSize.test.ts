import { describe, expect, test } from 'vitest';
import { profileWindows } from '../../src/core/profile/profile';
import { type BatchMemoryFacts, batchMemoryFacts, chooseBatchSize, resolveBatchSize, windowActivationBytes } from '../../src/core/run/batchSize';
import { createSession, loadModel } from '../../src/core/run/loaded';
import { LLAMA_PRESETS, llamaModelFiles } from '../../src/core/synth';
import { createNodeEngine } from '../../src/runtime/nodeEngine';

const SMOLLM: BatchMemoryFacts = { sequence: 128, hidden: 576, ffnWidth: 1536, vocab: 49152, heads: 9, elementBytes: 4 };

describe('chooseBatchSize', () => {
  test('chooseBatchSize fits the estimate into the budget', () => {
    const perWindow = windowActivationBytes(SMOLLM);
    // Logits dominate for a 49k vocabulary: 2 · 49152 · 4 bytes per token.
    expect(perWindow).toBeGreaterThan(128 * 2 * 49152 * 4);
    expect(chooseBatchSize(SMOLLM, 3 * perWindow)).toBe(3);
    expect(chooseBatchSize(SMOLLM, 3 * perWindow - 1)).toBe(2);
  });

  test('chooseBatchSize stays within its limits', () => {
    expect(chooseBatchSize(SMOLLM, 0)).toBe(1);
    // 512 tokens per run by default: 4 windows of 128 tokens.
    expect(chooseBatchSize(SMOLLM, 1e15)).toBe(4);
    expect(chooseBatchSize(SMOLLM, 1e15, { maxTokens: Infinity })).toBe(64);
    expect(chooseBatchSize(SMOLLM, 1e15, { maxTokens: Infinity, max: 16 })).toBe(16);
    expect(chooseBatchSize(SMOLLM, 1e15, { windows: 3 })).toBe(3);
    expect(chooseBatchSize({ ...SMOLLM, sequence: 4096 }, 1e15)).toBe(1);
  });

  test('chooseBatchSize rejects a negative or non-finite budget', () => {
    expect(() => chooseBatchSize(SMOLLM, -1)).toThrow(/budget/);
    expect(() => chooseBatchSize(SMOLLM, NaN)).toThrow(/budget/);
  });

  test('windowActivationBytes grows with the square of the sequence through attention', () => {
    const long = { ...SMOLLM, sequence: 4096 };
    const linearPart = windowActivationBytes({ ...long, heads: 0 });
    expect(windowActivationBytes(long) - linearPart).toBe(3 * 9 * 4096 * 4096 * 4);
  });
});

describe('resolveBatchSize', () => {
  test('resolveBatchSize reads the shape facts of a loaded model', async () => {
    const shape = LLAMA_PRESETS.tiny;
    const loaded = await loadModel(llamaModelFiles(shape, { dataType: 'float16' }));
    const facts = batchMemoryFacts(loaded, 16);
    expect(facts).toEqual({ sequence: 16, hidden: shape.hidden, ffnWidth: shape.intermediate, vocab: shape.vocab, heads: shape.heads, elementBytes: 2 });
    const windows = Array.from({ length: 10 }, () => new Int32Array(16));
    expect(resolveBatchSize('auto', loaded, windows, 3 * windowActivationBytes(facts))).toBe(3);
    expect(resolveBatchSize(7, loaded, windows)).toBe(7);
    expect(() => resolveBatchSize(0, loaded, windows)).toThrow(/Batch size 0/);
  });

  test('profileWindows with auto batches sums the same statistics as batch 1', async () => {
    const loaded = await loadModel(llamaModelFiles(LLAMA_PRESETS.tiny, { seed: 4, initStd: 0.1 }));
    const session = await createSession(createNodeEngine({ threads: 1 }), loaded, { stats: true, masks: false, nll: false });
    const windows = Array.from({ length: 6 }, (_, w) => Int32Array.from({ length: 8 + (w % 3) }, (_, t) => (w * 31 + t * 7) % 300));
    const budget = 2 * windowActivationBytes(batchMemoryFacts(loaded, 10));
    const auto = await profileWindows(session, loaded, 'd', windows, { batchSize: 'auto', memoryBudget: budget });
    const single = await profileWindows(session, loaded, 'd', windows, { batchSize: 1 });
    expect(auto.tokens).toBe(single.tokens);
    for (const [l, layer] of auto.layers.entries()) {
      expect(layer.n).toBe(single.layers[l].n);
      for (let j = 0; j < layer.s1.length; j++) {
        expect(layer.s1[j]).toBeCloseTo(single.layers[l].s1[j], 4);
        expect(layer.s2[j]).toBeCloseTo(single.layers[l].s2[j], 4);
        expect(layer.f[j]).toBe(single.layers[l].f[j]);
      }
    }
    await session.release();
  });
});
