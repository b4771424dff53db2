import { GpruneError } from '../errors';

/**
 * Checks shared by the config validators. Each raises INVALID_CONFIG with a message that
 * names the field, the value and the allowed range.
 */

/** Requires a sparsity (ratio of FFN parameters removed) in [0, 1). */
export function checkSparsity(sparsity: number, field = 'sparsity'): void {
  if (!(typeof sparsity === 'number' && sparsity >= 0 && sparsity < 1)) {
    throw new GpruneError('INVALID_CONFIG', `${field} ${String(sparsity)} is out of range [0, 1); pass the fraction of FFN parameters to remove, e.g. 0.2`);
  }
}

/** Requires an integer not below `min`. */
export function checkInteger(value: number, field: string, min: number): void {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new GpruneError('INVALID_CONFIG', `${field} ${String(value)} is invalid; pass an integer >= ${min}`);
  }
}

/** Requires a finite number. */
export function checkFinite(value: number, field: string): void {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw new GpruneError('INVALID_CONFIG', `${field} ${String(value)} is invalid; pass a finite number`);
  }
}

/** Requires one of the listed string values. */
export function checkOneOf<T extends string>(value: T, field: string, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw new GpruneError('INVALID_CONFIG', `${field} "${String(value)}" is invalid; use one of: ${allowed.join(', ')}`);
  }
}
