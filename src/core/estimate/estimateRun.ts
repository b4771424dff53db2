/**
 * The estimate the studio shows before profiling: memory, time and what does not fit.
 */
import type { ModelDimensions } from './dimensions';
import { type DeviceLimits, type FitProblem, checkFit, largestFittingBatch } from './limits';
import { type MemoryEstimate, estimateMemory } from './memory';
import { type RunPlan, resolveRunPlan } from './plan';
import { type TimeEstimate, estimateTime, guessThroughput } from './time';

export interface RunEstimate {
  plan: RunPlan;
  memory: MemoryEstimate;
  time: TimeEstimate;
  problems: FitProblem[];
  /** The largest batch size up to plan.batchSize that fits the device; 0 when none does. */
  fittingBatchSize: number;
}

/**
 * Estimates a run of `plan` on `device`. `throughput` (FLOP/s) defaults to the guess for
 * the engine with `threads` threads; pass a measured one once a batch has run.
 */
export function estimateRun(
  dims: ModelDimensions,
  plan: Partial<RunPlan> & Pick<RunPlan, 'windows'>,
  device: DeviceLimits,
  options: { throughput?: number; threads?: number } = {},
): RunEstimate {
  const resolved = resolveRunPlan(plan);
  const memory = estimateMemory(dims, resolved);
  return {
    plan: resolved,
    memory,
    time: estimateTime(dims, resolved, options.throughput ?? guessThroughput(device.engine, options.threads)),
    problems: checkFit(dims, memory, device),
    fittingBatchSize: largestFittingBatch(dims, resolved, device),
  };
}
