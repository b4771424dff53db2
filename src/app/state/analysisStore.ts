/**
 * The analysis arrays of the current plan (per-neuron ranks, σ, μ, modules), kept out of
 * the zustand store so that no selector compares or copies them.
 */
import type { AnalysisData } from '../../../workers/studio/api';
import { studio } from './store';

let current: AnalysisData | null = null;

export function getAnalysis(): AnalysisData | null {
  return current;
}

export function setAnalysis(analysis: AnalysisData | null): void {
  current = analysis;
  studio.getState().bumpAnalysis();
}
