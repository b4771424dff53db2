/**
 * Zero-shot scoring speed: items/s of one onnxruntime run per request (the naive way)
 * against batched rows and, on graphs with a KV cache, the shared-prefix cache. Strategies
 * run interleaved in every round so machine noise hits all alike; the log-likelihoods of
 * every strategy are compared with the naive ones.
 *
 *   npx tsx bench/zero-shot.ts [MODEL...] [--tasks arc_easy,hellaswag] [--data PATHS] [--items N] [--batch N] [--rounds N] [--threads N]
 */
import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadTokenizer } from '../src/core/data/tokenizer';
import { scoreTask, type TaskResult } from '../src/core/eval/multipleChoice';
import type { ScoringStrategy } from '../src/core/eval/multipleChoiceOptions';
import { parseTask } from '../src/core/eval/tasks';
import { createSession, loadModel } from '../src/core/run/loaded';
import { findTaskFiles } from '../src/cli/commands/zeroShot';
import { createNodeEngine } from '../src/runtime/nodeEngine';
import { nodeModelFiles } from '../src/runtime/nodeFiles';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tasks: { type: 'string', default: 'arc_easy,hellaswag,winogrande' },
    data: { type: 'string', default: '../shared/assets/llm-foundry-eval,../shared/assets/hellaswag-val' },
    items: { type: 'string', default: '100' },
    batch: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string' },
  },
});
const models = positionals.length ? positionals : ['../shared/models/stories260K-llama', '../shared/models/stories260K-llama-kv'];
const items = Number(values.items);
const batchSize = Number(values.batch);
const rounds = Number(values.rounds);
const engine = createNodeEngine(values.threads ? { threads: Number(values.threads) } : {});
const files = await findTaskFiles(values.tasks!.split(','), values.data!.split(','));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const maxRelativeDiff = (a: TaskResult, b: TaskResult) =>
  Math.max(...a.perItem.flatMap((item, i) => item.logLikelihoods.map((ll, j) => Math.abs(ll - b.perItem[i].logLikelihoods[j]) / Math.max(1, Math.abs(ll)))));

console.log(`engine ${engine.name}; ${items} items per task, batch ${batchSize}, ${rounds} rounds; items/s is the median over rounds`);
for (const model of models) {
  const loaded = await loadModel(await nodeModelFiles(model));
  const read = async (name: string) => fs.readFile(`${model}/${name}`, 'utf8').catch(() => undefined);
  const tokenizer = loadTokenizer({ tokenizerJson: (await read('tokenizer.json'))!, tokenizerConfig: await read('tokenizer_config.json'), source: model });
  const session = await createSession(engine, loaded, { stats: false, masks: false, nll: true });
  const strategies: ScoringStrategy[] = loaded.anatomy.hasKvCache ? ['per-request', 'batched', 'prefix-cache'] : ['per-request', 'batched'];
  console.log(`\n${model} (${loaded.anatomy.hasKvCache ? 'KV cache' : 'no KV cache'})`);
  for (const { task, file } of files) {
    const parsed = parseTask({ task, file, bytes: new Uint8Array(await fs.readFile(file)) }, { limit: items });
    const rates = new Map<ScoringStrategy, number[]>(strategies.map((s) => [s, []]));
    const last = new Map<ScoringStrategy, TaskResult>();
    await scoreTask(session, loaded, tokenizer, parsed, { strategy: 'batched', batchSize, limit: Math.min(items, 8) }); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const strategy of strategies) {
        const start = performance.now();
        const result = await scoreTask(session, loaded, tokenizer, parsed, { strategy, batchSize });
        rates.get(strategy)!.push(parsed.items.length / ((performance.now() - start) / 1000));
        last.set(strategy, result);
      }
    }
    const naive = median(rates.get('per-request')!);
    const line = strategies.map((s) => {
      const rate = median(rates.get(s)!);
      return `${s} ${rate.toFixed(1)} items/s (×${(rate / naive).toFixed(2)}, max rel. Δll ${maxRelativeDiff(last.get('per-request')!, last.get(s)!).toExponential(1)})`;
    });
    console.log(`  ${task} (${parsed.items.length} items, ${parsed.items[0].requests.length} choices): ${line.join('; ')}`);
  }
  await session.release();
}
