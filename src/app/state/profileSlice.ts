import type { StateCreator } from 'zustand';
import type { ProfileSummary } from '../../../workers/studio/api';
import type { StudioState } from './store';

export interface ProfileSlice {
  profile: ProfileSummary | null;
  setProfile(profile: ProfileSummary | null): void;
}

export const createProfileSlice: StateCreator<StudioState, [], [], ProfileSlice> = (set) => ({
  profile: null,
  setProfile: (profile) => set({ profile }),
});
