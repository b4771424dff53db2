/**
 * `gprune demo`: the main job on the embedded model. Profiles the demo model on the built-in
 * calibration sets of every domain, prunes it with GPrune, prints perplexity per domain on
 * the built-in evaluation sets before and after, and writes the pruned folder.
 */
import { type CommandSpec, numberOption, parseCommand } from '../args';
import { DEMO_MODEL_DIR, builtinDatasets } from '../context';
import type { CliContext } from '../main';
import { GpruneError } from '../../core/errors';
import { prune } from './prune';

export const demoSpec: CommandSpec = {
  name: 'demo',
  summary: 'Prune the embedded demo model with GPrune on the built-in datasets and compare perplexity.',
  positionals: [],
  options: {
    sparsity: { type: 'string', value: 'S', description: 'Fraction of FFN parameters removed, in [0, 1).', default: '0.3' },
    out: { type: 'string', value: 'DIR', description: 'Output folder for the pruned demo model (replaced if present).', default: 'out/demo-pruned' },
    'search-evals': { type: 'string', value: 'N', description: 'Loss evaluations of the module sparsity search.', default: '60' },
  },
  examples: ['npm run demo', 'gprune demo --sparsity 0.5 --out /tmp/demo-50'],
};

export async function demo(argv: string[], ctx: CliContext): Promise<number> {
  const { options } = parseCommand(demoSpec, argv);
  const sparsity = String(numberOption('sparsity', options.sparsity, 0.3, { min: 0, max: 1, maxExclusive: true }));
  const evals = String(numberOption('search-evals', options['search-evals'], 60, { min: 0, integer: true }));
  const manifest = await builtinDatasets();
  const calib = manifest.filter((e) => e.split === 'calibration').map((e) => e.id);
  const evaluation = manifest.filter((e) => e.split === 'evaluation').map((e) => e.id);
  if (calib.length < 2 || evaluation.length === 0) {
    throw new GpruneError('DATASET_NOT_FOUND', 'public/datasets/manifest.json lists too few built-in datasets. Rebuild them with tools/demo (see tools/demo/README.md).');
  }
  const args = [DEMO_MODEL_DIR, '--method', 'gprune', '--sparsity', sparsity, '--calib', calib.join(','), '--eval', evaluation.join(','), '--out', options.out ?? 'out/demo-pruned', '--overwrite', '--search-evals', evals];
  if (options.json) args.push('--json');
  if (!options.json) console.log(`GPrune demo: ${calib.length} calibration sets (${calib.join(', ')}), evaluation on ${evaluation.join(', ')}, sparsity ${sparsity}.\n`);
  return prune(args, ctx);
}
