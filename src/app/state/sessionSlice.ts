import type { StateCreator } from 'zustand';
import type { StudioState } from './store';

/** Where the session's model stands between the page and the worker. */
export type ModelLink =
  /** No model, or the worker holds the model the store describes. */
  | 'attached'
  /** The store's results came from a saved session; the worker has no model until the same files are loaded. */
  | 'saved'
  /** The worker crashed and a new one is loading the model and datasets again. */
  | 'recovering';

export interface SessionSlice {
  modelLink: ModelLink;
  /** When the restored session was saved (ms since the epoch), or null when nothing was restored. */
  restoredFrom: number | null;
  /** When autosave last wrote the session (ms since the epoch). */
  savedAt: number | null;
  setModelLink(link: ModelLink): void;
  setRestoredFrom(savedAt: number | null): void;
  setSavedAt(savedAt: number): void;
}

export const createSessionSlice: StateCreator<StudioState, [], [], SessionSlice> = (set) => ({
  modelLink: 'attached',
  restoredFrom: null,
  savedAt: null,
  setModelLink: (modelLink) => set({ modelLink }),
  setRestoredFrom: (restoredFrom) => set({ restoredFrom }),
  setSavedAt: (savedAt) => set({ savedAt }),
});

/** Whether the worker can run model work for the store's model now. */
export function modelReady(state: Pick<StudioState, 'model' | 'modelLink'>): boolean {
  return state.model !== null && state.modelLink === 'attached';
}
