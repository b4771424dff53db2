/**
 * `gprune profile MODEL --data A,B`: per-neuron activation statistics per dataset.
 */
import { promises as fs } from 'node:fs';
import { type CommandSpec, listOption, parseCommand } from '../args';
import { openDataset, openModel, openTokenizer } from '../context';
import type { CliContext } from '../main';
import { formatCount, printJson, table } from '../output';
import { profileDatasets } from '../steps';
import { GpruneError } from '../../core/errors';
import { encodeStatsFile, loadedModelFingerprint, STATS_FILE_VERSION } from '../../core/session/statsFile';
import { checkOutputPath } from '../../runtime/nodeFiles';
import { autoBatchSize, calibrationOptions, readCalibration } from './calibrationFlags';

export const profileSpec: CommandSpec = {
  name: 'profile',
  summary: 'Collect per-neuron FFN activation statistics on one or more datasets.',
  positionals: [{ name: 'MODEL', description: 'Model folder or .onnx file.' }],
  options: {
    data: { type: 'string', value: 'A,B', description: 'Datasets: .txt/.jsonl files or built-in dataset ids.' },
    out: { type: 'string', value: 'FILE', description: 'Write the statistics as JSON, for `gprune prune --stats FILE`.' },
    ...calibrationOptions,
  },
  examples: ['gprune profile public/models/demo --data scripture-calib,code-calib --out stats.json'],
};

export async function profile(argv: string[], ctx: CliContext): Promise<number> {
  const { options, positionals } = parseCommand(profileSpec, argv);
  const names = listOption('data', options.data);
  if (names.length === 0) throw new GpruneError('INVALID_ARGUMENT', 'gprune profile needs --data with at least one dataset (a .txt/.jsonl file or a built-in id).');
  const requested = readCalibration(options);
  if (options.out) await checkOutputPath(options.out, 'file');
  const loaded = await openModel(ctx.requireModel(positionals, profileSpec));
  const tokenizer = await openTokenizer(loaded);
  const calibration = autoBatchSize(options, requested, loaded);
  const datasets = await Promise.all(names.map(openDataset));
  const started = performance.now();
  const { stats } = await profileDatasets(ctx, loaded, tokenizer, datasets, calibration);
  const seconds = (performance.now() - started) / 1000;
  const tokens = stats.reduce((s, d) => s + d.tokens, 0);

  if (options.out) {
    const file = { version: STATS_FILE_VERSION, model: await loadedModelFingerprint(loaded), widths: loaded.anatomy.ffn.map((b) => b.width), calibration: { ...calibration }, datasets: stats };
    await fs.writeFile(options.out, encodeStatsFile(file));
  }
  const summary = stats.map((d) => ({
    dataset: d.dataset,
    tokens: d.tokens,
    layers: d.layers.map((l, i) => {
      let meanAbs = 0;
      let freq = 0;
      for (let j = 0; j < l.a1.length; j++) {
        meanAbs += l.a1[j] / l.n;
        freq += l.f[j] / l.n;
      }
      return { layer: i, neurons: l.a1.length, meanAbsActivation: meanAbs / l.a1.length, activeFraction: freq / l.a1.length };
    }),
  }));
  if (options.json) {
    printJson({ model: loaded.model.files.label, engine: ctx.engine().name, seconds, tokensPerSecond: tokens / seconds, calibration, output: options.out ?? null, datasets: summary });
    return 0;
  }
  for (const d of summary) {
    console.log(`\n${d.dataset}: ${formatCount(d.tokens)} tokens`);
    console.log(table(['layer', 'neurons', 'mean |x|', `active (|x|>${calibration.epsilon})`], d.layers.map((l) => [l.layer, l.neurons, l.meanAbsActivation.toFixed(4), `${(100 * l.activeFraction).toFixed(1)}%`])));
  }
  console.log(`\nProfiled ${formatCount(tokens)} tokens in ${seconds.toFixed(1)} s (${formatCount(Math.round(tokens / seconds))} tokens/s) with ${ctx.engine().name}.`);
  if (options.out) console.log(`Statistics written to ${options.out}.`);
  return 0;
}
