import type { StateCreator } from 'zustand';
import type { JobProgress } from '../../../workers/studio/api';
import type { StudioState } from './store';
import type { JobKind, JobState, Notice } from './types';

export interface JobsSlice {
  jobs: Partial<Record<JobKind, JobState>>;
  notices: Notice[];
  startJob(kind: JobKind, id: number): void;
  updateJob(kind: JobKind, progress: JobProgress): void;
  endJob(kind: JobKind): void;
  notify(notice: Omit<Notice, 'id'>): void;
  dismiss(id: number): void;
}

let nextNotice = 1;

/** Notices shown at once; a new one drops the oldest. */
export const MAX_NOTICES = 3;

/** Information notices close themselves after this many milliseconds; errors and warnings stay until dismissed. */
export const INFO_NOTICE_MS = 8000;

export const createJobsSlice: StateCreator<StudioState, [], [], JobsSlice> = (set, get) => ({
  jobs: {},
  notices: [],
  startJob: (kind, id) => set((s) => ({ jobs: { ...s.jobs, [kind]: { id, startedAt: performance.now(), progress: null } } })),
  updateJob: (kind, progress) => set((s) => (s.jobs[kind] ? { jobs: { ...s.jobs, [kind]: { ...s.jobs[kind]!, progress } } } : {})),
  endJob: (kind) => set((s) => ({ jobs: { ...s.jobs, [kind]: undefined } })),
  notify: (notice) => {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices.filter((n) => n.text !== notice.text).slice(-(MAX_NOTICES - 1)), { ...notice, id }] }));
    if (notice.kind === 'info') setTimeout(() => get().dismiss(id), INFO_NOTICE_MS);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
