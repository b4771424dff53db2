import type { StateCreator } from 'zustand';
import { type CalibrationConfig, DEFAULT_CALIBRATION_CONFIG } from '../../core/pipeline/calibration';
import type { DatasetSummary } from '../../../workers/studio/api';
import type { StudioState } from './store';
import type { BuiltinDataset } from './types';

/** Calibration defaults of the studio: the core's, which the CLI uses too, so both profile the same windows by default. */
export const STUDIO_CALIBRATION: CalibrationConfig = { ...DEFAULT_CALIBRATION_CONFIG };

export interface DatasetsSlice {
  builtins: BuiltinDataset[];
  /** Datasets the worker has parsed, by id. */
  datasets: Record<string, DatasetSummary>;
  /** Ids being fetched or parsed. */
  datasetsLoading: string[];
  calibrationIds: string[];
  evaluationIds: string[];
  calibration: CalibrationConfig;
  setBuiltins(builtins: BuiltinDataset[]): void;
  putDataset(summary: DatasetSummary): void;
  setDatasetLoading(id: string, loading: boolean): void;
  setCalibrationIds(ids: string[]): void;
  setEvaluationIds(ids: string[]): void;
  setCalibration(patch: Partial<CalibrationConfig>): void;
}

export const createDatasetsSlice: StateCreator<StudioState, [], [], DatasetsSlice> = (set) => ({
  builtins: [],
  datasets: {},
  datasetsLoading: [],
  calibrationIds: [],
  evaluationIds: [],
  calibration: STUDIO_CALIBRATION,
  setBuiltins: (builtins) => set({ builtins }),
  putDataset: (summary) => set((s) => ({ datasets: { ...s.datasets, [summary.id]: summary } })),
  setDatasetLoading: (id, loading) => set((s) => ({ datasetsLoading: loading ? [...new Set([...s.datasetsLoading, id])] : s.datasetsLoading.filter((x) => x !== id) })),
  setCalibrationIds: (calibrationIds) => set({ calibrationIds }),
  setEvaluationIds: (evaluationIds) => set({ evaluationIds }),
  setCalibration: (patch) => set((s) => ({ calibration: { ...s.calibration, ...patch } })),
});
