/**
 * `gprune eval MODEL --ppl A,B [--seqlen N]`: perplexity per dataset with its protocol.
 */
import { type CommandSpec, listOption, numberOption, parseCommand } from '../args';
import { openDataset, openModel, openTokenizer } from '../context';
import type { CliContext } from '../main';
import { printJson, table } from '../output';
import { evaluationWindows, perplexities } from '../steps';
import { GpruneError } from '../../core/errors';

export const evalSpec: CommandSpec = {
  name: 'eval',
  summary: 'Measure perplexity on text datasets.',
  positionals: [{ name: 'MODEL', description: 'Model folder or .onnx file.' }],
  options: {
    ppl: { type: 'string', value: 'A,B', description: 'Datasets for perplexity: .txt/.jsonl files or built-in dataset ids.' },
    seqlen: { type: 'string', value: 'N', description: 'Tokens per window, BOS included.', default: '128' },
    'max-windows': { type: 'string', value: 'N', description: 'Evaluate only the first N windows of each dataset (default: all).' },
    'batch-size': { type: 'string', value: 'N', description: 'Windows per onnxruntime run.', default: '8' },
  },
  examples: ['gprune eval public/models/demo --ppl prose-eval,code-eval', 'gprune eval ./llama --ppl wiki.test.raw --seqlen 2048 --json'],
};

export async function evalCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { options, positionals } = parseCommand(evalSpec, argv);
  const names = listOption('ppl', options.ppl);
  if (names.length === 0) throw new GpruneError('INVALID_ARGUMENT', 'gprune eval needs --ppl with at least one dataset (a .txt/.jsonl file or a built-in id).');
  const seqlen = numberOption('seqlen', options.seqlen, 128, { min: 2, max: 1 << 20, integer: true });
  const batchSize = numberOption('batch-size', options['batch-size'], 8, { min: 1, max: 4096, integer: true });
  const maxWindows = options['max-windows'] === undefined ? undefined : numberOption('max-windows', options['max-windows'], 0, { min: 1, integer: true });
  const loaded = await openModel(ctx.requireModel(positionals, evalSpec));
  const tokenizer = await openTokenizer(loaded);
  const datasets = await Promise.all(names.map(openDataset));
  const rows = await perplexities(ctx, loaded, evaluationWindows(tokenizer, datasets, { seqlen, batchSize, maxWindows }), batchSize);

  if (options.json) {
    printJson({
      model: loaded.model.files.label,
      engine: ctx.engine().name,
      perplexity: Object.fromEntries(rows.map((r) => [r.dataset, r.perplexity])),
      nll: Object.fromEntries(rows.map((r) => [r.dataset, r.nll])),
      tokens: Object.fromEntries(rows.map((r) => [r.dataset, r.tokens])),
      protocol: Object.fromEntries(rows.map((r) => [r.dataset, r.protocol])),
    });
    return 0;
  }
  console.log(table(['dataset', 'perplexity', 'mean NLL', 'tokens'], rows.map((r) => [r.dataset, r.perplexity.toFixed(3), r.nll.toFixed(4), r.tokens])));
  console.log('\nProtocol: exp(mean NLL) over all predicted tokens.');
  for (const r of rows) console.log(`  ${r.dataset}: ${r.protocol}`);
  return 0;
}
