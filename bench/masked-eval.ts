/**
 * Evaluating a pruning candidate: the live preview (one run of the mask-instrumented
 * session with the candidate's keep-masks as inputs) against re-exporting the pruned model,
 * reloading it and running it. Both compute the mean NLL of the same windows; the
 * difference of the two NLLs is printed as a check of the masked path.
 *
 *   npx tsx bench/masked-eval.ts [MODEL] [--shape smollm2-135m] [--candidates 4] [--windows 8] [--seqlen 128] [--batch 4]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../src/core/data/sample';
import { meanNll } from '../src/core/eval/perplexity';
import { createSession, loadModel } from '../src/core/run/loaded';
import { exportPrunedFolder, pruneModel } from '../src/core/surgery';
import { nodeFolderSink, nodeModelFiles } from '../src/runtime/nodeFiles';
import { createNodeEngine } from '../src/runtime/nodeEngine';
import { commandLine, machineLine } from './lib/machine';
import { median, medianRatio, seconds } from './lib/measure';
import { modelFromArgs } from './lib/models';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    shape: { type: 'string', default: 'smollm2-135m' },
    candidates: { type: 'string', default: '4' },
    windows: { type: 'string', default: '8' },
    seqlen: { type: 'string', default: '128' },
    batch: { type: 'string', default: '4' },
  },
});
const modelDir = await modelFromArgs(positionals[0], values.shape, '');
const candidates = Number(values.candidates);
const batchSize = Number(values.batch);
const engine = createNodeEngine();
const loaded = await loadModel(await nodeModelFiles(modelDir));
const random = createRng(1);
const vocab = loaded.anatomy.vocabSize ?? 256;
const windows = Array.from({ length: Number(values.windows) }, () => Int32Array.from({ length: Number(values.seqlen) }, () => Math.floor(random() * vocab)));

let masked: Awaited<ReturnType<typeof createSession>> | undefined;
const setupSeconds = await seconds(async () => (masked = await createSession(engine, loaded, { stats: false, masks: true, nll: true })));
await meanNll(masked!, loaded, windows.slice(0, 1), { batchSize }); // warm-up

const times = { masked: [] as number[], reexport: [] as number[] };
const nllDiffs: number[] = [];
const workDir = await mkdtemp(path.join(os.tmpdir(), 'gprune-bench-masked-'));
for (let c = 0; c < candidates; c++) {
  const sparsity = 0.2 + (0.4 * c) / Math.max(1, candidates - 1);
  const masks = loaded.anatomy.ffn.map((b) => Uint8Array.from({ length: b.width }, () => (random() < sparsity ? 0 : 1)));
  let maskedNll = NaN;
  let exportedNll = NaN;
  const runMasked = async () => times.masked.push(await seconds(async () => (maskedNll = (await meanNll(masked!, loaded, windows, { batchSize, overrides: { masks } })).nll)));
  const runExport = async () => {
    const out = path.join(workDir, `candidate-${c}`);
    times.reexport.push(
      await seconds(async () => {
        const pruned = await pruneModel(loaded, masks);
        await exportPrunedFolder(loaded, pruned, await nodeFolderSink(out), { candidate: c });
        const reloaded = await loadModel(await nodeModelFiles(out));
        const session = await createSession(engine, reloaded, { stats: false, masks: false, nll: true });
        exportedNll = (await meanNll(session, reloaded, windows, { batchSize })).nll;
        await session.release();
      }),
    );
    await rm(out, { recursive: true, force: true });
  };
  // Alternate which path runs first, so drift of the shared machine hits both alike.
  if (c % 2 === 0) await runMasked().then(runExport);
  else await runExport().then(runMasked);
  nllDiffs.push(Math.abs(maskedNll - exportedNll));
  console.error(`candidate ${c}: sparsity ${sparsity.toFixed(2)}, masked ${times.masked[c].toFixed(2)} s, re-export ${times.reexport[c].toFixed(2)} s, NLL ${maskedNll.toFixed(5)} vs ${exportedNll.toFixed(5)}`);
}
await rm(workDir, { recursive: true, force: true });
await masked!.release();

const tokens = windows.length * Number(values.seqlen);
console.log(`model ${modelDir}: ${(loaded.anatomy.totalParameters / 1e6).toFixed(1)}M parameters; ${candidates} candidates at sparsity 0.2–0.6, ${windows.length} windows × ${values.seqlen} tokens (${tokens} tokens), batch ${batchSize}`);
console.log(`machine: ${machineLine()}`);
console.log(`command: ${commandLine()}`);
console.log(`one-time setup of the masked session: ${setupSeconds.toFixed(1)} s`);
console.log('| path | seconds per candidate (median) |');
console.log('| --- | ---: |');
console.log(`| masked evaluation (live preview) | ${median(times.masked).toFixed(2)} |`);
console.log(`| prune + export + reload + evaluate | ${median(times.reexport).toFixed(2)} |`);
console.log(`re-export / masked time per candidate: ${medianRatio(times.reexport, times.masked).toFixed(1)}×; max |NLL masked − NLL exported| ${Math.max(...nllDiffs).toExponential(1)}`);
