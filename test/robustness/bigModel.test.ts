/**
 * A model over 2 GiB end to end. The test generates a LLaMA-shaped model of random weights
 * with external data chunks, opens and analyses it, and profiles two short windows with
 * onnxruntime-node (external data passed as file paths). Then it prunes the model, exports
 * it streaming, and checks the memory of each step against a bound stated from the sizes.
 *
 * It writes about 4 GB to the temporary folder and takes about a minute on a 2-core machine;
 * GPRUNE_SKIP_BIG_MODEL=1 skips it where the disk is too small.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSession, loadModel, type LoadedModel } from '../../src/core/run/loaded';
import { profileWindows } from '../../src/core/profile/profile';
import { summarizeWeights } from '../../src/core/profile/weights';
import { DEFAULT_BASELINE_CONFIG, planBaseline } from '../../src/core/prune/baseline';
import type { DatasetStats } from '../../src/core/stats/types';
import { exportPrunedFolder, pruneModel, type PrunedModel } from '../../src/core/surgery';
import { presetShape, writeLlamaModel } from '../../src/core/synth';
import { modelDimensions } from '../../src/core/estimate';
import { createNodeEngine } from '../../src/runtime/nodeEngine';
import { nodeFolderSink, nodeModelFiles } from '../../src/runtime/nodeFiles';
import { makeTempDir } from '../helpers/fixtures';
import { runLogits } from '../helpers/run';

const RUN = process.env.GPRUNE_SKIP_BIG_MODEL !== '1';
const MIB = 2 ** 20;
/** External data chunk size: the 2.2 GB of weights land in five files. */
const CHUNK_BYTES = 512 * MIB;
/** Room for V8, onnxruntime's arenas and code, whatever the model size. */
const SLACK = 512 * MIB;

/** Peak resident set size while `step` runs, sampled every 20 ms, above the size when it started. */
async function measureGrowth<T>(step: () => Promise<T>): Promise<{ value: T; growth: number; seconds: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const value = await step();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growth: peak - start, seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(sampler);
  }
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;

describe.skipIf(!RUN)('model over 2 GiB', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  const shape = presetShape('big');
  const report: string[] = [];
  let loaded: LoadedModel;
  let stats: DatasetStats;
  let pruned: PrunedModel;
  let largestTensor = 0;
  let replacedBytes = 0;
  let startRss = 0;

  beforeAll(async () => {
    temp = await makeTempDir('big');
    startRss = process.memoryUsage().rss;
  });

  afterAll(async () => {
    await temp?.remove();
    if (report.length) console.log(`big model (${shape.name}):\n  ${report.join('\n  ')}`);
  });

  test('writeLlamaModel streams over 2 GiB into chunks in memory near the largest tensor', async () => {
    const folder = path.join(temp.dir, 'big');
    const { value: result, growth, seconds } = await measureGrowth(async () => writeLlamaModel(shape, { seed: 1 }, await nodeFolderSink(folder), { chunkBytes: CHUNK_BYTES }));
    const chunks = result.files.filter((f) => /\.onnx_data(_\d+)?$/.test(f.path));
    expect(result.weightBytes).toBeGreaterThan(2 ** 31);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    for (const chunk of chunks) expect(chunk.bytes).toBeLessThanOrEqual(CHUNK_BYTES);
    largestTensor = shape.vocab * shape.hidden * 4;
    report.push(`generate: ${mib(result.weightBytes)} in ${chunks.length} chunks, ${seconds.toFixed(1)} s, RSS +${mib(growth)} (largest tensor ${mib(largestTensor)})`);
    // The generator keeps one float32 tensor and its bytes; allow four copies.
    expect(growth).toBeLessThan(4 * largestTensor + SLACK);
  }, 600_000);

  test('loadModel parses and analyses without reading weights', async () => {
    const { value, growth, seconds } = await measureGrowth(async () => loadModel(await nodeModelFiles(path.join(temp.dir, 'big'))));
    loaded = value;
    const dims = modelDimensions(loaded);
    report.push(`load: ${seconds.toFixed(1)} s, RSS +${mib(growth)}`);
    expect(loaded.anatomy.ffn).toHaveLength(shape.layers);
    expect(loaded.anatomy.ffn.every((b) => b.width === shape.intermediate && b.hidden === shape.hidden)).toBe(true);
    expect(dims.largestTensorBytes).toBe(largestTensor);
    expect(dims.embeddedWeightBytes).toBe(0);
    expect(growth).toBeLessThan(SLACK);
  }, 600_000);

  test('profileWindows runs two windows with external data given as file paths', async () => {
    const weightBytes = modelDimensions(loaded).weightBytes;
    const windows = [0, 1].map((w) => Int32Array.from({ length: 32 }, (_, i) => (w * 7919 + i * 104729) % shape.vocab));
    const { value, growth, seconds } = await measureGrowth(async () => {
      const session = await createSession(createNodeEngine({ threads: 2 }), loaded, { stats: true, masks: false, nll: false });
      try {
        return await profileWindows(session, loaded, 'random-ids', windows, { batchSize: 2 });
      } finally {
        await session.release();
      }
    });
    stats = value;
    report.push(`profile: 2 × 32 tokens, ${seconds.toFixed(1)} s, RSS +${mib(growth)} (weights ${mib(weightBytes)})`);
    expect(stats.layers).toHaveLength(shape.layers);
    expect(stats.layers[0].n).toBe(64);
    expect(stats.layers.every((layer) => layer.s2.some((v) => v > 0) && layer.s2.every(Number.isFinite))).toBe(true);
    // onnxruntime keeps one copy of the weights, and JS must not keep another.
    expect(growth).toBeLessThan(weightBytes + 4 * largestTensor + SLACK);
  }, 600_000);

  test('pruneModel and exportPrunedFolder stream the pruned model to disk', async () => {
    const pruneStep = await measureGrowth(async () => {
      const plan = planBaseline({ ...DEFAULT_BASELINE_CONFIG, metric: 'flap', sparsity: 0.3 }, await summarizeWeights(loaded), [stats]);
      const means = stats.layers.map((layer) => Array.from(layer.s1, (s) => s / layer.n));
      return { plan, pruned: await pruneModel(loaded, plan.masks, { meanActivation: means }) };
    });
    pruned = pruneStep.value.pruned;
    replacedBytes = [...pruned.replaced.values()].reduce((sum, data) => sum + (typeof data === 'function' ? 0 : data.byteLength), 0);
    // Sliced weights are produced lazily by the writer; only small biases are held here.
    report.push(`prune: ${pruneStep.seconds.toFixed(1)} s, RSS +${mib(pruneStep.growth)} (bytes held: ${mib(replacedBytes)})`);
    expect(pruneStep.growth).toBeLessThan(replacedBytes + 4 * largestTensor + SLACK);

    const out = path.join(temp.dir, 'pruned');
    const exportStep = await measureGrowth(async () => exportPrunedFolder(loaded, pruned, await nodeFolderSink(out), { test: 'bigModel' }, { chunkBytes: CHUNK_BYTES }));
    report.push(`export: ${mib(exportStep.value.weightBytes)} of weights, ${exportStep.seconds.toFixed(1)} s, RSS +${mib(exportStep.growth)}`);
    // writeOnnxModel reads, writes and drops one tensor at a time.
    expect(exportStep.growth).toBeLessThan(4 * largestTensor + SLACK);

    const files = await fs.readdir(path.join(out, 'onnx'));
    expect(files.filter((f) => f.includes('.onnx_data')).length).toBeGreaterThanOrEqual(3);
    const reloaded = await loadModel(await nodeModelFiles(out));
    expect(reloaded.anatomy.ffn.map((b) => b.width)).toEqual(pruneStep.value.plan.keepCounts);
    expect(modelDimensions(reloaded).weightBytes).toBe(modelDimensions(loaded).weightBytes - pruned.removedBytes);
  }, 600_000);

  test('whole run peak memory within bound', () => {
    // RSS does not shrink when onnxruntime releases its weights, because the allocator keeps
    // the pages for reuse. Later steps can hide in the growth of earlier ones, so the process
    // peak is checked too.
    const peakGrowth = process.resourceUsage().maxRSS * 1024 - startRss;
    const weightBytes = modelDimensions(loaded).weightBytes;
    report.push(`whole run: peak RSS +${mib(peakGrowth)} (bound: weights ${mib(weightBytes)} + sliced ${mib(replacedBytes)} + 4 × ${mib(largestTensor)} + ${mib(SLACK)})`);
    expect(peakGrowth).toBeLessThan(weightBytes + replacedBytes + 4 * largestTensor + SLACK);
  });

  test('pruned export runs in onnxruntime-node', async () => {
    const reloaded = await loadModel(await nodeModelFiles(path.join(temp.dir, 'pruned')));
    const session = await createSession(createNodeEngine({ threads: 2 }), reloaded);
    const logits = await runLogits(session, reloaded, [[1, 2, 3, 4, 5, 6, 7, 8]]);
    await session.release();
    expect(logits.length).toBe(8 * shape.vocab);
    expect(logits.every(Number.isFinite)).toBe(true);
  }, 600_000);
});
