/**
 * `gprune prune MODEL --method M --sparsity S --calib A,B --out DIR`: profile, plan, remove
 * the chosen FFN neurons physically and write the pruned model folder with a report.
 */
import { promises as fs } from 'node:fs';
import { type CommandSpec, choiceOption, listOption, numberOption, parseCommand } from '../args';
import { openDataset, openModel, openTokenizer } from '../context';
import type { CliContext } from '../main';
import { formatBytes, formatCount, printJson, table } from '../output';
import { evaluationWindows, perplexities, profileDatasets, type PerplexityRow } from '../steps';
import { autoBatchSize, calibrationOptions, readCalibration } from './calibrationFlags';
import { gpruneOptions, readGpruneConfig } from './gpruneFlags';
import { GpruneError } from '../../core/errors';
import { calibrationProtocol } from '../../core/pipeline/calibration';
import { summarizeWeights } from '../../core/profile/weights';
import { DEFAULT_BASELINE_CONFIG, describeMethod, planBaseline, resolveBiasCompensation, type PrunePlan } from '../../core/prune/baseline';
import type { LayerWeightSummary, MetricId } from '../../core/prune/types';
import { decodeStatsFile, loadedModelFingerprint } from '../../core/session/statsFile';
import { createCompensator, exportPrunedFolder, isWeightFile, pruneModel, prunedLayers } from '../../core/surgery';
import { buildLayerReports, describeScoringSource, runGprune, type GpruneOutcome } from '../../core/prune/gprune';
import { maskedLoss } from '../../core/pipeline/maskedLoss';
import { createSession } from '../../core/run/loaded';
import { logger } from '../../core/log';
import { calibrationWindows } from '../../core/pipeline/calibration';
import { checkOutputPath, nodeFolderSink } from '../../runtime/nodeFiles';
import { onInterrupt } from '../interrupt';
import { modelFileBytes } from '../../core/onnx/model';
import type { TextDataset } from '../../core/data/dataset';
import type { TextTokenizer } from '../../core/data/tokenizer';
import type { DatasetStats } from '../../core/stats/types';
import { pooledMeanActivation } from '../../core/stats/meanActivation';
import type { LoadedModel } from '../../core/run/loaded';

const METHODS = ['magnitude', 'wanda-sp', 'flap', 'random', 'gprune'] as const;

export const pruneSpec: CommandSpec = {
  name: 'prune',
  summary: 'Prune FFN neurons and write a physically smaller model folder.',
  positionals: [{ name: 'MODEL', description: 'Model folder or .onnx file.' }],
  options: {
    method: { type: 'string', value: 'M', description: `Pruning method: ${METHODS.join(', ')}.`, default: 'flap' },
    sparsity: { type: 'string', value: 'S', description: 'Fraction of FFN parameters removed, in [0, 1).', default: '0.2' },
    calib: { type: 'string', value: 'A,B', description: 'Calibration datasets: .txt/.jsonl files or built-in ids (not needed by magnitude and random).' },
    allocation: { type: 'string', value: 'A', description: 'Baselines: uniform, flap-global or auto (flap-global for flap, uniform otherwise).', default: 'auto' },
    'bias-compensation': { type: 'string', value: 'on|off|auto', description: 'Add the removed neurons\' mean output to the layer bias (auto: on for flap).', default: 'auto' },
    stats: { type: 'string', value: 'FILE', description: 'Reuse statistics from `gprune profile --out FILE` instead of profiling.' },
    out: { type: 'string', value: 'DIR', description: 'Output folder for the pruned model (must not exist or be empty).' },
    overwrite: { type: 'boolean', description: 'Replace a non-empty --out folder.' },
    eval: { type: 'string', value: 'A,B', description: 'Also measure perplexity before and after on these datasets.' },
    'eval-seqlen': { type: 'string', value: 'N', description: 'Tokens per evaluation window.', default: '128' },
    'eval-max-windows': { type: 'string', value: 'N', description: 'Evaluate only the first N windows of each --eval dataset (default: all).' },
    report: { type: 'string', value: 'FILE', description: 'Also write the pruning report JSON to FILE (it is always written into --out).' },
    ...calibrationOptions,
    ...gpruneOptions,
  },
  examples: [
    'gprune prune public/models/demo --method gprune --base flap --sparsity 0.5 --calib scripture-calib,code-calib,docs-calib --out pruned --report report.json',
    'gprune prune public/models/demo --method flap --sparsity 0.3 --calib scripture-calib,code-calib --eval docs-eval --out pruned',
    'gprune prune ./llama --method wanda-sp --sparsity 0.5 --calib wiki.txt --out ./llama-50 --eval wiki.test.raw --json',
  ],
};

export async function prune(argv: string[], ctx: CliContext): Promise<number> {
  const { options, positionals } = parseCommand(pruneSpec, argv);
  const method = choiceOption('method', options.method, METHODS, 'flap');
  const sparsity = numberOption('sparsity', options.sparsity, 0.2, { min: 0, max: 1, maxExclusive: true });
  const allocation = choiceOption('allocation', options.allocation, ['uniform', 'flap-global', 'auto'] as const, 'auto');
  const compensation = choiceOption('bias-compensation', options['bias-compensation'], ['on', 'off', 'auto'] as const, 'auto');
  const requested = readCalibration(options);
  const calibNames = listOption('calib', options.calib);
  if (new Set(calibNames).size < calibNames.length) throw new GpruneError('INVALID_ARGUMENT', `--calib lists a dataset twice (${calibNames.join(',')}); GPrune compares datasets, so give each once.`);
  const evalNames = listOption('eval', options.eval);
  const evalSeqlen = numberOption('eval-seqlen', options['eval-seqlen'], 128, { min: 2, max: 1 << 20, integer: true });
  const evalMaxWindows = options['eval-max-windows'] === undefined ? undefined : numberOption('eval-max-windows', options['eval-max-windows'], 0, { min: 1, integer: true });
  if (!options.out) throw new GpruneError('INVALID_ARGUMENT', 'gprune prune needs --out DIR, the folder to write the pruned model to.');
  const needsActivations = method !== 'magnitude' && method !== 'random';
  if (method === 'gprune' && calibNames.length < 2 && !options.stats) log.warn('GPrune measures sensitivity across datasets: give at least two --calib datasets.');
  if (needsActivations && calibNames.length === 0 && !options.stats) {
    throw new GpruneError('INVALID_ARGUMENT', `--method ${method} scores neurons from activations: give --calib A,B (datasets) or --stats FILE.`);
  }

  const loaded = await openModel(ctx.requireModel(positionals, pruneSpec));
  const tokenizer = await openTokenizer(loaded);
  const [calibSets, evalSets] = await Promise.all([Promise.all(calibNames.map(openDataset)), Promise.all(evalNames.map(openDataset))]);
  // Fail on an unusable output folder before the long work starts.
  if (options.report) await checkOutputPath(options.report, 'file');
  const sink = await nodeFolderSink(options.out, { overwrite: Boolean(options.overwrite) });
  const forget = onInterrupt(() => sink.abort!());
  try {
    return await pruneInto(sink, { options, ctx, method, sparsity, allocation, compensation, requested, calibSets, evalSets, evalSeqlen, evalMaxWindows, loaded, tokenizer });
  } catch (error) {
    await sink.abort!();
    throw error;
  } finally {
    forget();
  }
}

interface PruneInputs {
  options: ReturnType<typeof parseCommand>['options'];
  ctx: CliContext;
  method: (typeof METHODS)[number];
  sparsity: number;
  allocation: 'uniform' | 'flap-global' | 'auto';
  compensation: 'on' | 'off' | 'auto';
  requested: ReturnType<typeof readCalibration>;
  calibSets: TextDataset[];
  evalSets: TextDataset[];
  evalSeqlen: number;
  evalMaxWindows?: number;
  loaded: LoadedModel;
  tokenizer: TextTokenizer;
}

/** Profiles, plans, evaluates and writes the pruned folder into `sink`. */
async function pruneInto(sink: Awaited<ReturnType<typeof nodeFolderSink>>, inputs: PruneInputs): Promise<number> {
  const { options, ctx, method, sparsity, allocation, compensation, requested, calibSets, evalSets, evalSeqlen, evalMaxWindows, loaded, tokenizer } = inputs;
  const started = performance.now();
  const calibration = autoBatchSize(options, requested, loaded);
  // Reading --stats and writing the report both need the fingerprint, so the .onnx bytes are hashed once.
  let fingerprint: Promise<string> | undefined;
  const fingerprintOnce = () => (fingerprint ??= loadedModelFingerprint(loaded));

  let stats: DatasetStats[] = [];
  let heldOut: Int32Array[] = [];
  if (options.stats) {
    stats = await readStats(options.stats, loaded, await fingerprintOnce());
    const names = stats.map((d) => d.dataset);
    if (calibSets.some((d) => !names.includes(d.name))) log.warn(`--stats ${options.stats} contains statistics of ${names.join(', ')}. The --calib datasets (${calibSets.map((d) => d.name).join(', ')}) only provide the search's held-out windows.`);
    heldOut = calibSets.flatMap((d, i) => calibrationWindows(d, tokenizer, calibration, i).heldOut);
  } else if (calibSets.length) {
    ({ stats, heldOut } = await profileDatasets(ctx, loaded, tokenizer, calibSets, calibration));
  }
  const weights = await summarizeWeights(loaded);
  const biasCompensation = compensation === 'auto' ? 'auto' : compensation === 'on';
  let outcome: GpruneOutcome | undefined;
  let plan: PrunePlan;
  if (method === 'gprune') {
    if (heldOut.length === 0 && Number(options['search-evals'] ?? 1) !== 0) log.warn('No held-out calibration windows: the module sparsity search is skipped (prior only). Give --calib datasets to learn it.');
    const config = readGpruneConfig(options, { sparsity, seed: calibration.seed, biasCompensation, evaluationsWhenNoHeldOut: heldOut.length === 0 ? 0 : undefined });
    outcome = await searchGprune(ctx, loaded, config, weights, stats, heldOut, calibration.batchSize);
    plan = outcome.plan;
  } else {
    plan = planBaseline({ ...DEFAULT_BASELINE_CONFIG, metric: method as MetricId, sparsity, seed: calibration.seed, allocation, biasCompensation }, weights, stats);
  }
  const means = plan.biasCompensation ? pooledMeanActivation(stats) : undefined;
  if (plan.biasCompensation && !means) throw new GpruneError('INVALID_ARGUMENT', 'Bias compensation needs activation statistics: give --calib A,B or turn it off with --bias-compensation off.');

  const evalWindows = evaluationWindows(tokenizer, evalSets, { seqlen: evalSeqlen, batchSize: calibration.batchSize, maxWindows: evalMaxWindows });
  let before: PerplexityRow[] = [];
  let after: PerplexityRow[] = [];
  if (evalWindows.length) {
    before = await perplexities(ctx, loaded, evalWindows, calibration.batchSize);
    const biases = means ? (await createCompensator(loaded.model, loaded.anatomy.ffn, means))(plan.masks) : undefined;
    after = await perplexities(ctx, loaded, evalWindows, calibration.batchSize, { masks: plan.masks, biases });
  }

  const pruned = await pruneModel(loaded, plan.masks, { meanActivation: means });
  const report = {
    tool: 'gprune 0.1.0',
    model: { source: loaded.model.files.label, fingerprint: await fingerprintOnce() },
    method: describeMethod(plan.method),
    plan: plan.method,
    sparsity,
    calibration: { datasets: stats.map((s) => s.dataset), tokens: Object.fromEntries(stats.map((s) => [s.dataset, s.tokens])), protocol: calibrationProtocol(calibration, tokenizer.bosId !== null) },
    biasCompensation: plan.biasCompensation,
    parameters: { ffnBefore: plan.parameters.before, ffnAfter: plan.parameters.after, modelBefore: loaded.anatomy.totalParameters, modelAfter: loaded.anatomy.totalParameters - pruned.removedParameters },
    layers: prunedLayers(loaded, pruned, plan.masks),
    gprune: outcome
      ? {
          config: (outcome.plan as { config?: unknown }).config,
          layers: buildLayerReports(outcome.plan),
          search: outcome.search && { evaluations: outcome.search.evaluations, priorLoss: outcome.search.priorLoss, loss: outcome.search.loss, stopReason: outcome.search.stopReason, heldOutWindows: heldOut.length },
        }
      : undefined,
    perplexity: evalWindows.length ? { before: rowsToObject(before), after: rowsToObject(after), protocol: Object.fromEntries(before.map((r) => [r.dataset, r.protocol])) } : undefined,
  };
  const written = await exportPrunedFolder(loaded, pruned, sink, report);
  if (options.report) await fs.writeFile(options.report, JSON.stringify(report, null, 2) + '\n');
  const seconds = (performance.now() - started) / 1000;
  const bytesBefore = modelFileBytes(loaded.model);
  const bytesAfter = written.files.filter((f) => isWeightFile(f.path)).reduce((s, f) => s + f.bytes, 0);

  if (options.json) {
    printJson({
      method: report.method,
      sparsity,
      parameters: { before: report.parameters.modelBefore, after: report.parameters.modelAfter, ffnBefore: plan.parameters.before, ffnAfter: plan.parameters.after },
      bytes: { before: bytesBefore, after: bytesAfter },
      output: sink.target,
      widths: pruned.widths,
      perplexity: report.perplexity,
      gprune: report.gprune,
      seconds,
    });
    return 0;
  }
  console.log(`${report.method} at sparsity ${sparsity}: FFN parameters ${formatCount(plan.parameters.before)} → ${formatCount(plan.parameters.after)}, model ${formatCount(report.parameters.modelBefore)} → ${formatCount(report.parameters.modelAfter)}`);
  console.log(`neurons per layer: ${pruned.widths.join(', ')}`);
  if (outcome) printGprune(outcome);
  if (evalWindows.length) {
    console.log('\n' + table(['dataset', 'ppl before', 'ppl after', 'ratio'], before.map((r, i) => [r.dataset, r.perplexity.toFixed(3), after[i].perplexity.toFixed(3), (after[i].perplexity / r.perplexity).toFixed(3)])));
    console.log('Protocol: exp(mean NLL) over all predicted tokens, masked model before export.');
    for (const r of before) console.log(`  ${r.dataset}: ${r.protocol}`);
  }
  console.log(`\nWrote ${sink.target} (${formatBytes(bytesBefore)} → ${formatBytes(bytesAfter)} of weights and graph) in ${seconds.toFixed(1)} s.`);
  return 0;
}

const log = logger('prune');

/** Plans GPrune and learns the module keep ratios on the held-out mixture through mask inputs. */
async function searchGprune(ctx: CliContext, loaded: LoadedModel, config: ReturnType<typeof readGpruneConfig>, weights: LayerWeightSummary[], stats: DatasetStats[], heldOut: Int32Array[], batchSize: number): Promise<GpruneOutcome> {
  if (config.search.evaluations === 0) return runGprune(config, weights, stats, async () => 0);
  const session = await createSession(ctx.engine(), loaded, { stats: false, masks: true, nll: true });
  try {
    const compensateOn = resolveBiasCompensation(config.biasCompensation, config.baseMetric);
    const means = compensateOn ? pooledMeanActivation(stats) : undefined;
    const compensate = means ? await createCompensator(loaded.model, loaded.anatomy.ffn, means) : undefined;
    const loss = maskedLoss(session, loaded, heldOut, { batchSize, compensate });
    let priorLoss = NaN;
    return await runGprune(config, weights, stats, loss, {
      onProgress: (e) => {
        if (e.done === 1) priorLoss = e.bestLoss;
        ctx.progress({ phase: 'search', done: e.done, total: e.total, unit: 'evaluations', bestLoss: e.bestLoss, priorLoss });
      },
    });
  } finally {
    ctx.finishProgress();
    await session.release();
  }
}

function printGprune(outcome: GpruneOutcome): void {
  const s = outcome.search;
  if (s) console.log(`module sparsity search: ${s.evaluations} loss evaluations, held-out loss ${s.priorLoss.toFixed(4)} (prior) → ${s.loss.toFixed(4)} (learned), stopped: ${s.stopReason}`);
  else console.log('module sparsity search: skipped (prior keep ratios)');
  const rows = buildLayerReports(outcome.plan).flatMap((l) =>
    l.modules.map((m) => [`${l.layer}.${m.module}`, m.size, m.meanSigma.toFixed(3), m.meanMagnitude.toFixed(2), m.reliable ? 'yes' : 'no', describeScoringSource(m.source), `${m.priorKeep}→${m.keep}`, m.keepRatio.toFixed(2)]),
  );
  console.log('\n' + table(['module', 'size', 'σ̄', 'm̄', 'reliable', 'scored by', 'keep', 'ratio'], rows));
  console.log('module L.k: module k of layer L (k = 0 is the most distribution-robust); σ̄: mean rank spread over datasets (0–0.5);');
  console.log('m̄: mean standardized score; keep: neurons kept by the prior → after the search; ratio: kept / size.');
}

async function readStats(file: string, loaded: LoadedModel, fingerprint: string): Promise<DatasetStats[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new GpruneError('FILE_NOT_FOUND', `--stats ${file} does not exist. Create it with \`gprune profile MODEL --data A,B --out ${file}\`.`);
  });
  return decodeStatsFile(text, file, { model: fingerprint, widths: loaded.anatomy.ffn.map((b) => b.width) }).datasets;
}

function rowsToObject(rows: PerplexityRow[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.dataset, r.perplexity]));
}
