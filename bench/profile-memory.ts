/**
 * Profiling memory: statistics of a multi-hundred-MB model with fixed batch sizes and with
 * `batchSize: 'auto'` (chooseBatchSize with a budget of a quarter of os.freemem()). Each
 * configuration runs in its own process. The table gives the chosen batch, tokens/s and
 * the estimated activation bytes of one run. It sets them beside the RSS measured during
 * profiling, above the RSS after the session was created.
 *
 *   npx tsx bench/profile-memory.ts [MODEL] [--shape smollm2-360m] [--windows 64] [--seqlen 128] [--batches 1,4,16,auto]
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../src/core/data/sample';
import { profileWindows } from '../src/core/profile/profile';
import { batchMemoryFacts, resolveBatchSize, windowActivationBytes } from '../src/core/run/batchSize';
import { createSession, loadModel } from '../src/core/run/loaded';
import { nodeModelFiles } from '../src/runtime/nodeFiles';
import { reportResult, runChild } from './lib/child';
import { createNodeEngine } from '../src/runtime/nodeEngine';
import { commandLine, machineLine } from './lib/machine';
import { RssSampler, mib } from './lib/measure';
import { modelFromArgs } from './lib/models';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    shape: { type: 'string', default: 'smollm2-360m' },
    windows: { type: 'string', default: '64' },
    seqlen: { type: 'string', default: '128' },
    batches: { type: 'string', default: '1,4,16,auto' },
    child: { type: 'string' },
  },
});

interface ChildResult {
  batch: number;
  budget: number;
  estimate: number;
  tokensPerSecond: number;
  sessionSeconds: number;
  afterSessionRss: number;
  profilePeakRss: number;
  modelBytes: number;
  maxRss: number;
}

async function runProfile(modelDir: string, batchOption: string): Promise<void> {
  const loaded = await loadModel(await nodeModelFiles(modelDir));
  const started = performance.now();
  const session = await createSession(createNodeEngine(), loaded, { stats: true, masks: false, nll: false });
  const sessionSeconds = (performance.now() - started) / 1000;
  (globalThis as { gc?: () => void }).gc?.(); // settle the JS heap before the baseline
  const afterSessionRss = process.memoryUsage.rss();

  const seqlen = Number(values.seqlen);
  const random = createRng(2);
  const vocab = loaded.anatomy.vocabSize ?? 256;
  const windows = Array.from({ length: Number(values.windows) }, () => Int32Array.from({ length: seqlen }, () => Math.floor(random() * vocab)));
  // NOTE: the budget policy of this benchmark (a quarter of free memory); the CLI does not offer 'auto' yet.
  const budget = os.freemem() / 4;
  const batchSize = batchOption === 'auto' ? 'auto' : Number(batchOption);
  const batch = resolveBatchSize(batchSize, loaded, windows, budget);

  const sampler = new RssSampler().start();
  const profileStart = performance.now();
  await profileWindows(session, loaded, 'random', windows, { batchSize, memoryBudget: budget });
  const profileSeconds = (performance.now() - profileStart) / 1000;
  const profilePeakRss = sampler.stop();
  const modelBytes = loaded.model.files.list().filter((p) => p.includes('.onnx')).reduce((s, p) => s + loaded.model.files.get(p)!.size, 0);
  reportResult({
    batch,
    budget,
    estimate: batch * windowActivationBytes(batchMemoryFacts(loaded, seqlen)),
    tokensPerSecond: (windows.length * seqlen) / profileSeconds,
    sessionSeconds,
    afterSessionRss,
    profilePeakRss,
    modelBytes,
  });
  await session.release();
}

if (values.child) {
  await runProfile(positionals[0], values.child);
} else {
  const modelDir = await modelFromArgs(positionals[0], values.shape, '');
  const script = fileURLToPath(import.meta.url);
  const rows: [string, ChildResult][] = [];
  for (const option of values.batches!.split(',')) {
    const result = await runChild<ChildResult>(script, [modelDir, '--child', option, '--windows', values.windows!, '--seqlen', values.seqlen!]);
    rows.push([option, result]);
    console.error(`batch ${option}: ${JSON.stringify(result)}`);
  }
  const first = rows[0][1];
  console.log(`model ${modelDir}: ${mib(first.modelBytes)} of .onnx and .onnx_data; ${values.windows} windows × ${values.seqlen} random tokens; one process per row`);
  console.log(`machine: ${machineLine()}`);
  console.log(`command: ${commandLine()}`);
  console.log('| batchSize | batch | tokens/s | estimated activations | RSS after session | profiling peak RSS | peak − after session | process max RSS | max RSS / model |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [option, r] of rows) {
    const label = option === 'auto' ? `auto (budget ${mib(r.budget)})` : option;
    console.log(`| ${label} | ${r.batch} | ${r.tokensPerSecond.toFixed(0)} | ${mib(r.estimate)} | ${mib(r.afterSessionRss)} | ${mib(r.profilePeakRss)} | ${mib(r.profilePeakRss - r.afterSessionRss)} | ${mib(r.maxRss)} | ${(r.maxRss / r.modelBytes).toFixed(2)} |`);
  }
}
