/**
 * A FileSink that writes into a folder the user picked with the File System Access API
 * (`showDirectoryPicker`), creating subfolders as needed.
 */
import { GpruneError } from '../core/errors';
import type { FileSink } from '../core/onnx/files';
import { logger } from '../core/log';

const log = logger('export');

/** Suffix of files still being written; `finish()` renames them to their own names. */
export const PARTIAL_SUFFIX = '.partial';

type MovableFileHandle = FileSystemFileHandle & { move?(name: string): Promise<void> };

interface WrittenFile {
  path: string;
  folder: FileSystemDirectoryHandle;
  name: string;
  handle: MovableFileHandle;
}

/** Gives `from` the name `to` in `folder`: with `move()` where the browser has it, else by copying. */
async function rename(folder: FileSystemDirectoryHandle, from: MovableFileHandle, to: string): Promise<void> {
  await folder.removeEntry(to).catch(() => undefined);
  if (typeof from.move === 'function') {
    try {
      await from.move(to);
      return;
    } catch (error) {
      log.info(`renaming ${from.name} with move() failed (${(error as Error).message}); copying it instead`);
    }
  }
  const target = await (await folder.getFileHandle(to, { create: true })).createWritable();
  await (await from.getFile()).stream().pipeTo(target);
  await folder.removeEntry(from.name);
}

/**
 * Writes each file as `<name>.partial` through a writable stream and renames every file to
 * its own name in `finish()`, in the order written (the exporter writes the .onnx last). So
 * a folder never holds a complete-looking model while an export runs, fails or was cut off
 * by a closed tab. `abort()` removes the partial files and the subfolders it created.
 */
export function directorySink(root: FileSystemDirectoryHandle): FileSink {
  const open = new Map<string, FileSystemWritableFileStream>();
  const written: WrittenFile[] = [];
  const createdFolders: { parent: FileSystemDirectoryHandle; name: string }[] = [];

  const folderOf = async (parts: string[]): Promise<FileSystemDirectoryHandle> => {
    let folder = root;
    for (const part of parts) {
      const existing = await folder.getDirectoryHandle(part).catch(() => null);
      if (!existing) createdFolders.push({ parent: folder, name: part });
      folder = existing ?? (await folder.getDirectoryHandle(part, { create: true }));
    }
    return folder;
  };

  return {
    async write(path, chunk) {
      let stream = open.get(path);
      if (!stream) {
        const parts = path.split('/');
        if (parts.some((part) => part === '..' || part === '')) throw new GpruneError('INVALID_ARGUMENT', `Refusing to write ${path} outside the chosen folder.`);
        const folder = await folderOf(parts.slice(0, -1));
        const name = parts[parts.length - 1];
        const handle = await folder.getFileHandle(name + PARTIAL_SUFFIX, { create: true });
        stream = await handle.createWritable();
        open.set(path, stream);
        written.push({ path, folder, name, handle });
      }
      await stream.write(chunk as Uint8Array<ArrayBuffer>);
    },
    async finish() {
      for (const stream of open.values()) await stream.close();
      open.clear();
      for (const file of written) await rename(file.folder, file.handle, file.name);
    },
    async abort() {
      for (const stream of open.values()) await stream.abort().catch(() => undefined);
      open.clear();
      for (const file of written) await file.folder.removeEntry(file.name + PARTIAL_SUFFIX).catch(() => undefined);
      for (const folder of createdFolders.reverse()) await folder.parent.removeEntry(folder.name).catch(() => undefined);
    },
  };
}
