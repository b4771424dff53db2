/**
 * Shapes of the studio's state that several slices and components share.
 */
import type { JobProgress } from '../../../workers/studio/api';

/** The long jobs the UI shows progress for; at most one of each kind runs at a time. */
export type JobKind = 'load' | 'profile' | 'learn' | 'eval' | 'tasks' | 'export';

export interface JobState {
  /** Job id in the worker, used to cancel the job. */
  id: number;
  /** performance.now() at start, for elapsed time and the time-left estimate. */
  startedAt: number;
  progress: JobProgress | null;
}

/** A message shown at the top of the page until dismissed. */
export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
  /** GpruneError code, when the message comes from one. */
  code?: string;
  /** Internals of the failure (a library's own message), shown behind a "details" toggle. */
  details?: string;
}

/** One entry of public/datasets/manifest.json. */
export interface BuiltinDataset {
  id: string;
  domain?: string;
  split?: string;
  file: string;
  /** Documents in the file, as the manifest lists them. */
  documents?: number;
  /** File size in bytes. */
  bytes?: number;
  sha256?: string;
  licence?: string;
  source?: string;
}

/** A pruned variant saved for evaluation. */
export interface SavedVariant {
  id: string;
  label: string;
  moduleKeepCounts: number[];
  ffnParametersAfter: number;
}
