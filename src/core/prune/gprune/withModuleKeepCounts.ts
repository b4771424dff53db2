import { keptParameters, layerKeepCounts, masksForKeepCounts } from '../search/problem';
import type { GprunePlan } from './plan';

/**
 * Returns a copy of the plan with new module keep counts (neurons, in `plan.problem.modules`
 * order), such as a search result's, and its masks, layer keep counts and parameters
 * rebuilt. `searched` marks the method as searched. Raises INVALID_ARGUMENT for counts
 * that do not fit the modules.
 */
export function withModuleKeepCounts(plan: GprunePlan, keepCounts: readonly number[], searched = true): GprunePlan {
  return {
    ...plan,
    method: { ...plan.method, searched },
    masks: masksForKeepCounts(plan.problem, keepCounts),
    keepCounts: layerKeepCounts(plan.problem, keepCounts),
    parameters: { before: plan.parameters.before, after: keptParameters(plan.problem, keepCounts) },
    moduleKeepCounts: [...keepCounts],
  };
}
