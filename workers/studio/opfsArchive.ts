/**
 * An ArchiveStore in the origin private file system (OPFS), so a ZIP export of a large model
 * goes to disk chunk by chunk instead of staying in the worker's memory. Only dedicated
 * workers have the synchronous access handles this needs; elsewhere the caller falls back
 * to memory.
 */
import { logger } from '../../src/core/log';
import type { ArchiveStore } from '../../src/runtime/zipSink';

const log = logger('export');

/** OPFS folder of export archives; the archive of the last export stays until the next one starts. */
const FOLDER = 'gprune-exports';

interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  flush(): void;
  close(): void;
}

type SyncFileHandle = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle> };

/** Removes archives left by earlier exports; a file another tab still writes is locked and kept. */
async function removeOldArchives(folder: FileSystemDirectoryHandle): Promise<void> {
  const names: string[] = [];
  for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  for (const name of names) await folder.removeEntry(name).catch(() => undefined);
}

/**
 * Opens an OPFS archive named `name`, or returns null where OPFS or synchronous access
 * handles are missing (the page's main thread, older browsers, private windows).
 */
export async function openOpfsArchive(name: string): Promise<ArchiveStore | null> {
  let folder: FileSystemDirectoryHandle;
  let handle: SyncFileHandle;
  let access: SyncAccessHandle;
  try {
    const root = await navigator.storage.getDirectory();
    folder = await root.getDirectoryHandle(FOLDER, { create: true });
    await removeOldArchives(folder);
    handle = (await folder.getFileHandle(name, { create: true })) as SyncFileHandle;
    if (typeof handle.createSyncAccessHandle !== 'function') return null;
    access = await handle.createSyncAccessHandle();
  } catch (error) {
    log.info(`OPFS is not available for the export archive (${(error as Error).message}); building it in memory`);
    return null;
  }

  let offset = 0;
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    access.close();
  };
  return {
    append(chunk) {
      for (let done = 0; done < chunk.byteLength; ) done += access.write(chunk.subarray(done), { at: offset + done });
      offset += chunk.byteLength;
    },
    async finish() {
      access.flush();
      close();
      return handle.getFile();
    },
    async discard() {
      close();
      await folder.removeEntry(name).catch((error: Error) => log.warn(`removing the partial archive ${name} failed: ${error.message}`));
    },
  };
}
