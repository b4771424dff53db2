/**
 * Loading of what every command reads from the file system: the model folder, its
 * tokenizer, and datasets given as files or built-in ids.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type InspectedModel, inspectModel, loadDatasetBytes, loadTokenizerFiles } from '../core/api';
import type { TextDataset } from '../core/data/dataset';
import type { TextTokenizer } from '../core/data/tokenizer';
import { GpruneError } from '../core/errors';
import type { LoadedModel } from '../core/run/loaded';
import { nodeModelFiles } from '../runtime/nodeFiles';

/** Root of the installed package (contains public/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATASETS_DIR = path.join(PACKAGE_ROOT, 'public/datasets');
export const DEMO_MODEL_DIR = path.join(PACKAGE_ROOT, 'public/models/demo');

export async function openModel(input: string): Promise<InspectedModel> {
  const files = await nodeModelFiles(input);
  return inspectModel(files, files.modelPath);
}

export async function openTokenizer(loaded: LoadedModel): Promise<TextTokenizer> {
  return loadTokenizerFiles(loaded.model.files, loaded);
}

interface ManifestEntry {
  id: string;
  file: string;
  domain?: string;
  split?: string;
  licence?: string;
}

export async function builtinDatasets(): Promise<ManifestEntry[]> {
  try {
    return JSON.parse(await fs.readFile(path.join(DATASETS_DIR, 'manifest.json'), 'utf8')) as ManifestEntry[];
  } catch {
    return [];
  }
}

/** Reads a dataset given as a file path or a built-in id. */
export async function openDataset(spec: string): Promise<TextDataset> {
  let file = spec;
  let name = path.basename(spec);
  const exists = await fs.stat(spec).then((s) => s.isFile(), () => false);
  if (!exists) {
    const entry = (await builtinDatasets()).find((e) => e.id === spec);
    if (!entry) {
      const ids = (await builtinDatasets()).map((e) => e.id);
      throw new GpruneError('DATASET_NOT_FOUND', `Dataset ${spec} is neither a file nor a built-in dataset id. ${ids.length ? `Built-in ids: ${ids.join(', ')}.` : ''} Give the path of a .txt or .jsonl file.`);
    }
    file = path.join(DATASETS_DIR, entry.file);
    name = entry.id;
  }
  const bytes = new Uint8Array(await fs.readFile(file));
  return loadDatasetBytes(name, bytes);
}
