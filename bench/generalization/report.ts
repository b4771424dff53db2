/**
 * Markdown tables of the generalization benchmark, printed and written to docs/BENCHMARKS.md.
 */
import type { RunSpec } from './runs';
import { CALIBRATION_SETS } from './runs';
import { type Measurement, formatMeanStd, meanStd, pairedChange, perplexityOf, select } from './summary';

export interface RunRecord {
  command: string;
  startedAt: string;
  wallSeconds: number;
  /** CPU time of the benchmark process (user + system). */
  cpuSeconds: number;
  /** One-minute load average of the machine at the start and at the end. */
  loadAverage: [number, number];
  cpu: string;
  cores: number;
  node: string;
  engine: string;
  seeds: number[];
  sparsities: number[];
  searchEvaluations: number;
  calibrationProtocol: string;
  /** Protocol line of each evaluation set (the first seed's for TinyStories). */
  evalProtocols: Record<string, string>;
  /** Evaluation sets in column order. */
  evalSets: string[];
  /** Tokens per evaluation window, BOS included. */
  seqlen: number;
  ffnParameters: number;
}

const SET_TITLES: Record<string, string> = {
  tinystories: 'TinyStories (held-out half)',
  'wikitext-2': 'WikiText-2 test',
  ptb: 'PTB test',
  lambada: 'LAMBADA',
};

export function buildReport(record: RunRecord, runs: RunSpec[], measurements: Measurement[]): string {
  const parts = [
    runSection(record),
    mainTable(record, runs, measurements),
    pairedTable(record, measurements),
    singleSetTable(record, runs, measurements),
    ablationTable(record, measurements),
    switchTable(record, measurements),
    searchTable(record, runs, measurements),
    budgetCheck(record, measurements),
  ];
  return parts.join('\n\n') + '\n';
}

function runSection(record: RunRecord): string {
  const seeds = record.seeds.length;
  const textTokens = record.seqlen - 1;
  return [
    `Command: \`${record.command}\` (started ${record.startedAt}, wall time ${formatDuration(record.wallSeconds)}, CPU time ${formatDuration(record.cpuSeconds)}).`,
    `Machine: ${record.cpu}, ${record.cores} cores, Node ${record.node}, ${record.engine}. The one-minute load average was ${record.loadAverage[0].toFixed(1)} at the start and ${record.loadAverage[1].toFixed(1)} at the end, because other work shared the machine, so the wall time varies with it.`,
    '',
    '**Protocol**',
    '',
    `- Model: stories260K-llama (5 layers × 172 SwiGLU neurons, ${record.ffnParameters.toLocaleString('en-US')} FFN parameters). Sparsity is the share of FFN parameters removed, and every method at one sparsity removes the same number of neurons.`,
    '- Calibration sets: a seeded half of the 100 TinyStories validation stories, WikiText-2 valid (`wiki.valid.tokens`) and PTB valid. All calibrated methods get the same pooled text unless a row says otherwise.',
    `- Calibration windows: ${record.calibrationProtocol}.`,
    '- Evaluation sets, disjoint from the calibration text: the other half of the stories, WikiText-2 test (`wiki.test.raw`), PTB test, and the LAMBADA (OpenAI) passages, each its context + " " + continuation.',
    `- Perplexity: exp(mean NLL over all predicted tokens) of non-overlapping concatenated windows of ${record.seqlen} tokens, BOS prepended to each window (1 + ${textTokens} text tokens). It is computed through the mask and bias inputs of the instrumented graph, without re-export.`,
    '- Bias compensation (FLAP) is on for the flap-based methods and off for the others.',
    `- Seeds: ${record.seeds.join(', ')}. A seed sets the TinyStories split, the calibration window offsets, k-means, the search moves and the random metric. ` +
      (seeds > 1 ? `Cells show mean ± sample std over the ${seeds} seeds.` : 'With one seed, cells show its value.'),
    `- Search: at most ${record.searchEvaluations} loss evaluations (the prior's included) on the held-out calibration windows.`,
    '- Evaluation windows per set:',
    ...record.evalSets.map((set) => `  - ${SET_TITLES[set] ?? set}${set === 'tinystories' ? ` (seed ${record.seeds[0]})` : ''}: ${record.evalProtocols[set]}.`),
  ].join('\n');
}

function header(record: RunRecord, first: string[]): string {
  const columns = [...first, ...record.evalSets.map((set) => SET_TITLES[set] ?? set)];
  return `| ${columns.join(' | ')} |\n|${columns.map((_, i) => (i < first.length ? ' --- ' : ' ---: ')).join('|')}|`;
}

function perplexityCells(record: RunRecord, measurements: Measurement[], run: string, sparsity: number): string[] {
  return record.evalSets.map((set) => {
    const value = perplexityOf(measurements, run, sparsity, set);
    return value === null ? '–' : formatMeanStd(value);
  });
}

function mainTable(record: RunRecord, runs: RunSpec[], measurements: Measurement[]): string {
  const lines = ['### Perplexity by method, sparsity and evaluation set', '', header(record, ['sparsity', 'method'])];
  lines.push(`| 0 % | dense | ${perplexityCells(record, measurements, 'dense', 0).join(' | ')} |`);
  for (const sparsity of record.sparsities) {
    for (const run of runs.filter((spec) => spec.group === 'main')) {
      lines.push(`| ${percent(sparsity)} | ${run.id} | ${perplexityCells(record, measurements, run.id, sparsity).join(' | ')} |`);
    }
  }
  lines.push(
    '',
    'random, magnitude and wanda-sp keep the same ratio in every layer. flap uses its global threshold on standardized scores. ' +
      'GPrune uses K = 4 modules per layer, the metric switch and the learned module sparsity. All calibrated methods see the same pooled calibration text.',
  );
  return lines.join('\n');
}

function pairedTable(record: RunRecord, measurements: Measurement[]): string {
  const pairs: [string, string][] = [
    ['gprune/base=flap', 'flap'],
    ['gprune/base=wanda-sp', 'wanda-sp'],
    ['flap + layer search', 'flap'],
    ['wanda-sp + layer search', 'wanda-sp'],
  ];
  const lines = [
    '### Change against the base method, paired by seed',
    '',
    `Relative perplexity change in %, 100·(ppl / ppl_base − 1), mean ± std over seeds; negative is better. In brackets: seeds (of ${record.seeds.length}) where the method is lower than its base.`,
    '',
    header(record, ['sparsity', 'method', 'base']),
  ];
  for (const sparsity of record.sparsities) {
    for (const [run, base] of pairs) {
      const cells = record.evalSets.map((set) => {
        const paired = pairedChange(measurements, run, base, sparsity, set);
        return paired === null ? '–' : `${signed(paired.change.mean)}${paired.change.n > 1 ? ` ± ${paired.change.std.toFixed(1)}` : ''} (${paired.wins})`;
      });
      lines.push(`| ${percent(sparsity)} | ${run} | ${base} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

function singleSetTable(record: RunRecord, runs: RunSpec[], measurements: Measurement[]): string {
  const lines = ['### Baselines calibrated on one set (generalization matrix)', '', header(record, ['sparsity', 'method', 'calibration'])];
  for (const sparsity of record.sparsities) {
    for (const base of ['flap', 'wanda-sp']) {
      lines.push(`| ${percent(sparsity)} | ${base} | all three (pooled) | ${perplexityCells(record, measurements, base, sparsity).join(' | ')} |`);
      for (const set of CALIBRATION_SETS) {
        const id = `${base} [${set} only]`;
        if (!runs.some((run) => run.id === id)) continue;
        lines.push(`| ${percent(sparsity)} | ${base} | ${set} only | ${perplexityCells(record, measurements, id, sparsity).join(' | ')} |`);
      }
      lines.push(`| ${percent(sparsity)} | gprune/base=${base} | all three (per set) | ${perplexityCells(record, measurements, `gprune/base=${base}`, sparsity).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

function ablationTable(record: RunRecord, measurements: Measurement[]): string {
  const lines = [
    '### Ablations',
    '',
    'Held-out loss: mean NLL (nats) on the held-out calibration windows, the quantity the search minimizes (prior → result).',
    '',
    header(record, ['sparsity', 'variant', 'held-out loss']),
  ];
  for (const base of ['flap', 'wanda-sp']) {
    const variants = [base, `${base} + layer search`, `gprune/base=${base}, prior only`, `gprune/base=${base}, K=1`, `gprune/base=${base}, no switch`, `gprune/base=${base}`];
    for (const sparsity of record.sparsities) {
      for (const run of variants) {
        const rows = select(measurements, run, sparsity);
        if (rows.length === 0) continue;
        const searched = rows.filter((row) => row.search);
        const loss = searched.length === 0 ? '–' : `${formatMeanStd(meanStd(searched.map((row) => row.search!.priorLoss)), 4)} → ${formatMeanStd(meanStd(searched.map((row) => row.search!.loss)), 4)}`;
        const reused = rows.some((row) => row.reusedFrom) ? ` (same problem as ${rows.find((row) => row.reusedFrom)!.reusedFrom}; reused)` : '';
        lines.push(`| ${percent(sparsity)} | ${run}${reused} | ${loss} | ${perplexityCells(record, measurements, run, sparsity).join(' | ')} |`);
      }
    }
  }
  lines.push(
    '',
    '"layer search": the base method\'s own plan with the same search, one module per layer, so the gain of the search alone. ' +
      '"prior only": modules and metric switch, keep counts inherited from the base allocation, no search. "K=1": one module per layer (switch on, search). "no switch": K = 4 and search, every module scored by the base metric.',
  );
  return lines.join('\n');
}

function switchTable(record: RunRecord, measurements: Measurement[]): string {
  const lines = [
    '### What the metric switch changes',
    '',
    'A module is flagged unreliable when its mean σ is above the layer median and its mean m below it. ' +
      'The columns count the flagged modules and their neurons over all layers, then the neurons the run keeps that the base plan removes. ' +
      'As many neurons move the other way, so the budget stays the same. Values are mean ± std over seeds. ' +
      'The "no switch" run flags the same modules but scores them by the base metric, so its changes come from the search alone.',
    '',
    '| sparsity | run | unreliable modules | neurons in them | kept neurons changed from the base plan |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const sparsity of record.sparsities) {
    for (const base of ['flap', 'wanda-sp']) {
      for (const run of [`gprune/base=${base}, prior only`, `gprune/base=${base}`, `gprune/base=${base}, no switch`]) {
        const rows = select(measurements, run, sparsity).filter((row) => row.modules);
        if (rows.length === 0) continue;
        const of = rows[0].modules!.modules;
        const cell = (pick: (row: Measurement) => number) => formatMeanStd(meanStd(rows.map(pick)), 1);
        lines.push(`| ${percent(sparsity)} | ${run} | ${cell((row) => row.modules!.unreliableModules)} of ${of} | ${cell((row) => row.modules!.unreliableNeurons)} | ${cell((row) => row.modules!.changedFromBase)} |`);
      }
    }
  }
  return lines.join('\n');
}

function searchTable(record: RunRecord, runs: RunSpec[], measurements: Measurement[]): string {
  const lines = [
    '### Search cost',
    '',
    '| sparsity | run | loss evaluations | accepted moves | stop reason | seconds per search |',
    '| --- | --- | ---: | ---: | --- | ---: |',
  ];
  for (const sparsity of record.sparsities) {
    for (const run of runs) {
      const rows = select(measurements, run.id, sparsity).filter((row) => row.search && !row.reusedFrom);
      if (rows.length === 0) continue;
      const reasons = [...new Set(rows.map((row) => row.search!.stopReason))].join(', ');
      lines.push(
        `| ${percent(sparsity)} | ${run.id} | ${formatMeanStd(meanStd(rows.map((row) => row.search!.evaluations)), 1)} | ${formatMeanStd(meanStd(rows.map((row) => row.search!.acceptedMoves)), 1)} | ${reasons} | ${formatMeanStd(meanStd(rows.map((row) => row.search!.seconds)), 1)} |`,
      );
    }
  }
  const searches = measurements.filter((row) => row.search && !row.reusedFrom);
  const evaluations = searches.reduce((sum, row) => sum + row.search!.evaluations, 0);
  lines.push('', `In all: ${searches.length} searches, ${evaluations.toLocaleString('en-US')} loss evaluations. K=1 runs whose problem equals the layer search's reuse its result and are not counted twice.`);
  return lines.join('\n');
}

/** States whether every method kept the same FFN parameters at each sparsity. */
function budgetCheck(record: RunRecord, measurements: Measurement[]): string {
  const lines = record.sparsities.map((sparsity) => {
    const kept = new Set(measurements.filter((m) => m.sparsity === sparsity).map((m) => m.keptParameters));
    const values = [...kept].map((value) => value.toLocaleString('en-US')).join(', ');
    return `${percent(sparsity)}: ${kept.size === 1 ? `every run keeps ${values} FFN parameters` : `runs keep different parameter counts (${values})`}`;
  });
  return `Budget check: ${lines.join('; ')}.`;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${Math.round(seconds - 60 * minutes)} s` : `${seconds.toFixed(1)} s`;
}
