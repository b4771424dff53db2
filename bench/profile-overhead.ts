/**
 * Profiling overhead: time of a forward pass of the statistics-instrumented model against
 * the plain model, same engine, same windows, rounds interleaved so machine noise hits both
 * alike. Goal: instrumented/plain ≤ 1.10.
 *
 *   npx tsx bench/profile-overhead.ts [MODEL] [--shape smollm2-135m] [--windows N] [--seqlen N] [--batch N] [--rounds N] [--threads N]
 *
 * MODEL defaults to public/models/demo, or the stories260K fixture when the demo is absent.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRng } from '../src/core/data/sample';
import type { SessionHandle } from '../src/core/engine';
import { buildFeeds, layoutBatch } from '../src/core/run/feeds';
import { createSession, loadModel } from '../src/core/run/loaded';
import { TOKEN_COUNT, statsOutput } from '../src/core/surgery/names';
import { createNodeEngine } from '../src/runtime/nodeEngine';
import { nodeModelFiles } from '../src/runtime/nodeFiles';
import { commandLine, machineLine } from './lib/machine';
import { interleave, median, medianRatio, seconds } from './lib/measure';
import { modelFromArgs } from './lib/models';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    shape: { type: 'string' },
    windows: { type: 'string', default: '32' },
    seqlen: { type: 'string', default: '128' },
    batch: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '7' },
    threads: { type: 'string' },
  },
});
const fallback = existsSync('public/models/demo/onnx/model.onnx') ? 'public/models/demo' : '../shared/models/stories260K-llama';
const modelDir = await modelFromArgs(positionals[0], values.shape, fallback);
const windows = Number(values.windows);
const seqlen = Number(values.seqlen);
const batch = Number(values.batch);
const rounds = Number(values.rounds);

const loaded = await loadModel(await nodeModelFiles(modelDir));
const engine = createNodeEngine(values.threads ? { threads: Number(values.threads) } : {});
const plain = await createSession(engine, loaded);
const instrumented = await createSession(engine, loaded, { stats: true, masks: false, nll: false });
const vocab = loaded.anatomy.vocabSize ?? 256;
const random = createRng(1);
const data = Array.from({ length: windows }, () => Int32Array.from({ length: seqlen }, () => Math.floor(random() * vocab)));

/** Runs every window once through `session`; returns seconds. */
function pass(session: SessionHandle, fetches: string[]): () => Promise<number> {
  return () =>
    seconds(async () => {
      for (let i = 0; i < data.length; i += batch) {
        await session.run(buildFeeds(session.inputNames, loaded.anatomy, layoutBatch(data.slice(i, i + batch)), {}, loaded.kv), fetches);
      }
    });
}

const stats = [TOKEN_COUNT, ...loaded.anatomy.ffn.map((b) => statsOutput(b.layer))];
const variants = {
  plain: pass(plain, [loaded.anatomy.logits]),
  instrumented: pass(instrumented, [loaded.anatomy.logits, ...stats]),
  statsOnly: pass(instrumented, stats),
};
for (const run of Object.values(variants)) await run(); // warm-up
const times = await interleave(rounds, variants);

const tokens = windows * seqlen;
const rate = (t: number[]) => (tokens / median(t)).toFixed(0);
const ffn = loaded.anatomy.ffn;
console.log(`model ${modelDir}: ${ffn.length} FFN layers × ${ffn[0].width} neurons, ${(loaded.anatomy.totalParameters / 1e6).toFixed(1)}M parameters`);
console.log(`${windows} windows × ${seqlen} tokens, batch ${batch}, ${rounds} interleaved rounds (medians); ${engine.name}`);
console.log(`machine: ${machineLine()}`);
console.log(`command: ${commandLine()}`);
console.log(`plain                         ${rate(times.plain)} tokens/s`);
console.log(`instrumented (logits + stats) ${rate(times.instrumented)} tokens/s`);
console.log(`instrumented (stats only)     ${rate(times.statsOnly)} tokens/s`);
const ratios = (a: number[], b: number[]) => a.map((x, i) => (x / b[i]).toFixed(2)).join(' ');
console.log(`per-round time ratios instrumented/plain: ${ratios(times.instrumented, times.plain)}`);
console.log(`overhead: instrumented/plain time ${medianRatio(times.instrumented, times.plain).toFixed(3)}× (median of per-round ratios; goal ≤ 1.10); stats-only/plain ${medianRatio(times.statsOnly, times.plain).toFixed(3)}×`);
await plain.release();
await instrumented.release();
