/**
 * Measurements of the benchmark and their summaries over seeds.
 */
import type { ModuleDiagnostics, RunGroup, SearchSummary } from './runs';

/** One run at one sparsity and seed. */
export interface Measurement {
  run: string;
  group: RunGroup | 'dense';
  seed: number;
  /** Ratio 0–1 of FFN parameters removed; 0 for the dense model. */
  sparsity: number;
  /** Perplexity by evaluation set. */
  perplexity: Record<string, number>;
  keptParameters: number;
  search?: SearchSummary;
  reusedFrom?: string;
  modules?: ModuleDiagnostics;
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance = n > 1 ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

/** Formats "12.34 ± 0.56", or "12.34" for one seed. */
export function formatMeanStd(summary: MeanStd, digits = 2): string {
  const mean = summary.mean.toFixed(digits);
  return summary.n > 1 ? `${mean} ± ${summary.std.toFixed(digits)}` : mean;
}

/** Selects the measurements of one run at one sparsity, one per seed, ordered by seed. */
export function select(measurements: readonly Measurement[], run: string, sparsity: number): Measurement[] {
  return measurements.filter((m) => m.run === run && m.sparsity === sparsity).sort((a, b) => a.seed - b.seed);
}

/** Perplexity of `run` on `set` over seeds. */
export function perplexityOf(measurements: readonly Measurement[], run: string, sparsity: number, set: string): MeanStd | null {
  const rows = select(measurements, run, sparsity);
  return rows.length === 0 ? null : meanStd(rows.map((row) => row.perplexity[set]));
}

/**
 * Relative perplexity change of `run` against `reference` in percent, paired by seed:
 * mean ± std of 100·(ppl_run / ppl_reference − 1), and the seeds where `run` is lower.
 */
export function pairedChange(measurements: readonly Measurement[], run: string, reference: string, sparsity: number, set: string): { change: MeanStd; wins: number } | null {
  const runs = select(measurements, run, sparsity);
  const references = select(measurements, reference, sparsity);
  const pairs = runs.flatMap((row) => {
    const match = references.find((other) => other.seed === row.seed);
    return match ? [[row.perplexity[set], match.perplexity[set]] as const] : [];
  });
  if (pairs.length === 0) return null;
  return { change: meanStd(pairs.map(([value, base]) => 100 * (value / base - 1))), wins: pairs.filter(([value, base]) => value < base).length };
}
