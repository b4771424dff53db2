import type { TaskScoreRow } from '../../../../workers/studio/api';

/** Mean acc over a variant's tasks, and mean acc_norm over those that report it (as `gprune eval --tasks` prints). */
export function averageTaskScores(rows: readonly TaskScoreRow[]): { acc: number; accNorm: number | null; tasks: number } {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const norms = rows.flatMap((r) => (r.accNorm === null ? [] : [r.accNorm]));
  return { acc: mean(rows.map((r) => r.acc)), accNorm: norms.length ? mean(norms) : null, tasks: rows.length };
}

/** A share in percent with two decimals, or "–" when missing. */
export function percent(value: number | null): string {
  return value === null || Number.isNaN(value) ? '–' : (100 * value).toFixed(2);
}
