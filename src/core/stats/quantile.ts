import { GpruneError } from '../errors';

/**
 * The p-quantile (p a ratio in [0, 1]) of the values, interpolated linearly between the
 * two nearest order statistics (the rule of d3-array `quantile` and numpy's default).
 * The input is copied, never reordered. Raises INVALID_ARGUMENT for an empty input.
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) {
    throw new GpruneError('INVALID_ARGUMENT', 'cannot take a quantile of no values');
  }
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The median of the values: `quantile(values, 0.5)`. */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}
