/**
 * Engines side by side: onnxruntime-web's WASM backend running in Node against
 * onnxruntime-node on the same model and tokens. Prints tokens/s of a forward pass and the
 * model's GFLOP/s next to each engine's measured MatMul peak (X[512,1024] · W[1024,4096]).
 *
 *   npx tsx bench/engines.ts [MODEL] [--shape smollm2-135m] [--windows N] [--seqlen N] [--batch N] [--rounds N] [--threads N]
 *
 * The browser variant (onnxruntime-web in a cross-origin isolated Chromium worker) is
 * bench/browser/engines.ts.
 */
import { toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { parseArgs } from 'node:util';
import { createRng } from '../src/core/data/sample';
import type { SessionHandle } from '../src/core/engine';
import { DataType } from '../src/core/onnx/dtype';
import { makeInitializer, makeNode, makeValueInfo } from '../src/core/onnx/graph';
import { buildFeeds, layoutBatch } from '../src/core/run/feeds';
import { type LoadedModel, createSession, loadModel } from '../src/core/run/loaded';
import { fillUniform } from '../src/core/synth';
import { nodeModelFiles } from '../src/runtime/nodeFiles';
import { create } from '@bufbuild/protobuf';
import { GraphProtoSchema, OperatorSetIdProtoSchema } from 'onnx-buf';
import { createNodeEngine } from '../src/runtime/nodeEngine';
import { createWebEngine } from './lib/engines';
import { commandLine, machineLine } from './lib/machine';
import { interleave, median, medianRatio, seconds } from './lib/measure';
import { modelFromArgs } from './lib/models';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    shape: { type: 'string', default: 'smollm2-135m' },
    windows: { type: 'string', default: '4' },
    seqlen: { type: 'string', default: '128' },
    batch: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
  },
});
const threads = Number(values.threads);
const windows = Number(values.windows);
const seqlen = Number(values.seqlen);
const batch = Number(values.batch);
const rounds = Number(values.rounds);
const modelDir = await modelFromArgs(positionals[0], values.shape, '');
const loaded = await loadModel(await nodeModelFiles(modelDir));

/** Returns the floating-point operations of one forward pass over `windowCount` windows of `sequence` tokens. */
function forwardFlops(model: LoadedModel, sequence: number, windowCount: number): number {
  const config = model.config ?? {};
  const layers = Number(config.num_hidden_layers);
  const hidden = Number(config.hidden_size);
  const heads = Number(config.num_attention_heads);
  const headDim = Number(config.head_dim ?? hidden / heads);
  const vocab = Number(config.vocab_size);
  // Every 2-D weight is one multiply-add per token; the embedding is a lookup, not a product.
  const matmulParameters = model.anatomy.totalParameters - vocab * hidden * (config.tie_word_embeddings ? 0 : 1) - (2 * layers + 1) * hidden;
  const attention = layers * 2 * 2 * heads * headDim * sequence; // q·kᵀ and p·v over all keys, per token
  return windowCount * sequence * (2 * matmulParameters + attention);
}

const PEAK_ROWS = 512;

/** Builds a one-MatMul model: X[n, 1024] · W[1024, 4096] with a random W. */
function matmulModel(): Uint8Array {
  const weight = fillUniform(new Float32Array(1024 * 4096), 7, 0.02);
  const graph = create(GraphProtoSchema, {
    name: 'matmul-peak',
    node: [makeNode('MatMul', ['X', 'W'], ['Y'], 'matmul')],
    initializer: [makeInitializer('W', DataType.FLOAT, [1024, 4096], new Uint8Array(weight.buffer))],
    input: [makeValueInfo('X', DataType.FLOAT, ['n', 1024])],
    output: [makeValueInfo('Y', DataType.FLOAT, ['n', 4096])],
  });
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph }));
}

/** Returns a measurement of the MatMul model: seconds of one run (median of 5) with X[512, 1024]. */
async function matmulPass(session: SessionHandle): Promise<() => Promise<number>> {
  const x = { type: 'float32' as const, data: fillUniform(new Float32Array(PEAK_ROWS * 1024), 3, 1), dims: [PEAK_ROWS, 1024] };
  await session.run({ X: x }, ['Y']);
  return async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await seconds(() => session.run({ X: x }, ['Y'])));
    return median(times);
  };
}

const random = createRng(1);
const vocab = loaded.anatomy.vocabSize ?? 256;
const data = Array.from({ length: windows }, () => Int32Array.from({ length: seqlen }, () => Math.floor(random() * vocab)));

function pass(session: SessionHandle): () => Promise<number> {
  return () =>
    seconds(async () => {
      for (let i = 0; i < data.length; i += batch) {
        await session.run(buildFeeds(session.inputNames, loaded.anatomy, layoutBatch(data.slice(i, i + batch)), {}, loaded.kv), [loaded.anatomy.logits]);
      }
    });
}

const engines = { node: createNodeEngine({ threads }), web: createWebEngine(threads) };
const createSeconds = { node: 0, web: 0 };
const sessions = {} as Record<'node' | 'web', SessionHandle>;
const peakSessions = {} as Record<'node' | 'web', SessionHandle>;
for (const name of ['node', 'web'] as const) {
  createSeconds[name] = await seconds(async () => (sessions[name] = await createSession(engines[name], loaded)));
  peakSessions[name] = await engines[name].createSession(matmulModel(), []);
  await pass(sessions[name])(); // warm-up
}
// The MatMul peak is measured in the same rounds as the model, so both see the same machine load.
const times = await interleave(rounds, {
  node: pass(sessions.node),
  web: pass(sessions.web),
  nodePeak: await matmulPass(peakSessions.node),
  webPeak: await matmulPass(peakSessions.web),
});
const peakFlops = 2 * PEAK_ROWS * 1024 * 4096;
const peaks = { node: peakFlops / median(times.nodePeak) / 1e9, web: peakFlops / median(times.webPeak) / 1e9 };

const tokens = windows * seqlen;
const flops = forwardFlops(loaded, seqlen, windows);
console.log(`model ${modelDir}: ${(loaded.anatomy.totalParameters / 1e6).toFixed(1)}M parameters, ${(flops / tokens / 1e9).toFixed(3)} GFLOP per token at ${seqlen} tokens`);
console.log(`${windows} windows × ${seqlen} tokens, batch ${batch}, ${rounds} interleaved rounds (medians)`);
console.log(`machine: ${machineLine()}`);
console.log(`command: ${commandLine()}`);
console.log('| engine | session create | tokens/s | model GFLOP/s | MatMul peak GFLOP/s | model / peak |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const name of ['node', 'web'] as const) {
  const t = median(times[name]);
  const gflops = flops / t / 1e9;
  console.log(`| ${engines[name].name} | ${createSeconds[name].toFixed(1)} s | ${(tokens / t).toFixed(0)} | ${gflops.toFixed(1)} | ${peaks[name].toFixed(1)} | ${(gflops / peaks[name]).toFixed(2)} |`);
}
console.log(`onnxruntime-node is ${medianRatio(times.web, times.node).toFixed(2)}× faster than onnxruntime-web (median of per-round time ratios)`);
for (const session of [...Object.values(sessions), ...Object.values(peakSessions)]) await session.release();
