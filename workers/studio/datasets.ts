/**
 * The datasets of a session: parsed once when added, identified by their SHA-256 so
 * cached statistics and share links refer to content, not names.
 */
import { type TextDataset, parseDataset } from '../../src/core/data/dataset';
import type { TextTokenizer } from '../../src/core/data/tokenizer';
import { GpruneError } from '../../src/core/errors';
import { type CalibrationConfig, type CalibrationWindows, calibrationWindows } from '../../src/core/pipeline/calibration';
import type { DatasetInput, DatasetSummary } from './api';

export interface SessionDataset {
  summary: DatasetSummary;
  dataset: TextDataset;
  /** Calibration windows by settings key; tokenizing a large dataset takes seconds, so each draw is kept. */
  windows: Map<string, CalibrationWindows>;
}

/** Calibration windows drawn per dataset are kept for this many settings at most. */
const MAX_WINDOW_DRAWS = 4;

/** Returns the dataset's calibration windows for `calibration` at position `index`, drawing them once per settings. */
export function windowsOf(entry: SessionDataset, tokenizer: TextTokenizer, calibration: CalibrationConfig, index: number): CalibrationWindows {
  const key = JSON.stringify([calibration.samples, calibration.seqlen, calibration.seed, calibration.heldOutFraction, calibration.heldOutSamples, index]);
  let windows = entry.windows.get(key);
  if (!windows) {
    windows = calibrationWindows(entry.dataset, tokenizer, calibration, index);
    if (entry.windows.size >= MAX_WINDOW_DRAWS) entry.windows.delete(entry.windows.keys().next().value!);
    entry.windows.set(key, windows);
  }
  return windows;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function readDataset(input: DatasetInput): Promise<SessionDataset> {
  const bytes = new Uint8Array(await input.file.arrayBuffer());
  const dataset = parseDataset({ name: input.id, bytes });
  return {
    dataset,
    windows: new Map(),
    summary: {
      id: input.id,
      builtin: input.builtin,
      format: dataset.format,
      documents: dataset.documents.length,
      bytes: bytes.byteLength,
      sha256: await sha256Hex(bytes),
      warnings: dataset.warnings ?? [],
    },
  };
}

/** Looks up datasets by id; raises DATASET_NOT_FOUND naming the ids that exist. */
export function pickDatasets(all: ReadonlyMap<string, SessionDataset>, ids: readonly string[]): SessionDataset[] {
  return ids.map((id) => {
    const entry = all.get(id);
    if (!entry) throw new GpruneError('DATASET_NOT_FOUND', `Dataset ${id} is not loaded (loaded: ${[...all.keys()].join(', ') || 'none'}). Add it in the Datasets panel.`);
    return entry;
  });
}
