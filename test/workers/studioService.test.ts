import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { isGpruneError } from '../../src/core/errors';
import { DEFAULT_CALIBRATION_CONFIG } from '../../src/core/pipeline/calibration';
import { DEFAULT_PRUNE_SETTINGS } from '../../src/core/session/pruneSettings';
import type { JobProgress, ModelFileInput } from '../../workers/studio/api';
import { StudioService } from '../../workers/studio/service';
import { MemoryStatsCache } from '../../workers/studio/statsCache';
import { REPO_ROOT, SHARED_DIR, fixtureDir, testEngine } from '../helpers/fixtures';

const FIXTURE = fixtureDir('stories260K-llama');
const calibration = { ...DEFAULT_CALIBRATION_CONFIG, samples: 4, seqlen: 48, batchSize: 4, heldOutSamples: 2 };

/** Every file of the fixture folder as a Blob, under the folder's own name as a drop gives it. */
function droppedFolder(dir: string): ModelFileInput[] {
  const out: ModelFileInput[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(dir, relative))) {
      const child = relative ? `${relative}/${name}` : name;
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else out.push({ path: `stories260K-llama/${child}`, file: new Blob([readFileSync(path.join(dir, child))]) });
    }
  };
  walk('');
  return out;
}

function textBlob(file: string): Blob {
  return new Blob([readFileSync(file)]);
}

function newService(cache = new MemoryStatsCache()): StudioService {
  return new StudioService(async () => testEngine(), (engine) => ({ name: engine.name, reason: engine.reason, backend: 'node', threads: 1, crossOriginIsolated: false }), cache);
}

describe('StudioService on stories260K', () => {
  const cache = new MemoryStatsCache();
  const service = newService(cache);
  const events: JobProgress[] = [];

  beforeAll(async () => {
    await service.openModel({ kind: 'files', label: 'stories260K-llama', files: droppedFolder(FIXTURE) }, 1);
    await service.addDataset({ id: 'tinystories', builtin: false, file: textBlob(path.join(SHARED_DIR, 'assets/tinystories-valid/validation_100.txt')) });
    await service.addDataset({ id: 'docs', builtin: true, file: textBlob(path.join(REPO_ROOT, 'public/datasets/docs-calib.txt')) });
    await service.profile({ datasets: ['tinystories', 'docs'], calibration }, 2, (event) => events.push(event));
  });

  it('openModel() summarizes the dropped folder', async () => {
    const summary = await service.openModel({ kind: 'files', label: 'stories260K-llama', files: droppedFolder(FIXTURE) }, 3);
    await service.profile({ datasets: ['tinystories', 'docs'], calibration }, 4);
    const config = JSON.parse(readFileSync(path.join(FIXTURE, 'config.json'), 'utf8'));
    expect(summary.modelPath).toBe('onnx/model.onnx');
    expect(summary.layers).toBe(config.num_hidden_layers);
    expect(summary.ffnWidths).toEqual(Array(config.num_hidden_layers).fill(config.intermediate_size));
    expect(summary.modelBytes).toBe(statSync(path.join(FIXTURE, 'onnx/model.onnx')).size);
    const expected = createHash('sha256').update(readFileSync(path.join(FIXTURE, 'onnx/model.onnx'))).digest('hex');
    expect(summary.fingerprint).toBe(expected);
  });

  it('profile() reports token progress up to the total', () => {
    const profile = events.filter((e) => e.phase === 'profile');
    expect(profile.length).toBeGreaterThan(1);
    const last = profile[profile.length - 1];
    expect(last.done).toBe(last.total);
    expect(last.total).toBe(2 * calibration.samples * calibration.seqlen);
    for (let i = 1; i < profile.length; i++) expect(profile[i].done).toBeGreaterThanOrEqual(profile[i - 1].done);
  });

  it('profile() reuses cached statistics', async () => {
    expect(cache.entries.size).toBe(2);
    const again = await service.profile({ datasets: ['tinystories', 'docs'], calibration }, 5);
    expect(again.datasets.map((d) => d.cached)).toEqual([true, true]);
    const other = await service.profile({ datasets: ['tinystories'], calibration: { ...calibration, seed: 9 } }, 6);
    expect(other.datasets[0].cached).toBe(false);
    await service.profile({ datasets: ['tinystories', 'docs'], calibration }, 7);
  });

  it('plan() returns modules and the analysis', async () => {
    const plan = await service.plan({ ...DEFAULT_PRUNE_SETTINGS, sparsity: 0.3 });
    expect(plan.method).toMatch(/^gprune\(flap/);
    const layers = new Set(plan.modules.map((m) => m.layer));
    expect(layers.size).toBe(5);
    for (const layer of layers) expect(plan.modules.filter((m) => m.layer === layer).reduce((s, m) => s + m.size, 0)).toBe(172);
    const kept = plan.modules.reduce((sum, m, i) => sum + plan.moduleKeepCounts[i] * m.paramsPerNeuron, 0);
    expect(kept).toBe(plan.ffnParametersAfter);
    expect(plan.analysis!.datasets).toEqual(['tinystories', 'docs']);
    expect(plan.analysis!.spearman[0][0]).toBe(1);
    expect(plan.analysis!.ranks[1][4].length).toBe(172);
    expect(plan.analysis!.overlapPerLayer.length).toBe(5);
  });

  it('estimateLoss() is lower for the dense counts than for the plan', async () => {
    const plan = await service.plan({ ...DEFAULT_PRUNE_SETTINGS, sparsity: 0.5 });
    const pruned = await service.estimateLoss(plan.moduleKeepCounts, 8);
    const dense = await service.estimateLoss(plan.modules.map((m) => m.size), 9);
    expect(Number.isFinite(pruned.loss)).toBe(true);
    expect(dense.loss).toBeLessThan(pruned.loss);
    expect(dense.tokens).toBe(pruned.tokens);
    expect(dense.ffnParametersAfter).toBe(plan.ffnParametersBefore);
  });

  it('learn() never ends above the prior loss and keeps the budget', async () => {
    const plan = await service.plan({ ...DEFAULT_PRUNE_SETTINGS, sparsity: 0.3 });
    const progress: JobProgress[] = [];
    const learned = await service.learn(5, 10, (event) => progress.push(event));
    expect(learned.loss).toBeLessThanOrEqual(learned.priorLoss);
    expect(learned.evaluations).toBeLessThanOrEqual(5);
    const params = (counts: number[]) => plan.modules.reduce((sum, m, i) => sum + counts[i] * m.paramsPerNeuron, 0);
    expect(params(learned.moduleKeepCounts)).toBe(params(plan.moduleKeepCounts));
    expect(progress.at(-1)?.phase).toBe('search');
  });

  it('evaluate() rates the dense model and a saved variant', async () => {
    const plan = await service.plan({ ...DEFAULT_PRUNE_SETTINGS, method: 'baseline', metric: 'wanda-sp', sparsity: 0.5 });
    await service.saveVariant({ id: 'half', label: 'wanda-sp 50%', moduleKeepCounts: plan.moduleKeepCounts });
    const result = await service.evaluate({ datasets: ['tinystories'], seqlen: 64, maxWindows: 4, variants: ['dense', 'half'], batchSize: 4 }, 11);
    expect(result.rows.map((r) => r.variant)).toEqual(['dense', 'half']);
    expect(result.rows[0].tokens).toBe(4 * 63);
    expect(result.rows[1].perplexity).toBeGreaterThan(result.rows[0].perplexity);
    expect(result.protocol.tinystories).toMatch(/64 tokens/);
  });

  it('exportZip() writes a smaller model that onnxruntime-node runs', async () => {
    const plan = await service.plan({ ...DEFAULT_PRUNE_SETTINGS, sparsity: 0.4 });
    const result = await service.exportZip({ moduleKeepCounts: plan.moduleKeepCounts, folder: 'stories-pruned', session: { note: 'test' } }, 12);
    const files = unzipSync(new Uint8Array(await result.zip!.arrayBuffer()));
    const model = files['stories-pruned/onnx/model.onnx'];
    expect(model.byteLength).toBeLessThan(statSync(path.join(FIXTURE, 'onnx/model.onnx')).size);
    expect(result.modelBytesAfter).toBe(model.byteLength);
    expect(files['stories-pruned/tokenizer.json'].byteLength).toBe(statSync(path.join(FIXTURE, 'tokenizer.json')).size);
    const report = JSON.parse(new TextDecoder().decode(files['stories-pruned/gprune_report.json']));
    expect(report.session).toEqual({ note: 'test' });
    expect(report.layers.map((l: { neuronsAfter: number }) => l.neuronsAfter)).toEqual(result.widths);

    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
    const ids = [1, 400, 300, 20];
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, 4]) };
    if (session.inputNames.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n]), [1, 4]);
    if (session.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from([0n, 1n, 2n, 3n]), [1, 4]);
    const out = await session.run(feeds);
    expect(out.logits.dims).toEqual([1, 4, 512]);
    await session.release();
  });

  it('cancel() stops a running profile with CANCELLED', async () => {
    const running = service.profile({ datasets: ['tinystories', 'docs'], calibration: { ...calibration, seed: 42, samples: 32 } }, 13);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await service.cancel(13);
    const error = await running.then(() => null, (e: unknown) => e);
    expect(isGpruneError(error)).toBe(true);
    expect((error as { code?: string }).code).toBe('CANCELLED');
  });

  it('estimateLoss() before a plan names the missing step', async () => {
    const fresh = newService();
    await fresh.openModel({ kind: 'files', label: 'stories260K-llama', files: droppedFolder(FIXTURE) }, 1);
    await expect(fresh.estimateLoss([1], 2)).rejects.toThrow(/No pruning plan/);
  });
});
