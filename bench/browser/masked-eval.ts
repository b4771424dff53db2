/**
 * Evaluating a pruning candidate in the browser worker. The live preview, as the studio
 * does it, computes the mean NLL through the keep-mask inputs of one long-lived session.
 * Re-export prunes the model physically, writes the pruned folder in memory, reads it
 * back, creates a new session and computes the same NLL. Both run in the same
 * cross-origin isolated Chromium worker with the studio's web engine, alternating which
 * goes first. The largest |NLL difference| of the two paths is printed as a check of the
 * masked path.
 *
 *   npx tsx bench/browser/masked-eval.ts [--layers 6] [--vocab 8192] [--candidates 8] [--windows 4] [--seqlen 128] [--batch 4] [--engine wasm]
 */
import { parseArgs } from 'node:util';
import { createRng } from '../../src/core/data/sample';
import { loadModel } from '../../src/core/run/loaded';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';
import { median, medianRatio } from '../lib/measure';
import { prepareModels, reducedSmolLm2 } from './lib/models';
import { WEBGPU_ARG, buildAndServePages, launchChromium, openPage } from './lib/pages';
import { recordHeader } from './lib/record';
import { BenchWorker } from './lib/workerPage';

const { values } = parseArgs({
  options: {
    layers: { type: 'string', default: '6' },
    vocab: { type: 'string', default: '8192' },
    candidates: { type: 'string', default: '8' },
    windows: { type: 'string', default: '4' },
    seqlen: { type: 'string', default: '128' },
    batch: { type: 'string', default: '4' },
    engine: { type: 'string', default: 'wasm' },
    'no-generated': { type: 'boolean', default: false },
  },
});
const candidates = Number(values.candidates);
const seqlen = Number(values.seqlen);
const batch = Number(values.batch);
if (values.engine !== 'wasm' && values.engine !== 'webgpu') throw new Error(`--engine ${values.engine} is invalid: use wasm or webgpu.`);

const models = await prepareModels(values['no-generated'] ? null : reducedSmolLm2(Number(values.layers), Number(values.vocab)));
const served = await buildAndServePages({ filesDir: models.root });
const browser = await launchChromium(values.engine === 'webgpu' ? [WEBGPU_ARG] : []);
const lines: string[] = [];
try {
  const page = await openPage(browser, `${served.origin}/worker.html`);
  const worker = await BenchWorker.open(page, `?engine=${values.engine}`);
  const info = await worker.engine();
  if (info.backend !== values.engine) throw new Error(`The worker chose ${info.backend}: ${info.reason}`);
  lines.push(`engine: ${info.name} in a Chromium worker (cross-origin isolated: ${info.crossOriginIsolated})`);

  const random = createRng(3);
  for (const model of models.models) {
    console.error(`measuring ${model.name} …`);
    const loaded = await loadModel(await nodeModelFiles(model.dir));
    const vocab = loaded.anatomy.vocabSize ?? 256;
    const windows = Array.from({ length: Number(values.windows) }, () => Int32Array.from({ length: seqlen }, () => Math.floor(random() * vocab)));
    const widths = loaded.anatomy.ffn.map((block) => block.width);

    await worker.openModel(model.urlPath);
    const setupSeconds = await worker.openMasked();
    await worker.maskedCandidate(widths.map((w) => new Uint8Array(w).fill(1)), windows.slice(0, 1), batch); // warm-up

    const times = { masked: [] as number[], reexport: [] as number[] };
    const phases = { export: [] as number[], session: [] as number[], evaluate: [] as number[] };
    let maxNllDiff = 0;
    for (let c = 0; c < candidates; c++) {
      const sparsity = 0.2 + (0.4 * c) / Math.max(1, candidates - 1);
      const masks = widths.map((w) => {
        const mask = Uint8Array.from({ length: w }, () => (random() < sparsity ? 0 : 1));
        mask[0] = 1; // every layer keeps at least one neuron
        return mask;
      });
      // Alternate which path runs first, so drift of the shared machine hits both alike.
      const order = c % 2 === 0 ? (['masked', 'reexport'] as const) : (['reexport', 'masked'] as const);
      const nll = { masked: NaN, reexport: NaN };
      for (const path of order) {
        const result = path === 'masked' ? await worker.maskedCandidate(masks, windows, batch) : await worker.reexportCandidate(masks, windows, batch);
        times[path].push(result.seconds);
        nll[path] = result.nll;
        if (result.phases) for (const phase of ['export', 'session', 'evaluate'] as const) phases[phase].push(result.phases[phase]);
      }
      maxNllDiff = Math.max(maxNllDiff, Math.abs(nll.masked - nll.reexport));
      console.error(`  candidate ${c}: sparsity ${sparsity.toFixed(2)}, masked ${times.masked[c].toFixed(2)} s, re-export ${times.reexport[c].toFixed(2)} s, NLL ${nll.masked.toFixed(5)} vs ${nll.reexport.toFixed(5)}`);
    }
    await worker.release();

    lines.push('');
    lines.push(`model ${model.name}: ${(loaded.anatomy.totalParameters / 1e6).toFixed(1)}M parameters; ${candidates} candidates at sparsity 0.2–0.6, ${windows.length} windows × ${seqlen} tokens, batch ${batch}`);
    lines.push(`one-time creation of the masked session: ${setupSeconds.toFixed(2)} s`);
    lines.push('');
    lines.push('| path, per candidate | median s |');
    lines.push('| --- | ---: |');
    lines.push(`| masked evaluation (live preview) | ${median(times.masked).toFixed(2)} |`);
    lines.push(`| prune + write in memory + reload + new session + evaluate | ${median(times.reexport).toFixed(2)} |`);
    lines.push(`| … of which prune + write in memory | ${median(phases.export).toFixed(2)} |`);
    lines.push(`| … of which read back + create the session | ${median(phases.session).toFixed(2)} |`);
    lines.push(`| … of which evaluate the pruned model | ${median(phases.evaluate).toFixed(2)} |`);
    lines.push('');
    lines.push(`re-export / masked time per candidate: ${medianRatio(times.reexport, times.masked).toFixed(1)}× (median of per-candidate ratios); max |NLL masked − NLL re-exported| ${maxNllDiff.toExponential(1)} nats`);
  }

  for (const line of recordHeader(browser)) console.log(line);
  for (const line of lines) console.log(line);
} finally {
  await browser.close();
  await served.close();
  await models.remove();
}
