import type { StateCreator } from 'zustand';
import type { SessionLink } from '../../core/session/shareLink';
import type { StudioState } from './store';

export interface ShareSlice {
  /** The link this page was opened with, until its model and datasets are all present. */
  sharedLink: SessionLink | null;
  /** Overrides from the link, applied once the first plan of the shared model exists. */
  pendingOverrides: SessionLink['overrides'] | null;
  setSharedLink(link: SessionLink | null): void;
  setPendingOverrides(overrides: SessionLink['overrides'] | null): void;
}

export const createShareSlice: StateCreator<StudioState, [], [], ShareSlice> = (set) => ({
  sharedLink: null,
  pendingOverrides: null,
  setSharedLink: (sharedLink) => set({ sharedLink }),
  setPendingOverrides: (pendingOverrides) => set({ pendingOverrides }),
});
