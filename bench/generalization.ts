/**
 * Generalization benchmark: GPrune against its base methods and the usual baselines on
 * stories260K-llama, calibrated on TinyStories/WikiText-2/PTB text and evaluated on
 * disjoint text of the same sources plus LAMBADA, with ablations and several seeds.
 *
 *   npx tsx bench/generalization.ts [--quick] [--seeds 0,1,2] [--sparsities 0.2,0.3,0.5] ...
 *
 * Prints the tables. A full run also saves every measurement to
 * bench/generalization/results.json and replaces the generated part of the generalization
 * section of docs/BENCHMARKS.md. `--render FILE` formats a saved run again without running
 * the model. `--help` lists the options.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSection } from './generalization/docsSection';
import { type BenchResults, runBenchmark } from './generalization/execute';
import { readBenchOptions } from './generalization/options';
import { buildReport } from './generalization/report';
import { benchmarkRuns } from './generalization/runs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const options = readBenchOptions(process.argv.slice(2), repoRoot);
const started = performance.now();

let results: BenchResults;
if (options.renderFile) {
  results = JSON.parse(readFileSync(options.renderFile, 'utf8')) as BenchResults;
} else {
  results = await runBenchmark(options, progress);
  if (options.resultsFile) {
    writeFileSync(options.resultsFile, JSON.stringify(results, null, 1) + '\n');
    console.error(`Wrote ${path.relative(process.cwd(), options.resultsFile)}.`);
  }
}

const report = buildReport(results.record, benchmarkRuns(), results.measurements);
console.log('\n' + report);
if (options.docsFile) {
  writeSection(options.docsFile, report);
  console.error(`Wrote the generalization section of ${path.relative(process.cwd(), options.docsFile)}.`);
}

function progress(message: string): void {
  console.error(`[generalization ${((performance.now() - started) / 1000).toFixed(1)} s] ${message}`);
}
