/**
 * The file behind every dataset the worker parsed, kept on the page (outside the store) so
 * a new worker gets the same datasets after a crash without asking the user again.
 */
import type { DatasetInput } from '../../../workers/studio/api';

const sources = new Map<string, DatasetInput>();

export function rememberDataset(input: DatasetInput): void {
  sources.set(input.id, input);
}

export function datasetSources(): DatasetInput[] {
  return [...sources.values()];
}

export function datasetSource(id: string): DatasetInput | undefined {
  return sources.get(id);
}
