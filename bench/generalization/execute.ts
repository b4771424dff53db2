/**
 * Runs every pruning run of the benchmark for every seed and sparsity and measures the
 * perplexity of each on the evaluation sets.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { openTokenizer } from '../../src/cli/context';
import { calibrationProtocol } from '../../src/core/pipeline/calibration';
import { countParameters } from '../../src/core/prune/allocation/budget';
import { loadModel } from '../../src/core/run/loaded';
import { createNodeEngine } from '../../src/runtime/nodeEngine';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';
import { evalSet, readBenchTexts, splitStories } from './data';
import { createHarness, denseMasks } from './harness';
import type { BenchOptions } from './options';
import type { RunRecord } from './report';
import { benchmarkRuns, CALIBRATION_SETS, type SeedContext } from './runs';
import type { Measurement } from './summary';

export interface BenchResults {
  record: RunRecord;
  measurements: Measurement[];
}

export async function runBenchmark(options: BenchOptions, progress: (message: string) => void): Promise<BenchResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0];
  const cpuAtStart = process.cpuUsage();

  const loaded = await loadModel(await nodeModelFiles(options.modelDir));
  const tokenizer = await openTokenizer(loaded);
  const engine = createNodeEngine({ threads: options.threads });
  const harness = await createHarness(engine, loaded, tokenizer, options.batchSize);
  const texts = readBenchTexts(options.assetsDir, tokenizer, options.seqlen, options.evalWindows);
  const runs = benchmarkRuns();
  const measurements: Measurement[] = [];
  const evalProtocols: Record<string, string> = Object.fromEntries(texts.fixedEval.map((set) => [set.name, set.protocol]));
  progress(`loaded the model, tokenizer and evaluation text; ${runs.length} runs × ${options.sparsities.length} sparsities × ${options.seeds.length} seeds`);

  try {
    for (const seed of options.seeds) {
      const stories = splitStories(texts.stories, seed);
      const storiesEval = evalSet(stories.evaluation, tokenizer, options.seqlen, options.evalWindows);
      evalProtocols[storiesEval.name] ??= storiesEval.protocol;
      const evalSets = [storiesEval, ...texts.fixedEval];

      const calibrated = await harness.calibrate([stories.calibration, texts.wikiValid, texts.ptbValid], { ...options.calibration, seed });
      const context: SeedContext = {
        seed,
        harness,
        calibrated: Object.fromEntries(CALIBRATION_SETS.map((set, i) => [set, calibrated[i]])) as SeedContext['calibrated'],
        heldOut: calibrated.flatMap((set) => set.heldOut),
        searchEvaluations: options.searchEvaluations,
        compensators: new Map(),
        layerSearches: new Map(),
      };

      const dense = denseMasks(harness.weights);
      const densePerplexity = await harness.perplexities(evalSets, dense);
      measurements.push({ run: 'dense', group: 'dense', seed, sparsity: 0, perplexity: densePerplexity, keptParameters: countParameters(harness.weights, dense.map((mask) => mask.length)).after });
      progress(`seed ${seed}: calibrated and evaluated the dense model`);

      for (const sparsity of options.sparsities) {
        for (const run of runs) {
          const outcome = await run.execute(context, sparsity);
          // A reused outcome has the masks of a run already measured on the same windows.
          const reused = outcome.reusedFrom && measurements.find((m) => m.run === outcome.reusedFrom && m.seed === seed && m.sparsity === sparsity);
          const perplexity = reused ? { ...reused.perplexity } : await harness.perplexities(evalSets, outcome.masks, outcome.compensate);
          measurements.push({
            run: run.id,
            group: run.group,
            seed,
            sparsity,
            perplexity,
            keptParameters: outcome.keptParameters,
            search: outcome.search,
            reusedFrom: outcome.reusedFrom,
            modules: outcome.modules,
          });
        }
        progress(`seed ${seed}, sparsity ${sparsity}: ${runs.length} runs done`);
      }
    }
  } finally {
    await harness.release();
  }

  const cpu = process.cpuUsage(cpuAtStart);
  const record: RunRecord = {
    command: options.command,
    startedAt,
    wallSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    loadAverage: [loadAtStart, os.loadavg()[0]],
    cpu: cpuModel(),
    cores: os.cpus().length,
    node: process.version,
    engine: engine.name,
    seeds: options.seeds,
    sparsities: options.sparsities,
    searchEvaluations: options.searchEvaluations,
    calibrationProtocol: calibrationProtocol(options.calibration, tokenizer.bosId !== null).replace(/\(seed \d+\)/, '(seed = the run seed)'),
    evalProtocols,
    evalSets: ['tinystories', ...texts.fixedEval.map((set) => set.name)],
    seqlen: options.seqlen,
    ffnParameters: countParameters(harness.weights, []).before,
  };
  return { record, measurements };
}

/** Returns the CPU model name as lscpu reports it, else Node's. */
function cpuModel(): string {
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' })
      .split('\n')
      .find((text) => text.startsWith('Model name:'));
    if (line) return line.slice('Model name:'.length).trim();
  } catch {
    // lscpu is missing (not Linux): fall back to Node's report below.
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}
