import type { StateCreator } from 'zustand';
import type { TaskEvalResult, TaskFileSummary } from '../../../workers/studio/api';
import type { StudioState } from './store';

/** A dropped zero-shot task file; the page keeps its bytes to hand them to the worker on each run. */
export interface TaskFileEntry {
  /** The file name; unique in the list, so a file dropped again replaces the old entry. */
  id: string;
  /** Task id from the catalog, or any name for LLM Foundry files. */
  task: string;
  data: Blob;
  /** Result of the last parse, or null while it runs and after it failed. */
  summary: TaskFileSummary | null;
  /** The parser's message when the file could not be read with the chosen task. */
  error: string | null;
}

/** Items scored per task when the user sets no other limit. */
export const DEFAULT_TASK_LIMIT = 100;

export interface TasksSlice {
  taskFiles: TaskFileEntry[];
  /** Items per task, counted from the start of each file. */
  taskLimit: number;
  taskResult: TaskEvalResult | null;
  putTaskFile(entry: TaskFileEntry): void;
  updateTaskFile(id: string, patch: Partial<Omit<TaskFileEntry, 'id'>>): void;
  removeTaskFile(id: string): void;
  setTaskLimit(limit: number): void;
  setTaskResult(result: TaskEvalResult | null): void;
}

export const createTasksSlice: StateCreator<StudioState, [], [], TasksSlice> = (set) => ({
  taskFiles: [],
  taskLimit: DEFAULT_TASK_LIMIT,
  taskResult: null,
  putTaskFile: (entry) => set((s) => ({ taskFiles: [...s.taskFiles.filter((f) => f.id !== entry.id), entry] })),
  updateTaskFile: (id, patch) => set((s) => ({ taskFiles: s.taskFiles.map((f) => (f.id === id ? { ...f, ...patch } : f)) })),
  removeTaskFile: (id) => set((s) => ({ taskFiles: s.taskFiles.filter((f) => f.id !== id) })),
  setTaskLimit: (taskLimit) => set({ taskLimit }),
  setTaskResult: (taskResult) => set({ taskResult }),
});
