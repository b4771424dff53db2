import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FfnBlock } from '../../src/core/anatomy/types';
import type { SessionHandle } from '../../src/core/engine';
import { MemorySink } from '../../src/core/onnx/files';
import { writeOnnxModel } from '../../src/core/onnx/write';
import { profileWindows } from '../../src/core/profile/profile';
import { type LoadedModel, createSession, loadModel } from '../../src/core/run/loaded';
import { compensationBias } from '../../src/core/surgery/compensation';
import { REPORT_FILE, exportPrunedFolder, updatedConfig } from '../../src/core/surgery/exportFolder';
import { type PrunedModel, pruneModel } from '../../src/core/surgery/prune';
import { assertClose, maxAbsDiff } from '../helpers/assertClose';
import { FIXTURES, type FixtureName, fixtureDir, loadFixture, readReference, testEngine } from '../helpers/fixtures';
import { greedyFullSequence, greedyWithCache } from '../helpers/greedy';
import { filesFromSink, sameBytes, seededRandom } from '../helpers/onnxGraph';
import { promptWindows, runLogits } from '../helpers/run';

const engine = testEngine();
const reference = readReference('stories260K-llama');
const windows = promptWindows(reference.prompt_ids_with_bos);
const REMOVED_SHARE = 0.4;

/** Builds a keep-mask that removes round(share · width) neurons chosen at random (seeded). */
function randomMask(width: number, share: number, seed: number): Uint8Array {
  const next = seededRandom(seed);
  const order = Array.from({ length: width }, (_, j) => j);
  for (let i = width - 1; i > 0; i--) {
    const k = Math.floor(next() * (i + 1));
    [order[i], order[k]] = [order[k], order[i]];
  }
  const mask = new Uint8Array(width).fill(1);
  for (const j of order.slice(0, Math.round(share * width))) mask[j] = 0;
  return mask;
}

function masksFor(blocks: FfnBlock[], share: number | number[]): Uint8Array[] {
  return blocks.map((b) => randomMask(b.width, Array.isArray(share) ? share[b.layer] : share, 100 + b.layer));
}

/** Writes the pruned folder into memory and loads it back. */
async function exportAndLoad(loaded: LoadedModel, pruned: PrunedModel, options = {}): Promise<{ sink: MemorySink; result: Awaited<ReturnType<typeof exportPrunedFolder>>; reloaded: LoadedModel }> {
  const sink = new MemorySink();
  const result = await exportPrunedFolder(loaded, pruned, sink, { method: 'test' }, options);
  return { sink, result, reloaded: await loadModel(filesFromSink(sink)) };
}

describe.each(FIXTURES)('pruneModel on %s', (name: FixtureName) => {
  let loaded: LoadedModel;
  let masked: SessionHandle;
  let masks: Uint8Array[];
  let means: Float64Array[];

  beforeAll(async () => {
    loaded = await loadFixture(name);
    masked = await createSession(engine, loaded, {});
    masks = masksFor(loaded.anatomy.ffn, REMOVED_SHARE);
    // Mean activations S1 / n from profiling the prompt windows.
    const stats = await profileWindows(masked, loaded, 'prompt', windows.map((w) => Int32Array.from(w)));
    means = stats.layers.map((layer) => layer.s1.map((s) => s / layer.n));
  });

  afterAll(async () => {
    await masked.release();
  });

  test('pruneModel removes 40% of every layer and counts the removed parameters', async () => {
    const pruned = await pruneModel(loaded, masks);
    const removedPerLayer = Math.round(REMOVED_SHARE * 172);
    expect(pruned.widths).toEqual([0, 1, 2, 3, 4].map(() => 172 - removedPerLayer));
    expect(pruned.removedParameters).toBe(5 * removedPerLayer * 64 * 3);
    expect(pruned.removedBytes).toBe(4 * pruned.removedParameters);
  });

  test('pruned model logits equal the masked instrumented model', async () => {
    const pruned = await pruneModel(loaded, masks);
    const { reloaded } = await exportAndLoad(loaded, pruned);
    expect(reloaded.anatomy.ffn.map((b) => b.width)).toEqual(pruned.widths);
    const session = await createSession(engine, reloaded);

    const expected = await runLogits(masked, loaded, windows, { masks });
    const actual = await runLogits(session, reloaded, windows);
    await session.release();
    const unmasked = await runLogits(masked, loaded, windows);
    assertClose(actual, expected, { abs: 1e-4, label: 'logits' });
    // The masks must matter, or the comparison above proves nothing.
    expect(maxAbsDiff(unmasked, expected)).toBeGreaterThan(1e-2);
  });

  test('pruned model with bias compensation equals the masked model fed compensationBias', async () => {
    const pruned = await pruneModel(loaded, masks, { meanActivation: means });
    const biases = await Promise.all(loaded.anatomy.ffn.map((b) => compensationBias(loaded.model, b, masks[b.layer], means[b.layer])));
    const { reloaded } = await exportAndLoad(loaded, pruned);
    const session = await createSession(engine, reloaded);

    const expected = await runLogits(masked, loaded, windows, { masks, biases });
    const actual = await runLogits(session, reloaded, windows);
    await session.release();
    const withoutBias = await runLogits(masked, loaded, windows, { masks });
    assertClose(actual, expected, { abs: 1e-4, label: 'logits' });
    expect(maxAbsDiff(withoutBias, expected)).toBeGreaterThan(1e-3);
    // One float32 bias [64] is added per layer.
    expect(pruned.removedBytes).toBe(4 * pruned.removedParameters - 5 * 64 * 4);
  });
});

describe('exportPrunedFolder', () => {
  let loaded: LoadedModel;

  beforeAll(async () => {
    loaded = await loadFixture('stories260K-llama');
  });

  test('exportPrunedFolder shrinks the external data by 4 bytes per removed parameter', async () => {
    const original = new MemorySink();
    const originalResult = await writeOnnxModel(loaded.model, loaded.model.proto, original, new Map(), { weights: 'external' });
    const pruned = await pruneModel(loaded, masksFor(loaded.anatomy.ffn, REMOVED_SHARE));
    const { result } = await exportAndLoad(loaded, pruned, { weights: 'external' });

    const dataBytes = (files: { path: string; bytes: number }[]) => files.filter((f) => /\.onnx_data(_\d+)?$/.test(f.path)).reduce((sum, f) => sum + f.bytes, 0);
    expect(dataBytes(originalResult.files)).toBeGreaterThan(0);
    expect(dataBytes(originalResult.files) - dataBytes(result.files)).toBe(4 * pruned.removedParameters);
    expect(originalResult.weightBytes - result.weightBytes).toBe(pruned.removedBytes);
  });

  test('exportPrunedFolder writes intermediate_size and keeps the other config keys', async () => {
    const pruned = await pruneModel(loaded, masksFor(loaded.anatomy.ffn, REMOVED_SHARE));
    const { sink } = await exportAndLoad(loaded, pruned);
    const config = JSON.parse(new TextDecoder().decode(sink.bytes('config.json'))) as Record<string, unknown>;
    const originalConfig = JSON.parse(await readFile(path.join(fixtureDir('stories260K-llama'), 'config.json'), 'utf8')) as Record<string, unknown>;

    expect(config.intermediate_size).toBe(172 - Math.round(REMOVED_SHARE * 172));
    expect(config).not.toHaveProperty('gprune_intermediate_sizes');
    expect({ ...config, intermediate_size: 172 }).toEqual(originalConfig);
  });

  test('exportPrunedFolder records per-layer widths when they differ', async () => {
    const shares = [0.1, 0.2, 0.3, 0.4, 0.5];
    const pruned = await pruneModel(loaded, masksFor(loaded.anatomy.ffn, shares));
    const { sink, reloaded } = await exportAndLoad(loaded, pruned);
    const config = JSON.parse(new TextDecoder().decode(sink.bytes('config.json'))) as Record<string, unknown>;
    const widths = shares.map((s) => 172 - Math.round(s * 172));

    expect(reloaded.anatomy.ffn.map((b) => b.width)).toEqual(widths);
    expect(config.intermediate_size).toBe(Math.max(...widths));
    expect(config.gprune_intermediate_sizes).toEqual(widths);
  });

  test('exportPrunedFolder copies the other files and adds the report', async () => {
    const pruned = await pruneModel(loaded, masksFor(loaded.anatomy.ffn, REMOVED_SHARE));
    const { sink } = await exportAndLoad(loaded, pruned);
    for (const file of ['tokenizer.json', 'tokenizer_config.json', 'LICENSE']) {
      const original = new Uint8Array(await readFile(path.join(fixtureDir('stories260K-llama'), file)));
      expect(sameBytes(sink.bytes(file), original), file).toBe(true);
    }
    expect(JSON.parse(new TextDecoder().decode(sink.bytes(REPORT_FILE)))).toEqual({ method: 'test' });
  });

  test('updatedConfig drops a stale per-layer list when widths become uniform', () => {
    expect(updatedConfig({ intermediate_size: 10, gprune_intermediate_sizes: [4, 6] }, [5, 5])).toEqual({ intermediate_size: 5 });
  });
});

describe('pruneModel input checks', () => {
  let loaded: LoadedModel;

  beforeAll(async () => {
    loaded = await loadFixture('stories260K-llama');
  });

  test('pruneModel raises INVALID_ARGUMENT for a layer that keeps no neuron', async () => {
    const masks = masksFor(loaded.anatomy.ffn, REMOVED_SHARE);
    masks[2] = new Uint8Array(172);
    await expect(pruneModel(loaded, masks)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('Layer 2') });
  });

  test('pruneModel raises INVALID_ARGUMENT for a mask of the wrong length', async () => {
    const masks = masksFor(loaded.anatomy.ffn, REMOVED_SHARE);
    masks[1] = new Uint8Array(171).fill(1);
    await expect(pruneModel(loaded, masks)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('171') });
  });

  test('pruneModel raises INVALID_ARGUMENT for the wrong number of layers', async () => {
    await expect(pruneModel(loaded, masksFor(loaded.anatomy.ffn, REMOVED_SHARE).slice(0, 4))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('pruned stories260K-llama-kv generation', () => {
  test('greedy decoding with the KV cache equals full-sequence decoding', async () => {
    const loaded = await loadFixture('stories260K-llama-kv');
    const pruned = await pruneModel(loaded, masksFor(loaded.anatomy.ffn, REMOVED_SHARE));
    const { reloaded } = await exportAndLoad(loaded, pruned);
    expect(reloaded.anatomy.hasKvCache).toBe(true);
    const session = await createSession(engine, reloaded);

    const prompt = reference.prompt_ids_with_bos;
    const cached = await greedyWithCache(session, reloaded, prompt, 20);
    const full = await greedyFullSequence(session, reloaded, prompt, 20);
    await session.release();

    expect(cached.tokens).toHaveLength(20);
    expect(cached.tokens).toEqual(full.tokens);
    cached.stepLogits.forEach((logits, step) => assertClose(logits, full.stepLogits[step], { abs: 1e-4, label: `step ${step} logits` }));
  });
});
