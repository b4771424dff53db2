/**
 * Turning the bytes of a dataset file into documents, for the CLI and the studio worker.
 */
import { type DatasetParseOptions, type TextDataset, parseDataset } from '../data/dataset';

/**
 * Parses a .txt or .jsonl file (format from `name` unless `options.format` is set). Raises
 * DATASET_EMPTY, DATASET_BINARY, DATASET_BAD_LINE or INVALID_CONFIG.
 */
export function loadDatasetBytes(name: string, bytes: Uint8Array, options: DatasetParseOptions = {}): TextDataset {
  return parseDataset({ name, bytes }, options);
}
