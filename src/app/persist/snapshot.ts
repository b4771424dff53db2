/**
 * The saved session: what the studio writes to IndexedDB after every change and puts back
 * on reload. It contains settings, summaries and results, never model files. The bulk
 * analysis arrays and the user's dataset files are stored beside it (see sessionDb).
 */
import { type CalibrationConfig, validateCalibrationConfig } from '../../core/pipeline/calibration';
import { type ModuleOverride, type PruneSettings, checkPruneSettings } from '../../core/session/pruneSettings';
import type { EvalResult, LearnResult, LossEstimate, ModelSummary, ProfileRequest, ProfileSummary } from '../../../workers/studio/api';
import type { EvalSettings } from '../state/evalSlice';
import type { PlanSummary } from '../state/pruneSlice';
import type { StudioState } from '../state/store';
import type { SavedVariant } from '../state/types';

/** Bump when a field changes meaning; older saved sessions are then dropped, not misread. */
export const SAVED_SESSION_VERSION = 1;

export interface SavedSession {
  version: typeof SAVED_SESSION_VERSION;
  /** Milliseconds since the epoch. */
  savedAt: number;
  model: ModelSummary | null;
  calibration: CalibrationConfig;
  calibrationIds: string[];
  evaluationIds: string[];
  evalSettings: EvalSettings;
  settings: PruneSettings;
  profile: ProfileSummary | null;
  profiledWith: ProfileRequest | null;
  plan: PlanSummary | null;
  baseCounts: number[];
  overrides: ModuleOverride[];
  learned: LearnResult | null;
  loss: LossEstimate | null;
  variants: SavedVariant[];
  evalVariantIds: string[];
  evalResult: EvalResult | null;
  /** Ids of the user's own datasets, whose files are saved beside the session. */
  userDatasets: string[];
}

/** The store fields a saved session covers; a change to any of them triggers a save. */
export const SAVED_FIELDS = [
  'model',
  'calibration',
  'calibrationIds',
  'evaluationIds',
  'evalSettings',
  'settings',
  'profile',
  'profiledWith',
  'plan',
  'baseCounts',
  'overrides',
  'learned',
  'loss',
  'variants',
  'evalVariantIds',
  'evalResult',
  'datasets',
] as const satisfies readonly (keyof StudioState)[];

/** Returns whether any saved field differs between two states (by reference, as zustand replaces what changes). */
export function savedFieldsChanged(next: StudioState, previous: StudioState): boolean {
  return SAVED_FIELDS.some((field) => next[field] !== previous[field]);
}

export function takeSnapshot(state: StudioState, savedAt: number): SavedSession {
  return {
    version: SAVED_SESSION_VERSION,
    savedAt,
    model: state.model,
    calibration: state.calibration,
    calibrationIds: state.calibrationIds,
    evaluationIds: state.evaluationIds,
    evalSettings: state.evalSettings,
    settings: state.settings,
    profile: state.profile,
    profiledWith: state.profiledWith,
    plan: state.plan,
    baseCounts: state.baseCounts,
    overrides: state.overrides,
    learned: state.learned,
    loss: state.loss,
    variants: state.variants,
    evalVariantIds: state.evalVariantIds,
    evalResult: state.evalResult,
    userDatasets: Object.values(state.datasets)
      .filter((d) => !d.builtin)
      .map((d) => d.id),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isCountArray = (value: unknown): value is number[] => Array.isArray(value) && value.every((v) => Number.isSafeInteger(v) && (v as number) >= 0);

/**
 * Checks a stored value before it reaches the store. Returns the reason it cannot be
 * restored (written by another version, or damaged), or null when it can.
 */
export function savedSessionProblem(value: unknown): string | null {
  if (!isObject(value)) return 'it is not an object';
  if (value.version !== SAVED_SESSION_VERSION) return `it has version ${String(value.version)}, not ${SAVED_SESSION_VERSION}`;
  if (typeof value.savedAt !== 'number') return 'savedAt is missing';
  if (value.model !== null && (!isObject(value.model) || typeof value.model.fingerprint !== 'string' || typeof value.model.label !== 'string')) return 'model is invalid';
  for (const field of ['calibrationIds', 'evaluationIds', 'evalVariantIds', 'userDatasets'] as const) {
    if (!isStringArray(value[field])) return `${field} is not a list of ids`;
  }
  if (!isCountArray(value.baseCounts)) return 'baseCounts is not a list of counts';
  if (!Array.isArray(value.overrides) || !Array.isArray(value.variants)) return 'overrides or variants is not a list';
  if (!isObject(value.evalSettings) || !Number.isSafeInteger(value.evalSettings.seqlen) || !Number.isSafeInteger(value.evalSettings.maxWindows)) return 'evalSettings is invalid';
  for (const field of ['profile', 'profiledWith', 'plan', 'learned', 'loss', 'evalResult'] as const) {
    if (value[field] !== null && !isObject(value[field])) return `${field} is invalid`;
  }
  if (!isObject(value.settings)) return 'settings is missing';
  const settings = checkPruneSettings(value.settings as unknown as PruneSettings);
  if (!settings.ok) return `settings are invalid: ${settings.message}`;
  try {
    validateCalibrationConfig(value.calibration as CalibrationConfig);
  } catch (error) {
    return `calibration is invalid: ${(error as Error).message}`;
  }
  return null;
}

/**
 * Returns the store fields of a saved session. A session with a model comes back as
 * 'saved', so its results show and model work waits until the same model is loaded again.
 */
export function restoredState(saved: SavedSession): Partial<StudioState> {
  const { version: _version, savedAt, userDatasets: _datasets, ...fields } = saved;
  void _version;
  void _datasets;
  return { ...fields, modelLink: saved.model ? 'saved' : 'attached', restoredFrom: savedAt };
}
