/**
 * Command-line settings of the generalization benchmark, with the full and `--quick` presets.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { GpruneError } from '../../src/core/errors';
import { DEFAULT_CALIBRATION_CONFIG, type CalibrationConfig } from '../../src/core/pipeline/calibration';

export interface BenchOptions {
  quick: boolean;
  /** Model folder. */
  modelDir: string;
  /** Folder with the tinystories-valid, wikitext-2, ptb and llm-foundry-eval assets. */
  assetsDir: string;
  /** One full repetition of every run per seed (TinyStories split, calibration windows, k-means, search, random metric). */
  seeds: number[];
  /** Ratios 0–1 of FFN parameters removed. */
  sparsities: number[];
  /** Tokens per evaluation window, BOS included. */
  seqlen: number;
  /** Evaluation windows per set, the first ones of each set. */
  evalWindows: number;
  /** Loss evaluations of every search, the prior's included. */
  searchEvaluations: number;
  calibration: CalibrationConfig;
  /** onnxruntime intra-op threads. */
  threads: number;
  /** Windows per onnxruntime run. */
  batchSize: number;
  /** Markdown file whose generalization section is replaced, or null to print only. */
  docsFile: string | null;
  /** JSON file that receives the run record and every measurement, or null. */
  resultsFile: string | null;
  /** JSON file of an earlier run to render again without running anything, or null. */
  renderFile: string | null;
  /** The command line as run, for the record. */
  command: string;
}

const USAGE = `npx tsx bench/generalization.ts [--quick] [--seeds 0,1,2] [--sparsities 0.2,0.3,0.5]
  [--eval-windows N] [--search-evals N] [--samples N] [--held-out N] [--threads N]
  [--model DIR] [--assets DIR] [--docs FILE | --no-docs] [--results FILE] [--render FILE]`;

/** Parses the benchmark's arguments. Raises INVALID_ARGUMENT with the usage for an invalid value. */
export function readBenchOptions(argv: string[], repoRoot: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      seeds: { type: 'string' },
      sparsities: { type: 'string' },
      'eval-windows': { type: 'string' },
      'search-evals': { type: 'string' },
      samples: { type: 'string' },
      'held-out': { type: 'string' },
      threads: { type: 'string', default: '1' },
      model: { type: 'string' },
      assets: { type: 'string' },
      docs: { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      results: { type: 'string' },
      render: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }

  const quick = values.quick;
  const shared = path.resolve(repoRoot, '../shared');
  const calibration: CalibrationConfig = {
    ...DEFAULT_CALIBRATION_CONFIG,
    samples: integer('samples', values.samples, quick ? 16 : DEFAULT_CALIBRATION_CONFIG.samples, 1),
    heldOutSamples: integer('held-out', values['held-out'], quick ? 2 : DEFAULT_CALIBRATION_CONFIG.heldOutSamples, 1),
  };
  // The quick run is a smoke test: it writes no docs unless --docs names a file.
  let docsFile: string | null = quick ? null : path.join(repoRoot, 'docs/BENCHMARKS.md');
  if (values.docs) docsFile = path.resolve(values.docs);
  if (values['no-docs']) docsFile = null;
  let resultsFile: string | null = quick ? null : path.join(repoRoot, 'bench/generalization/results.json');
  if (values.results) resultsFile = path.resolve(values.results);

  return {
    quick,
    modelDir: path.resolve(values.model ?? path.join(shared, 'models/stories260K-llama')),
    assetsDir: path.resolve(values.assets ?? path.join(shared, 'assets')),
    seeds: list('seeds', values.seeds, quick ? [0] : [0, 1, 2]).map((seed) => checkInteger('seeds', seed, 0)),
    sparsities: list('sparsities', values.sparsities, quick ? [0.5] : [0.2, 0.3, 0.5]).map(checkSparsity),
    seqlen: calibration.seqlen,
    evalWindows: integer('eval-windows', values['eval-windows'], quick ? 12 : 64, 1),
    searchEvaluations: integer('search-evals', values['search-evals'], quick ? 8 : 100, 1),
    calibration,
    threads: integer('threads', values.threads, 1, 1),
    batchSize: calibration.batchSize,
    docsFile,
    resultsFile,
    renderFile: values.render ? path.resolve(values.render) : null,
    command: ['npx tsx bench/generalization.ts', ...argv].join(' '),
  };
}

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  return text === undefined ? fallback : checkInteger(name, Number(text), min);
}

function checkInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new GpruneError('INVALID_ARGUMENT', `--${name} ${value} is invalid: use an integer ≥ ${min}.\nUsage: ${USAGE}`);
  }
  return value;
}

function checkSparsity(value: number): number {
  if (!(value >= 0 && value < 1)) {
    throw new GpruneError('INVALID_ARGUMENT', `--sparsities entry ${value} is invalid: use ratios in [0, 1), e.g. 0.2,0.5.\nUsage: ${USAGE}`);
  }
  return value;
}

function list(name: string, text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.length === 0 || values.some((value) => Number.isNaN(value))) {
    throw new GpruneError('INVALID_ARGUMENT', `--${name} "${text}" is invalid: give comma-separated numbers.\nUsage: ${USAGE}`);
  }
  return values;
}
