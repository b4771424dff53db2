import type { StateCreator } from 'zustand';
import type { ProfileEstimate, ProfileRequest, ProfileSummary } from '../../../workers/studio/api';
import type { StudioState } from './store';

export interface ProfileSlice {
  profile: ProfileSummary | null;
  /** The datasets and calibration settings of `profile`, to profile again (from the cache) after a crash or reload. */
  profiledWith: ProfileRequest | null;
  /** Memory and time of profiling with the current settings, before it runs. */
  estimate: ProfileEstimate | null;
  estimateError: string | null;
  setProfile(profile: ProfileSummary | null, request?: ProfileRequest | null): void;
  setEstimate(estimate: ProfileEstimate | null, error?: string | null): void;
}

export const createProfileSlice: StateCreator<StudioState, [], [], ProfileSlice> = (set) => ({
  profile: null,
  profiledWith: null,
  estimate: null,
  estimateError: null,
  setProfile: (profile, request = null) => set({ profile, profiledWith: profile ? request : null }),
  setEstimate: (estimate, estimateError = null) => set({ estimate, estimateError }),
});
