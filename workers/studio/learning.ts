/**
 * The learned module-wise sparsity search (METHOD step 6) on the current plan's modules,
 * with the loss on held-out calibration windows through masks.
 */
import { searchModuleSparsity } from '../../src/core/prune/search/searchModuleSparsity';
import type { SearchProblem } from '../../src/core/prune/search/problem';
import type { JobProgress, LearnResult } from './api';

export async function learnModuleSparsity(
  problem: SearchProblem,
  evaluations: number,
  seed: number,
  signal: AbortSignal,
  onProgress: (event: JobProgress) => void,
  loss: (masks: Uint8Array[], signal: AbortSignal) => Promise<number>,
): Promise<LearnResult> {
  let priorLoss: number | undefined;
  const result = await searchModuleSparsity(problem, (masks) => loss(masks, signal), {
    evaluations,
    seed,
    moveSize: 'auto',
    signal,
    onProgress: (event) => {
      priorLoss ??= event.bestLoss;
      onProgress({ phase: 'search', done: event.done, total: event.total, unit: 'evaluations', detail: `evaluation ${event.done} of ${event.total}`, bestLoss: event.bestLoss, priorLoss });
    },
  });
  return {
    moduleKeepCounts: result.keepCounts,
    priorLoss: result.priorLoss,
    loss: result.loss,
    evaluations: result.evaluations,
    stopReason: result.stopReason,
    bestLossHistory: result.history.map((step) => step.bestLoss),
  };
}
