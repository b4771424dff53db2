import type { StateCreator } from 'zustand';
import type { SessionLink } from '../../core/session/shareLink';
import type { StudioState } from './store';

export interface ShareSlice {
  /** The link this page was opened with, until its model and datasets are all present. */
  sharedLink: SessionLink | null;
  /** Overrides from the link, applied once the first plan of the shared model exists. */
  pendingOverrides: SessionLink['overrides'] | null;
  /** Learned keep counts from the link, applied with `pendingOverrides` once the first plan exists. */
  pendingLearned: SessionLink['learned'];
  setSharedLink(link: SessionLink | null): void;
  setPendingOverrides(overrides: SessionLink['overrides'] | null): void;
  setPendingLearned(learned: SessionLink['learned']): void;
}

export const createShareSlice: StateCreator<StudioState, [], [], ShareSlice> = (set) => ({
  sharedLink: null,
  pendingOverrides: null,
  pendingLearned: null,
  setSharedLink: (sharedLink) => set({ sharedLink }),
  setPendingOverrides: (pendingOverrides) => set({ pendingOverrides }),
  setPendingLearned: (pendingLearned) => set({ pendingLearned }),
});
