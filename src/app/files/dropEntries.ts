/**
 * Files from a drop or a file picker, with their paths inside dropped folders, ready for
 * the worker's `openModel`.
 */
import type { ModelFileInput } from '../../../workers/studio/api';

export interface DroppedModel {
  /** The dropped folder's name, or the .onnx file's name for loose files. */
  label: string;
  files: ModelFileInput[];
}

/** Folder levels read below a dropped folder; model folders are at most a few levels deep. */
const MAX_DEPTH = 4;

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, depth: number, out: ModelFileInput[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path: entry.fullPath.replace(/^\//, ''), file: await entryFile(entry as FileSystemFileEntry) });
    return;
  }
  if (!entry.isDirectory || depth > MAX_DEPTH) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns the folder in batches until it returns an empty one.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, depth + 1, out);
  }
}

/** Reads a drop. The entries must be taken before the first await, while the drop event is still live. */
export function droppedEntries(transfer: DataTransfer): Promise<DroppedModel> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  return (async () => {
    const files: ModelFileInput[] = [];
    for (const entry of entries) await walk(entry, 0, files);
    return { label: labelOf(entries.length === 1 && entries[0].isDirectory ? entries[0].name : undefined, files), files };
  })();
}

/** Files from `<input type="file">`, with folder paths when the input picked a folder (`webkitdirectory`). */
export function pickedFiles(list: FileList): DroppedModel {
  const files = [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
  const folder = files[0]?.path.includes('/') ? files[0].path.split('/')[0] : undefined;
  return { label: labelOf(folder, files), files };
}

function labelOf(folder: string | undefined, files: ModelFileInput[]): string {
  if (folder) return folder;
  const onnx = files.find((f) => f.path.toLowerCase().endsWith('.onnx'));
  return onnx ? onnx.path.split('/').pop()!.replace(/\.onnx$/i, '') : 'model';
}
