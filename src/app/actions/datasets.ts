/**
 * Built-in datasets from the manifest, datasets dropped by the user, and the calibration
 * and evaluation selections.
 */
import type { DatasetInput, DatasetSummary } from '../../../workers/studio/api';
import { writeDataset } from '../persist/sessionDb';
import { rememberDataset } from '../state/datasetSources';
import { studio } from '../state/store';
import type { BuiltinDataset } from '../state/types';
import { studioWorker } from '../worker/client';
import { reportError } from './errors';
import { appUrl } from './model';
import { resumeSharedSession } from './share';

/** How many calibration datasets are selected by default: GPrune needs at least two. */
const DEFAULT_CALIBRATION_COUNT = 2;

/**
 * Hands a dataset to the worker and keeps its file on the page (and, for the user's own
 * files, in IndexedDB), so a new worker or a reload gets it back.
 */
export async function addDatasetInput(input: DatasetInput): Promise<DatasetSummary> {
  const summary = await studioWorker().addDataset(input);
  studio.getState().putDataset(summary);
  rememberDataset(input);
  if (!input.builtin) void writeDataset({ id: input.id, file: input.file });
  return summary;
}

/**
 * Fetches the manifest. A share link or a restored session keeps its selections (and gets
 * their built-in datasets fetched); otherwise two calibration sets and their evaluation
 * sets are selected.
 */
export async function loadBuiltinDatasets(): Promise<void> {
  let builtins: BuiltinDataset[] = [];
  try {
    const response = await fetch(appUrl('datasets/manifest.json'));
    if (!response.ok) throw new Error(`HTTP ${response.status} for datasets/manifest.json`);
    builtins = (await response.json()) as BuiltinDataset[];
  } catch (error) {
    reportError(error, 'Loading the built-in dataset list');
    return;
  }
  const state = studio.getState();
  state.setBuiltins(builtins);
  if (state.sharedLink) {
    const shared = [...state.sharedLink.calibration.datasets, ...state.sharedLink.evaluation.datasets].filter((d) => d.builtin);
    for (const d of shared) if (!builtins.some((b) => b.id === d.id)) state.notify({ kind: 'warning', text: `The shared session uses the built-in dataset ${d.id}, which this studio does not ship.` });
    await Promise.all(shared.filter((d) => builtins.some((b) => b.id === d.id)).map((d) => ensureBuiltin(d.id)));
    await resumeSharedSession();
    return;
  }
  if (state.restoredFrom !== null) {
    await Promise.all([...state.calibrationIds, ...state.evaluationIds].map(ensureBuiltin));
    return;
  }
  const calibration = builtins.filter((b) => b.split === 'calibration').slice(0, DEFAULT_CALIBRATION_COUNT);
  const domains = new Set(calibration.map((b) => b.domain));
  const evaluation = builtins.filter((b) => b.split === 'evaluation' && domains.has(b.domain));
  state.setCalibrationIds(calibration.map((b) => b.id));
  state.setEvaluationIds(evaluation.map((b) => b.id));
  await Promise.all([...calibration, ...evaluation].map((b) => ensureBuiltin(b.id)));
}

/** Fetches of built-in datasets in flight, so a second caller waits for the first. */
const builtinLoads = new Map<string, Promise<void>>();

/** Fetches a built-in dataset and hands it to the worker, once; resolves when it is there (or failed). */
export function ensureBuiltin(id: string): Promise<void> {
  const state = studio.getState();
  const entry = state.builtins.find((b) => b.id === id);
  if (!entry || state.datasets[id]) return Promise.resolve();
  let load = builtinLoads.get(id);
  if (!load) {
    load = fetchBuiltin(entry).finally(() => builtinLoads.delete(id));
    builtinLoads.set(id, load);
  }
  return load;
}

async function fetchBuiltin(entry: BuiltinDataset): Promise<void> {
  studio.getState().setDatasetLoading(entry.id, true);
  try {
    const response = await fetch(appUrl(`datasets/${entry.file}`));
    if (!response.ok) throw new Error(`HTTP ${response.status} for datasets/${entry.file}`);
    await addDatasetInput({ id: entry.id, builtin: true, file: await response.blob() });
  } catch (error) {
    reportError(error, `Loading dataset ${entry.id}`);
  } finally {
    studio.getState().setDatasetLoading(entry.id, false);
  }
}

/** Adds dropped .txt/.jsonl files; names that mention eval, test or valid go to evaluation, the rest to calibration. */
export async function addDatasetFiles(files: File[]): Promise<void> {
  for (const file of files) {
    const state = studio.getState();
    let id = file.name;
    for (let n = 2; state.builtins.some((b) => b.id === id) || (state.datasets[id] && state.datasets[id].bytes !== file.size); n++) id = `${file.name} (${n})`;
    state.setDatasetLoading(id, true);
    try {
      await addDatasetInput({ id, builtin: false, file });
      const next = studio.getState();
      const forEvaluation = /eval|test|valid/i.test(file.name);
      if (forEvaluation && !next.evaluationIds.includes(id)) next.setEvaluationIds([...next.evaluationIds, id]);
      if (!forEvaluation && !next.calibrationIds.includes(id)) next.setCalibrationIds([...next.calibrationIds, id]);
    } catch (error) {
      reportError(error, `Reading ${file.name}`);
    } finally {
      studio.getState().setDatasetLoading(id, false);
    }
  }
  await resumeSharedSession();
}

export function setCalibrationSelected(id: string, selected: boolean): void {
  const state = studio.getState();
  state.setCalibrationIds(selected ? [...new Set([...state.calibrationIds, id])] : state.calibrationIds.filter((x) => x !== id));
  if (selected) void ensureBuiltin(id);
}

export function setEvaluationSelected(id: string, selected: boolean): void {
  const state = studio.getState();
  state.setEvaluationIds(selected ? [...new Set([...state.evaluationIds, id])] : state.evaluationIds.filter((x) => x !== id));
  if (selected) void ensureBuiltin(id);
}
