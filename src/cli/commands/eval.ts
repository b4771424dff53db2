/**
 * `gprune eval MODEL --ppl A,B [--seqlen N]`: perplexity per dataset with its protocol, and
 * `--tasks A,B --data PATHS`: zero-shot accuracy per task.
 */
import { type CommandSpec, listOption, numberOption, parseCommand } from '../args';
import { openDataset, openModel, openTokenizer } from '../context';
import type { CliContext } from '../main';
import { printJson, table } from '../output';
import { evaluationWindows, perplexities, type PerplexityRow } from '../steps';
import { GpruneError } from '../../core/errors';
import { printZeroShot, scoreTasks, zeroShotJson, zeroShotOptions } from './zeroShot';

export const evalSpec: CommandSpec = {
  name: 'eval',
  summary: 'Measure perplexity on text datasets and accuracy on zero-shot tasks.',
  positionals: [{ name: 'MODEL', description: 'Model folder or .onnx file.' }],
  options: {
    ppl: { type: 'string', value: 'A,B', description: 'Datasets for perplexity: .txt/.jsonl files or built-in dataset ids.' },
    seqlen: { type: 'string', value: 'N', description: 'Tokens per window, BOS included.', default: '128' },
    'max-windows': { type: 'string', value: 'N', description: 'Evaluate only the first N windows of each dataset (default: all).' },
    'batch-size': { type: 'string', value: 'N', description: 'Windows (perplexity) or requests (--tasks) per onnxruntime run.', default: '8' },
    ...zeroShotOptions,
  },
  examples: [
    'gprune eval public/models/demo --ppl scripture-eval,code-eval',
    'gprune eval ./llama --ppl wiki.test.raw --seqlen 2048 --json',
    'gprune eval ./llama --tasks arc_easy,piqa,hellaswag --data ./eval-data --limit 200',
  ],
};

export async function evalCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { options, positionals } = parseCommand(evalSpec, argv);
  const names = listOption('ppl', options.ppl);
  const tasks = listOption('tasks', options.tasks);
  if (names.length === 0 && tasks.length === 0) throw new GpruneError('INVALID_ARGUMENT', 'gprune eval needs --ppl with at least one dataset (a .txt/.jsonl file or a built-in id), or --tasks with --data.');
  const limit = options.limit === undefined ? undefined : numberOption('limit', options.limit, 0, { min: 1, integer: true });
  const seqlen = numberOption('seqlen', options.seqlen, 128, { min: 2, max: 1 << 20, integer: true });
  const batchSize = numberOption('batch-size', options['batch-size'], 8, { min: 1, max: 4096, integer: true });
  const maxWindows = options['max-windows'] === undefined ? undefined : numberOption('max-windows', options['max-windows'], 0, { min: 1, integer: true });
  const loaded = await openModel(ctx.requireModel(positionals, evalSpec));
  const tokenizer = await openTokenizer(loaded);
  const datasets = await Promise.all(names.map(openDataset));
  const rows: PerplexityRow[] = names.length ? await perplexities(ctx, loaded, evaluationWindows(tokenizer, datasets, { seqlen, batchSize, maxWindows }), batchSize) : [];
  const scores = tasks.length ? await scoreTasks(ctx, loaded, tokenizer, { tasks, data: listOption('data', options.data), limit, batchSize }) : [];

  if (options.json) {
    printJson({
      model: loaded.model.files.label,
      engine: ctx.engine().name,
      ...(names.length
        ? {
            perplexity: Object.fromEntries(rows.map((r) => [r.dataset, r.perplexity])),
            nll: Object.fromEntries(rows.map((r) => [r.dataset, r.nll])),
            tokens: Object.fromEntries(rows.map((r) => [r.dataset, r.tokens])),
            protocol: Object.fromEntries(rows.map((r) => [r.dataset, r.protocol])),
          }
        : {}),
      ...(tasks.length ? zeroShotJson(scores) : {}),
    });
    return 0;
  }
  if (names.length) {
    console.log(table(['dataset', 'perplexity', 'mean NLL', 'tokens'], rows.map((r) => [r.dataset, r.perplexity.toFixed(3), r.nll.toFixed(4), r.tokens])));
    console.log('\nProtocol: exp(mean NLL) over all predicted tokens.');
    for (const r of rows) console.log(`  ${r.dataset}: ${r.protocol}`);
  }
  if (tasks.length) {
    if (names.length) console.log('');
    printZeroShot(scores);
  }
  return 0;
}
