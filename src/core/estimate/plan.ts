/**
 * The work an estimate is for: how many token windows of which length, in batches of which
 * size, and how many forward passes over them.
 */
import { GpruneError } from '../errors';

export interface RunPlan {
  /** Token windows per pass (all calibration datasets together). */
  windows: number;
  /** Tokens per window. @defaultValue 128 */
  seqlen: number;
  /** Windows per onnxruntime run. @defaultValue 4 */
  batchSize: number;
  /**
   * Forward passes over the windows: 1 for profiling or a perplexity evaluation, the
   * evaluation budget for the sparsity search. @defaultValue 1
   */
  passes: number;
}

export const DEFAULT_RUN_PLAN: Omit<RunPlan, 'windows'> = { seqlen: 128, batchSize: 4, passes: 1 };

/** Fills defaults and raises INVALID_CONFIG naming the first invalid field. */
export function resolveRunPlan(plan: Partial<RunPlan> & Pick<RunPlan, 'windows'>): RunPlan {
  const resolved: RunPlan = { ...DEFAULT_RUN_PLAN, ...plan };
  for (const key of ['windows', 'seqlen', 'batchSize', 'passes'] as const) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new GpruneError('INVALID_CONFIG', `Run plan ${key} ${String(value)} is invalid: give an integer ≥ 1.`, { details: { [key]: value } });
    }
  }
  return resolved;
}
