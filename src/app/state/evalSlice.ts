import type { StateCreator } from 'zustand';
import type { EvalResult } from '../../../workers/studio/api';
import type { StudioState } from './store';
import type { SavedVariant } from './types';

export interface EvalSettings {
  /** Tokens per window, BOS included. */
  seqlen: number;
  /** Windows evaluated per dataset. */
  maxWindows: number;
}

export interface EvalSlice {
  variants: SavedVariant[];
  /** Variant ids ticked for the next evaluation ('dense' included). */
  evalVariantIds: string[];
  evalSettings: EvalSettings;
  evalResult: EvalResult | null;
  addVariant(variant: SavedVariant): void;
  setEvalVariantIds(ids: string[]): void;
  setEvalSettings(patch: Partial<EvalSettings>): void;
  setEvalResult(result: EvalResult | null): void;
}

export const createEvalSlice: StateCreator<StudioState, [], [], EvalSlice> = (set) => ({
  variants: [],
  evalVariantIds: ['dense'],
  evalSettings: { seqlen: 128, maxWindows: 32 },
  evalResult: null,
  addVariant: (variant) => set((s) => ({ variants: [...s.variants, variant], evalVariantIds: [...s.evalVariantIds, variant.id] })),
  setEvalVariantIds: (evalVariantIds) => set({ evalVariantIds }),
  setEvalSettings: (patch) => set((s) => ({ evalSettings: { ...s.evalSettings, ...patch } })),
  setEvalResult: (evalResult) => set({ evalResult }),
});
