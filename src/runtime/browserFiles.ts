/**
 * Browser implementations of the core's file interfaces: model files from dropped or
 * picked `File`s (read lazily through Blob slices) and from URLs served with the app.
 */
import { GpruneError } from '../core/errors';
import { type ByteSource, type ModelFiles, memoryFiles, normalizePath } from '../core/onnx/files';

/** A file and its path relative to the dropped folder (or just its name, for loose files). */
export interface FileEntry {
  path: string;
  file: Blob;
}

/**
 * Wraps a Blob as a ByteSource that reads Blob slices, never the whole file. Its `native`,
 * which onnxruntime-web receives as external data, is the Blob itself or, with `nativeUrl`,
 * a blob: URL of it. onnxruntime-web 1.31 reads a Blob with `arrayBuffer()` but fetches a
 * URL, and a fetch of 1 GiB or more is streamed into one preallocated buffer.
 */
export function blobSource(path: string, blob: Blob, nativeUrl?: string): ByteSource {
  return {
    path,
    size: blob.size,
    native: nativeUrl ?? blob,
    async read(offset, length) {
      const end = Math.min(blob.size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      return new Uint8Array(await blob.slice(offset, end).arrayBuffer());
    },
  };
}

/** Names a dropped file system adds that never belong to a model. */
const IGNORED = /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini)$|(^|\/)\.[^/]*\//;

/**
 * Normalizes dropped paths: forward slashes, system litter removed, and the dropped
 * folder's own name stripped when every file sits under it (`demo/onnx/model.onnx` →
 * `onnx/model.onnx`), unless that folder is `onnx/` itself.
 */
export function normalizeDroppedPaths(entries: readonly FileEntry[]): FileEntry[] {
  const kept = entries.map((e) => ({ path: normalizePath(e.path), file: e.file })).filter((e) => e.path !== '' && !IGNORED.test(e.path));
  const first = kept[0]?.path.split('/')[0];
  const shared = first !== undefined && kept.every((e) => e.path.includes('/') && e.path.split('/')[0] === first);
  if (!shared || first === 'onnx') return kept;
  return kept.map((e) => ({ path: e.path.slice(first.length + 1), file: e.file }));
}

/** External data files: `model.onnx_data`, `model.onnx_data_1`, `model.onnx.data`. */
const EXTERNAL_DATA = /\.onnx_data(_\d+)?$|\.onnx\.data$/i;

/** ModelFiles whose blob: URLs must be revoked with `release()` when the model is closed. */
export interface ReleasableModelFiles extends ModelFiles {
  release(): void;
}

/**
 * ModelFiles over dropped or picked files. With `objectUrls`, external data files get a
 * blob: URL as their `native` handle (see blobSource), revoked by `release()`. Raises
 * FILE_NOT_FOUND when nothing is left after normalizing.
 */
export function browserModelFiles(label: string, entries: readonly FileEntry[], options: { objectUrls?: boolean } = {}): ReleasableModelFiles {
  const normalized = normalizeDroppedPaths(entries);
  if (normalized.length === 0) {
    throw new GpruneError('FILE_NOT_FOUND', 'No files were dropped. Drop a model folder, or an .onnx file together with its .onnx_data, config.json and tokenizer files.');
  }
  const urls: string[] = [];
  const sources = normalized.map((e) => {
    if (!options.objectUrls || !EXTERNAL_DATA.test(e.path)) return blobSource(e.path, e.file);
    const url = URL.createObjectURL(e.file);
    urls.push(url);
    return blobSource(e.path, e.file, url);
  });
  return { ...memoryFiles(label, sources), release: () => urls.splice(0).forEach((url) => URL.revokeObjectURL(url)) };
}

/** Files looked for in a served model folder when it has no `files.json` listing. */
export const SERVED_MODEL_FILES = [
  'onnx/model.onnx',
  'onnx/model.onnx_data',
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'README.md',
  'LICENSE',
  'NOTICE.txt',
];

/**
 * Downloads a model folder served with the app (`baseUrl` ends with '/'). The folder may
 * list its files in `files.json` (a JSON array of relative paths); otherwise the paths of
 * SERVED_MODEL_FILES that exist are taken. Raises FILE_NOT_FOUND when no .onnx file is found.
 */
export async function fetchModelFiles(baseUrl: string, label: string, fetchFn: typeof fetch = fetch): Promise<ModelFiles> {
  let paths = SERVED_MODEL_FILES;
  const listing = await fetchFn(`${baseUrl}files.json`).catch(() => null);
  if (listing?.ok) {
    const parsed: unknown = await listing.json().catch(() => null);
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) paths = parsed as string[];
  }
  const found = await Promise.all(
    paths.map(async (path) => {
      const response = await fetchFn(baseUrl + path).catch(() => null);
      if (!response?.ok) return null;
      return blobSource(normalizePath(path), await response.blob());
    }),
  );
  const sources = found.filter((s): s is ByteSource => s !== null);
  if (!sources.some((s) => s.path.endsWith('.onnx'))) {
    throw new GpruneError('FILE_NOT_FOUND', `No .onnx model was found at ${baseUrl} (looked for ${paths.join(', ')}). Check that the model files are deployed with the app.`);
  }
  return memoryFiles(label, sources);
}
