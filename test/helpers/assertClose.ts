import { assert } from 'vitest';

/** Largest |a[i] − b[i]|; NaN when the lengths differ or any entry is NaN. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i] - b[i]);
    if (Number.isNaN(diff)) return NaN;
    max = Math.max(max, diff);
  }
  return max;
}

export interface CloseTolerance {
  /** Absolute tolerance. @defaultValue 0 */
  abs?: number;
  /** Tolerance relative to |expected[i]|. @defaultValue 0 */
  rel?: number;
  /** Name of the compared values in the failure message. */
  label?: string;
}

/**
 * Fails unless |actual[i] − expected[i]| ≤ abs + rel·|expected[i]| for every i. The message
 * names the worst index, both values and the tolerance there.
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: CloseTolerance = {}): void {
  const { abs = 0, rel = 0, label = 'values' } = tolerance;
  if (actual.length !== expected.length) {
    assert.fail(`${label}: length ${actual.length} differs from the expected ${expected.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const allowed = abs + rel * Math.abs(expected[i]);
    const diff = Math.abs(actual[i] - expected[i]);
    // Two infinities of the same sign or two NaNs are equal here.
    if (Object.is(actual[i], expected[i]) || actual[i] === expected[i]) continue;
    const excess = Number.isNaN(diff) ? Infinity : diff - allowed;
    if (excess > worstExcess || (worst < 0 && excess > 0)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    const allowed = abs + rel * Math.abs(expected[worst]);
    assert.fail(`${label}[${worst}]: got ${actual[worst]}, expected ${expected[worst]} (|Δ| ${Math.abs(actual[worst] - expected[worst])} > tolerance ${allowed})`);
  }
}
