/**
 * The studio's one store, assembled from slices. It contains ids, settings and summaries.
 * The per-neuron arrays of the analysis are kept in analysisStore, outside it.
 */
import { create } from 'zustand';
import { type DatasetsSlice, createDatasetsSlice } from './datasetsSlice';
import { type EvalSlice, createEvalSlice } from './evalSlice';
import { type ExportSlice, createExportSlice } from './exportSlice';
import { type JobsSlice, createJobsSlice } from './jobsSlice';
import { type ModelSlice, createModelSlice } from './modelSlice';
import { type ProfileSlice, createProfileSlice } from './profileSlice';
import { type PruneSlice, createPruneSlice } from './pruneSlice';
import { type SessionSlice, createSessionSlice } from './sessionSlice';
import { type ShareSlice, createShareSlice } from './shareSlice';
import { type TasksSlice, createTasksSlice } from './tasksSlice';

export type StudioState = ModelSlice & DatasetsSlice & JobsSlice & ProfileSlice & PruneSlice & EvalSlice & TasksSlice & ExportSlice & ShareSlice & SessionSlice & AnalysisVersion;

interface AnalysisVersion {
  /** Bumped whenever analysisStore gets new arrays, so views re-read them. */
  analysisVersion: number;
  bumpAnalysis(): void;
}

export const useStudio = create<StudioState>()((...a) => ({
  ...createModelSlice(...a),
  ...createDatasetsSlice(...a),
  ...createJobsSlice(...a),
  ...createProfileSlice(...a),
  ...createPruneSlice(...a),
  ...createEvalSlice(...a),
  ...createTasksSlice(...a),
  ...createExportSlice(...a),
  ...createShareSlice(...a),
  ...createSessionSlice(...a),
  analysisVersion: 0,
  bumpAnalysis: () => a[0]((s) => ({ analysisVersion: s.analysisVersion + 1 })),
}));

/** The store outside React (actions, tests). */
export const studio = useStudio;
