import type { StateCreator } from 'zustand';
import { DEFAULT_PRUNE_SETTINGS, type ModuleOverride, type PruneSettings } from '../../core/session/pruneSettings';
import type { LearnResult, LossEstimate, PlanResult } from '../../../workers/studio/api';
import type { StudioState } from './store';

/** The plan without its bulk analysis arrays, which live outside the store (see analysisStore). */
export type PlanSummary = Omit<PlanResult, 'analysis'>;

export interface PruneSlice {
  settings: PruneSettings;
  plan: PlanSummary | null;
  /** Keep count per module before overrides: the plan's prior, or the learned counts. */
  baseCounts: number[];
  overrides: ModuleOverride[];
  learned: LearnResult | null;
  loss: LossEstimate | null;
  /** True while a loss estimate for the current counts is pending. */
  lossPending: boolean;
  planError: string | null;
  setSettings(patch: Partial<PruneSettings>): void;
  setPlan(plan: PlanSummary | null): void;
  setBaseCounts(counts: number[]): void;
  setOverride(override: ModuleOverride): void;
  setOverrides(overrides: ModuleOverride[]): void;
  setLearned(learned: LearnResult | null): void;
  setLoss(loss: LossEstimate | null, pending: boolean): void;
  setPlanError(message: string | null): void;
}

export const createPruneSlice: StateCreator<StudioState, [], [], PruneSlice> = (set) => ({
  settings: DEFAULT_PRUNE_SETTINGS,
  plan: null,
  baseCounts: [],
  overrides: [],
  learned: null,
  loss: null,
  lossPending: false,
  planError: null,
  setSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
  setPlan: (plan) => set({ plan }),
  setBaseCounts: (baseCounts) => set({ baseCounts }),
  setOverride: (override) =>
    set((s) => ({ overrides: [...s.overrides.filter((o) => o.layer !== override.layer || o.module !== override.module), override].sort((a, b) => a.layer - b.layer || a.module - b.module) })),
  setOverrides: (overrides) => set({ overrides }),
  setLearned: (learned) => set({ learned }),
  setLoss: (loss, lossPending) => set((s) => ({ loss: loss ?? s.loss, lossPending })),
  setPlanError: (planError) => set({ planError }),
});
