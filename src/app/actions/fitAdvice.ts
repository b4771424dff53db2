/**
 * Advice of the Profile step from an estimate's fit problems: the problems to show, whether
 * the profile needs the user's confirmation, and the batch size to offer instead.
 */
import type { FitProblem } from '../../core/estimate';
import type { ProfileEstimate } from '../../../workers/studio/api';

export interface FitAdvice {
  /** Problems of the profile run; the export-only warning about external data is left out. */
  problems: FitProblem[];
  /** True when the profile cannot work as planned or may fail, so it runs only after a confirmation. */
  needsConfirmation: boolean;
  /** A smaller batch size that fits, or null when lowering the batch does not help or is not needed. */
  lowerBatchTo: number | null;
}

/** Problems that concern exporting, not profiling. */
const EXPORT_ONLY = new Set<FitProblem['id']>(['export-needs-external-data']);

export function fitAdvice(estimate: ProfileEstimate | null): FitAdvice {
  if (!estimate) return { problems: [], needsConfirmation: false, lowerBatchTo: null };
  const problems = estimate.problems.filter((problem) => !EXPORT_ONLY.has(problem.id));
  const fits = estimate.fittingBatchSize;
  return {
    problems,
    needsConfirmation: problems.length > 0,
    lowerBatchTo: problems.length > 0 && fits > 0 && fits < estimate.batchSize ? fits : null,
  };
}
