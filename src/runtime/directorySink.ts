/**
 * A FileSink that writes into a folder the user picked with the File System Access API
 * (`showDirectoryPicker`), creating subfolders as needed.
 */
import { GpruneError } from '../core/errors';
import type { FileSink } from '../core/onnx/files';

/**
 * Writes each file through a writable stream. The browser commits a file only when its
 * stream closes, so an aborted export leaves no half-written file; files already closed
 * are removed by `abort()`.
 */
export function directorySink(root: FileSystemDirectoryHandle): FileSink {
  const open = new Map<string, FileSystemWritableFileStream>();
  const written: string[] = [];

  const folderOf = async (parts: string[]): Promise<FileSystemDirectoryHandle> => {
    let folder = root;
    for (const part of parts) folder = await folder.getDirectoryHandle(part, { create: true });
    return folder;
  };

  return {
    async write(path, chunk) {
      let stream = open.get(path);
      if (!stream) {
        const parts = path.split('/');
        if (parts.some((part) => part === '..' || part === '')) throw new GpruneError('INVALID_ARGUMENT', `Refusing to write ${path} outside the chosen folder.`);
        const folder = await folderOf(parts.slice(0, -1));
        const handle = await folder.getFileHandle(parts[parts.length - 1], { create: true });
        stream = await handle.createWritable();
        open.set(path, stream);
        written.push(path);
      }
      await stream.write(chunk as Uint8Array<ArrayBuffer>);
    },
    async finish() {
      for (const stream of open.values()) await stream.close();
      open.clear();
    },
    async abort() {
      for (const stream of open.values()) await stream.abort().catch(() => undefined);
      open.clear();
      for (const path of written) {
        const parts = path.split('/');
        const folder = await folderOf(parts.slice(0, -1)).catch(() => null);
        await folder?.removeEntry(parts[parts.length - 1]).catch(() => undefined);
      }
    },
  };
}
