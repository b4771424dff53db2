/**
 * Engines side by side: onnxruntime-web (the studio's web engine, WASM with threads, in a
 * cross-origin isolated Chromium worker) against onnxruntime-node, on the same models and
 * the same token windows in interleaved rounds. Prints tokens/s of a forward pass that
 * fetches the logits, the model's GFLOP/s, and each engine's MatMul GFLOP/s
 * (X[rows, 1024] · W[1024, 4096]) that the model's rate is compared with.
 *
 *   npx tsx bench/browser/engines.ts [--layers 6] [--vocab 8192] [--windows 4] [--seqlen 128] [--batch 4] [--rounds 5] [--threads 2] [--peak-rows 512] [--web auto]
 *
 * `--web` lists the browser backends: `wasm`, `webgpu`, or `auto` (WASM, plus WebGPU when
 * Chromium offers a hardware adapter). Asking for webgpu launches Chromium with
 * --enable-unsafe-webgpu and without --disable-gpu; on a machine without a usable GPU
 * Chromium then offers only its SwiftShader software adapter, about 40× slower than WASM.
 */
import { parseArgs } from 'node:util';
import type { SessionHandle } from '../../src/core/engine';
import { createRng } from '../../src/core/data/sample';
import { buildFeeds, layoutBatch } from '../../src/core/run/feeds';
import { type LoadedModel, createSession, loadModel } from '../../src/core/run/loaded';
import { createNodeEngine } from '../../src/runtime/nodeEngine';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';
import { median, medianRatio, seconds } from '../lib/measure';
import { type BenchModel, prepareModels, reducedSmolLm2 } from './lib/models';
import { CHROMIUM_ARGS, WEBGPU_ARG, buildAndServePages, launchChromium, openPage } from './lib/pages';
import { recordHeader } from './lib/record';
import { BenchWorker } from './lib/workerPage';
import { forwardFlops, forwardShape } from './shared/flops';
import { matmulFlops, matmulInput, matmulModelBytes } from './shared/matmulModel';

const { values } = parseArgs({
  options: {
    layers: { type: 'string', default: '6' },
    vocab: { type: 'string', default: '8192' },
    windows: { type: 'string', default: '4' },
    seqlen: { type: 'string', default: '128' },
    batch: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
    'peak-rows': { type: 'string', default: '512' },
    'peak-runs': { type: 'string', default: '5' },
    web: { type: 'string', default: 'auto' },
    'no-generated': { type: 'boolean', default: false },
  },
});
const windowCount = Number(values.windows);
const seqlen = Number(values.seqlen);
const batch = Number(values.batch);
const rounds = Number(values.rounds);
const threads = Number(values.threads);
const peakRows = Number(values['peak-rows']);
const peakRuns = Number(values['peak-runs']);
const webRequest = values.web.split(',').map((b) => b.trim());
for (const backend of webRequest) if (!['auto', 'wasm', 'webgpu'].includes(backend)) throw new Error(`--web ${values.web} is invalid: list auto, wasm or webgpu.`);
const wantsWebGpu = webRequest.includes('webgpu') || webRequest.includes('auto');

interface Variant {
  name: string;
  /** Seconds of one MatMul run, per run. */
  matmul: () => Promise<number[]>;
  open: (model: BenchModel) => Promise<number>;
  forward: (windows: Int32Array[]) => Promise<number>;
  close: () => Promise<void>;
}

function nodeVariant(): Variant {
  const engine = createNodeEngine({ threads });
  let matmul: SessionHandle | null = null;
  let loaded: LoadedModel | null = null;
  let session: SessionHandle | null = null;
  return {
    name: engine.name,
    async matmul() {
      matmul ??= await engine.createSession(matmulModelBytes(), []);
      const feeds = { X: { type: 'float32' as const, data: matmulInput(peakRows), dims: [peakRows, 1024] } };
      await matmul.run(feeds, ['Y']);
      const times: number[] = [];
      for (let i = 0; i < peakRuns; i++) times.push(await seconds(() => matmul!.run(feeds, ['Y'])));
      return times;
    },
    async open(model) {
      await session?.release();
      loaded = await loadModel(await nodeModelFiles(model.dir));
      return seconds(async () => (session = await createSession(engine, loaded!)));
    },
    forward: (windows) =>
      seconds(async () => {
        for (let i = 0; i < windows.length; i += batch) {
          await session!.run(buildFeeds(session!.inputNames, loaded!.anatomy, layoutBatch(windows.slice(i, i + batch)), {}, loaded!.kv), [loaded!.anatomy.logits]);
        }
      }),
    async close() {
      await session?.release();
      await matmul?.release();
    },
  };
}

function webVariant(worker: BenchWorker, name: string): Variant {
  return {
    name,
    matmul: () => worker.matmulTimes(peakRows, peakRuns),
    open: async (model) => (await worker.openModel(model.urlPath)).createSeconds,
    forward: (windows) => worker.forwardSeconds(windows, batch),
    close: () => worker.close(),
  };
}

/** Workers for the requested browser backends, each checked to run the backend it was asked for. */
async function openWebVariants(page: Awaited<ReturnType<typeof openPage>>): Promise<Variant[]> {
  const variants: Variant[] = [];
  const backends = new Set(webRequest.filter((b) => b !== 'auto'));
  if (webRequest.includes('auto')) {
    backends.add('wasm');
    const probe = await BenchWorker.open(page, `?threads=${threads}`);
    const info = await probe.engine();
    print(`auto engine choice: ${info.name}: ${info.reason}`);
    if (info.backend === 'webgpu') backends.add('webgpu');
    await probe.close();
  }
  for (const backend of backends) {
    const worker = await BenchWorker.open(page, `?engine=${backend}&threads=${threads}`);
    const info = await worker.engine();
    if (info.backend !== backend) throw new Error(`The ${backend} worker chose ${info.backend}: ${info.reason}`);
    if (backend === 'wasm' && !info.crossOriginIsolated) throw new Error('The bench page is not cross-origin isolated, so WASM would run on one thread.');
    variants.push(webVariant(worker, `${info.name}${info.fallbackAdapter && backend === 'webgpu' ? ' on a software adapter' : ''} in a Chromium worker`));
  }
  return variants;
}

const generated = values['no-generated'] ? null : reducedSmolLm2(Number(values.layers), Number(values.vocab));
const models = await prepareModels(generated);
const served = await buildAndServePages({ filesDir: models.root });
const browser = await launchChromium(wantsWebGpu ? [WEBGPU_ARG] : []);
const lines: string[] = [];
const print = (line: string) => lines.push(line);
try {
  const page = await openPage(browser, `${served.origin}/worker.html`);
  const variants = [nodeVariant(), ...(await openWebVariants(page))];
  print(`Chromium flags: ${(wantsWebGpu ? [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), WEBGPU_ARG] : CHROMIUM_ARGS).join(' ')}`);

  // MatMul rates, interleaved: every round runs each engine `peakRuns` times.
  const matmulTimes = variants.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => i).reverse();
    for (const i of order) matmulTimes[i].push(...(await variants[i].matmul()));
  }
  const matmulRates = matmulTimes.map((times) => matmulFlops(peakRows) / median(times) / 1e9);

  const random = createRng(1);
  for (const model of models.models) {
    console.error(`measuring ${model.name} …`);
    const creates = [] as number[];
    for (const variant of variants) creates.push(await variant.open(model));
    const loaded = await loadModel(await nodeModelFiles(model.dir));
    const vocab = loaded.anatomy.vocabSize ?? 256;
    const windows = Array.from({ length: windowCount }, () => Int32Array.from({ length: seqlen }, () => Math.floor(random() * vocab)));
    for (const variant of variants) await variant.forward(windows); // warm-up

    const times = variants.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => i).reverse();
      for (const i of order) times[i].push(await variants[i].forward(windows));
    }

    const tokens = windowCount * seqlen;
    const flops = forwardFlops(forwardShape(loaded.config ?? {}), loaded.anatomy.totalParameters, seqlen, windowCount);
    print('');
    print(`model ${model.name}: ${(loaded.anatomy.totalParameters / 1e6).toFixed(1)}M parameters, ${(flops / tokens / 1e6).toFixed(1)} MFLOP per token at ${seqlen} tokens; ${windowCount} windows × ${seqlen} tokens, batch ${batch}, ${rounds} interleaved rounds (medians)`);
    print('');
    print('| engine | session create | tokens/s | model GFLOP/s | MatMul GFLOP/s | model / MatMul |');
    print('| --- | ---: | ---: | ---: | ---: | ---: |');
    variants.forEach((variant, i) => {
      const rate = flops / median(times[i]) / 1e9;
      print(`| ${variant.name} | ${creates[i].toFixed(2)} s | ${(tokens / median(times[i])).toFixed(0)} | ${rate.toFixed(1)} | ${matmulRates[i].toFixed(1)} | ${(rate / matmulRates[i]).toFixed(2)} |`);
    });
    print('');
    for (let i = 1; i < variants.length; i++) {
      print(`${variants[0].name} is ${medianRatio(times[i], times[0]).toFixed(2)}× as fast as ${variants[i].name} on this model (median of per-round time ratios); MatMul rate ratio ${(matmulRates[0] / matmulRates[i]).toFixed(2)}×`);
    }
  }
  for (const variant of variants) await variant.close();

  for (const line of recordHeader(browser)) console.log(line);
  console.log(`MatMul: X[${peakRows}, 1024] · W[1024, 4096], ${peakRuns} runs per round, GFLOP/s of the median run`);
  for (const line of lines) console.log(line);
} finally {
  await browser.close();
  await served.close();
  await models.remove();
}
