/**
 * Export speed and memory: pruning a model and writing the pruned folder against a plain
 * copy of the same folder through the same file sink. Each measurement runs in its own
 * process (rounds interleaved), so its peak RSS is its own. Goals: export speed ≥ 0.5× copy
 * speed (in source bytes per second); peak memory well under the model size.
 *
 *   npx tsx bench/export.ts [MODEL] [--shape smollm2-135m] [--sparsity 0.3] [--rounds 3]
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../src/core/data/sample';
import { loadModel } from '../src/core/run/loaded';
import { exportPrunedFolder, pruneModel } from '../src/core/surgery';
import { nodeFolderSink, nodeModelFiles } from '../src/runtime/nodeFiles';
import { reportResult, runChild } from './lib/child';
import { commandLine, machineLine } from './lib/machine';
import { interleave, median, medianRatio, mib } from './lib/measure';
import { modelFromArgs } from './lib/models';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    shape: { type: 'string', default: 'smollm2-135m' },
    sparsity: { type: 'string', default: '0.3' },
    rounds: { type: 'string', default: '3' },
    child: { type: 'string' },
    out: { type: 'string' },
  },
});
const sparsity = Number(values.sparsity);

/** Keep-masks dropping `sparsity` of each layer's neurons at random (seeded). */
function randomMasks(widths: number[], seed: number): Uint8Array[] {
  const random = createRng(seed);
  return widths.map((width) => Uint8Array.from({ length: width }, () => (random() < sparsity ? 0 : 1)));
}

interface ChildResult {
  seconds: number;
  phases: Record<string, number>;
  sourceBytes: number;
  writtenBytes: number;
  baselineRss: number;
  maxRss: number;
}

async function runExport(modelDir: string, out: string): Promise<void> {
  const baselineRss = process.memoryUsage.rss();
  const start = performance.now();
  const loaded = await loadModel(await nodeModelFiles(modelDir));
  const loadedAt = performance.now();
  const pruned = await pruneModel(loaded, randomMasks(loaded.anatomy.ffn.map((b) => b.width), 1));
  const prunedAt = performance.now();
  const written = await exportPrunedFolder(loaded, pruned, await nodeFolderSink(out), { bench: 'export' });
  const end = performance.now();
  const sourceBytes = loaded.model.files.list().reduce((s, p) => s + loaded.model.files.get(p)!.size, 0);
  const phases = { load: (loadedAt - start) / 1000, prune: (prunedAt - loadedAt) / 1000, write: (end - prunedAt) / 1000 };
  reportResult({ seconds: (end - start) / 1000, phases, sourceBytes, writtenBytes: written.files.reduce((s, f) => s + f.bytes, 0), baselineRss });
}

async function runCopy(modelDir: string, out: string): Promise<void> {
  const baselineRss = process.memoryUsage.rss();
  const start = performance.now();
  const files = await nodeModelFiles(modelDir);
  const sink = await nodeFolderSink(out);
  let bytes = 0;
  const piece = 64 * 2 ** 20; // the piece size exportPrunedFolder copies other files with
  for (const p of files.list()) {
    const source = files.get(p)!;
    for (let offset = 0; offset < source.size; offset += piece) await sink.write(p, await source.read(offset, piece));
    bytes += source.size;
  }
  await sink.finish!();
  const seconds = (performance.now() - start) / 1000;
  reportResult({ seconds, phases: { copy: seconds }, sourceBytes: bytes, writtenBytes: bytes, baselineRss });
}

if (values.child) {
  const [modelDir] = positionals;
  await (values.child === 'export' ? runExport : runCopy)(modelDir, values.out!);
} else {
  const modelDir = await modelFromArgs(positionals[0], values.shape, '');
  const script = fileURLToPath(import.meta.url);
  const outDir = path.join(os.tmpdir(), `gprune-bench-export-${process.pid}`);
  const results: Record<'copy' | 'export', ChildResult[]> = { copy: [], export: [] };
  const measure = (kind: 'copy' | 'export') => async () => {
    const out = `${outDir}-${kind}`;
    if (existsSync(out)) await rm(out, { recursive: true });
    const result = await runChild<ChildResult>(script, [modelDir, '--child', kind, '--out', out, '--sparsity', String(sparsity)]);
    await rm(out, { recursive: true, force: true });
    results[kind].push(result);
    return result.seconds;
  };
  const times = await interleave(Number(values.rounds), { copy: measure('copy'), export: measure('export') });
  const source = results.copy[0].sourceBytes;
  const phase = (name: string) => median(results.export.map((r) => r.phases[name])).toFixed(2);
  console.log(`model ${modelDir}: ${mib(source)} in the folder; export removes ${sparsity} of each layer's FFN neurons (random, seeded)`);
  console.log(`${values.rounds} interleaved rounds, one process per measurement (medians)`);
  console.log(`machine: ${machineLine()}`);
  console.log(`command: ${commandLine()}`);
  console.log('| operation | seconds | source MiB/s | written | peak RSS | peak RSS − baseline | peak / model size |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const kind of ['copy', 'export'] as const) {
    const t = median(times[kind]);
    const peak = median(results[kind].map((r) => r.maxRss));
    const over = median(results[kind].map((r) => r.maxRss - r.baselineRss));
    console.log(`| ${kind} | ${t.toFixed(2)} | ${(source / 2 ** 20 / t).toFixed(0)} | ${mib(results[kind][0].writtenBytes)} | ${mib(peak)} | ${mib(over)} | ${(peak / source).toFixed(2)} |`);
  }
  console.log(`export phases: load ${phase('load')} s, prune ${phase('prune')} s, write ${phase('write')} s`);
  console.log(`export speed / copy speed: ${medianRatio(times.copy, times.export).toFixed(2)}× (goal ≥ 0.5)`);
}
