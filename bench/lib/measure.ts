/**
 * Timing and memory helpers: medians, interleaved rounds, and a peak-RSS sampler.
 */

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function minimum(values: number[]): number {
  return values.reduce((a, b) => Math.min(a, b), Infinity);
}

/**
 * Runs every variant once per round, alternating the order from round to round (ABBA…),
 * so slow drift of a shared machine hits all variants alike. Returns each variant's
 * measurements in round order.
 */
export async function interleave<K extends string>(rounds: number, variants: Record<K, () => Promise<number>>): Promise<Record<K, number[]>> {
  const names = Object.keys(variants) as K[];
  const results = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results[name].push(await variants[name]());
  }
  return results;
}

/** Median of the per-round ratios a[i] / b[i]; pairs from the same round share machine conditions. */
export function medianRatio(a: number[], b: number[]): number {
  return median(a.map((x, i) => x / b[i]));
}

/** Seconds taken by `work`. */
export async function seconds(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

/**
 * Samples the resident set size every `intervalMs` while running; `peak` is the largest
 * sample. Native allocations (onnxruntime) count too, unlike heap statistics.
 */
export class RssSampler {
  peak = 0;
  private timer?: ReturnType<typeof setInterval>;

  start(intervalMs = 5): this {
    this.peak = process.memoryUsage.rss();
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage.rss())), intervalMs);
    return this;
  }

  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}

export const MIB = 2 ** 20;

export function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(0)} MiB`;
}
