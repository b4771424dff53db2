/**
 * The module keep counts in force: the plan's (or the learned) counts with the user's
 * overrides applied.
 */
import { keepCountsWithOverrides, keptFfnParameters, type ModuleShape } from '../../core/views/moduleKeeps';
import type { StudioState } from '../state/store';

export function moduleShapes(state: Pick<StudioState, 'plan'>): ModuleShape[] {
  return state.plan?.modules.map((m) => ({ layer: m.layer, module: m.module, size: m.size, paramsPerNeuron: m.paramsPerNeuron })) ?? [];
}

export function currentCounts(state: Pick<StudioState, 'plan' | 'baseCounts' | 'overrides'>): number[] {
  if (!state.plan) return [];
  return keepCountsWithOverrides(moduleShapes(state), state.baseCounts, state.overrides, state.plan.minPerLayer);
}

export function currentFfnParameters(state: Pick<StudioState, 'plan' | 'baseCounts' | 'overrides'>): number {
  return keptFfnParameters(moduleShapes(state), currentCounts(state));
}
