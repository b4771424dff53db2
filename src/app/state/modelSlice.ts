import type { StateCreator } from 'zustand';
import type { EngineInfo, ModelSummary } from '../../../workers/studio/api';
import type { StudioState } from './store';

export interface ModelSlice {
  engine: EngineInfo | null;
  model: ModelSummary | null;
  setEngine(engine: EngineInfo): void;
  setModel(model: ModelSummary | null): void;
}

export const createModelSlice: StateCreator<StudioState, [], [], ModelSlice> = (set) => ({
  engine: null,
  model: null,
  setEngine: (engine) => set({ engine }),
  setModel: (model) => set({ model }),
});
