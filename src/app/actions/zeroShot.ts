/**
 * Zero-shot tasks in the Evaluate step: adding task files (parsed in the worker at once, so
 * a bad file shows up before a run), choosing their task, and scoring them on the dense
 * model and the ticked variants.
 */
import { DEFAULT_SCORE_TASK_OPTIONS } from '../../core/eval/multipleChoiceOptions';
import { guessTaskName } from '../files/taskName';
import { modelReady } from '../state/sessionSlice';
import { studio } from '../state/store';
import { studioWorker } from '../worker/client';
import { reportError } from './errors';
import { runJob } from './jobs';

export async function addTaskFiles(files: readonly File[]): Promise<void> {
  await Promise.all(
    files.map((file) => {
      studio.getState().putTaskFile({ id: file.name, task: guessTaskName(file.name), data: file, summary: null, error: null });
      return inspectTaskFile(file.name);
    }),
  );
}

export async function setTaskType(id: string, task: string): Promise<void> {
  studio.getState().updateTaskFile(id, { task, summary: null, error: null });
  await inspectTaskFile(id);
}

/** Parses the file with its chosen task and the current limit; a failure becomes a notice naming the file. */
export async function inspectTaskFile(id: string): Promise<void> {
  const { taskFiles, taskLimit } = studio.getState();
  const entry = taskFiles.find((f) => f.id === id);
  if (!entry) return;
  try {
    const summary = await studioWorker().inspectTask({ task: entry.task, file: entry.id, data: entry.data }, taskLimit);
    studio.getState().updateTaskFile(id, { summary, error: null });
    for (const warning of summary.warnings) studio.getState().notify({ kind: 'warning', text: `Task file ${id}: ${warning}` });
  } catch (error) {
    studio.getState().updateTaskFile(id, { summary: null, error: error instanceof Error ? error.message : String(error) });
    reportError(error, `Reading task file ${id}`);
  }
}

export async function runTasks(): Promise<void> {
  const state = studio.getState();
  if (!modelReady(state)) return;
  const files = state.taskFiles.filter((f) => f.error === null);
  if (files.length === 0 || state.evalVariantIds.length === 0) {
    state.notify({ kind: 'warning', text: 'Add at least one readable task file and tick at least one variant.' });
    return;
  }
  const request = {
    tasks: files.map((f) => ({ task: f.task, file: f.id, data: f.data })),
    limit: state.taskLimit,
    variants: state.evalVariantIds,
    batchSize: DEFAULT_SCORE_TASK_OPTIONS.batchSize,
  };
  try {
    const result = await runJob('tasks', (id, onProgress) => studioWorker().evaluateTasks(request, id, onProgress));
    studio.getState().setTaskResult(result);
  } catch (error) {
    reportError(error, 'Zero-shot evaluation');
  }
}
