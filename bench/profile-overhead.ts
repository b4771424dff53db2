/**
 * Profiling overhead: tokens/s of the statistics-instrumented model against the plain model,
 * same engine, same windows, runs interleaved so machine noise hits both alike.
 *
 *   npx tsx bench/profile-overhead.ts [MODEL] [--windows N] [--seqlen N] [--batch N] [--rounds N]
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { createSession, loadModel } from '../src/core/run/loaded';
import { buildFeeds, layoutBatch } from '../src/core/run/feeds';
import type { SessionHandle } from '../src/core/engine';
import { nodeModelFiles } from '../src/runtime/nodeFiles';
import { createNodeEngine } from '../src/runtime/nodeEngine';
import { TOKEN_COUNT, statsOutput } from '../src/core/surgery/names';
import { createRng } from '../src/core/data/sample';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { windows: { type: 'string', default: '32' }, seqlen: { type: 'string', default: '128' }, batch: { type: 'string', default: '8' }, rounds: { type: 'string', default: '5' } },
});
const modelDir = positionals[0] ?? 'public/models/demo';
const windows = Number(values.windows);
const seqlen = Number(values.seqlen);
const batch = Number(values.batch);
const rounds = Number(values.rounds);

const loaded = await loadModel(await nodeModelFiles(modelDir));
const engine = createNodeEngine();
const plain = await createSession(engine, loaded);
const instrumented = await createSession(engine, loaded, { stats: true, masks: false, nll: false });
const vocab = loaded.anatomy.vocabSize ?? 256;
const random = createRng(1);
const data = Array.from({ length: windows }, () => Int32Array.from({ length: seqlen }, () => Math.floor(random() * vocab)));

async function pass(session: SessionHandle, fetches: string[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < data.length; i += batch) {
    await session.run(buildFeeds(session.inputNames, loaded.anatomy, layoutBatch(data.slice(i, i + batch)), {}, loaded.kv), fetches);
  }
  return (windows * seqlen) / ((performance.now() - start) / 1000);
}

const plainFetch = [loaded.anatomy.logits];
const statsFetch = [loaded.anatomy.logits, TOKEN_COUNT, ...loaded.anatomy.ffn.map((b) => statsOutput(b.layer))];
await pass(plain, plainFetch); // warm-up
await pass(instrumented, statsFetch);
const plainRates: number[] = [];
const statsRates: number[] = [];
for (let r = 0; r < rounds; r++) {
  plainRates.push(await pass(plain, plainFetch));
  statsRates.push(await pass(instrumented, statsFetch));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p = median(plainRates);
const s = median(statsRates);
console.log(`model ${modelDir}: ${loaded.anatomy.ffn.length} FFN layers × ${loaded.anatomy.ffn[0].width} neurons; ${windows} windows × ${seqlen} tokens, batch ${batch}, ${rounds} rounds (median)`);
console.log(`engine ${engine.name}; machine ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`);
console.log(`plain        ${p.toFixed(0)} tokens/s`);
console.log(`instrumented ${s.toFixed(0)} tokens/s`);
console.log(`overhead (plain/instrumented time ratio) ${(p / s).toFixed(3)}×`);
