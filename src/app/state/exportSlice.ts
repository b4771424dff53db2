import type { StateCreator } from 'zustand';
import type { ExportResult } from '../../../workers/studio/api';
import type { StudioState } from './store';

export interface ExportOutcome extends Omit<ExportResult, 'zip'> {
  /** Object URL of the archive (zip exports), revoked when replaced. */
  url: string | null;
  fileName: string;
  /** Destination: 'zip', or the chosen folder's name. */
  target: string;
}

export interface ExportSlice {
  exported: ExportOutcome | null;
  setExported(exported: ExportOutcome | null): void;
}

export const createExportSlice: StateCreator<StudioState, [], [], ExportSlice> = (set, get) => ({
  exported: null,
  setExported: (exported) => {
    const previous = get().exported?.url;
    if (previous && previous !== exported?.url) URL.revokeObjectURL(previous);
    set({ exported });
  },
});
