/**
 * Node implementations of the core's file interfaces: a model folder read in ranges through
 * file handles, and a sink that writes into a temporary folder and renames it into place
 * only when every file is complete.
 */
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { GpruneError } from '../core/errors';
import type { ByteSource, FileSink, ModelFiles } from '../core/onnx/files';

/** Largest read issued at once; bigger reads are assembled from pieces of this size. */
const READ_PIECE = 256 * 1024 * 1024;

export function nodeSource(absolute: string, relative: string, size: number): ByteSource {
  return {
    path: relative,
    size,
    native: absolute,
    async read(offset, length) {
      const end = Math.min(size, offset + length);
      const out = new Uint8Array(Math.max(0, end - offset));
      const handle = await fs.open(absolute, 'r');
      try {
        for (let done = 0; done < out.byteLength; ) {
          const { bytesRead } = await handle.read(out, done, Math.min(READ_PIECE, out.byteLength - done), offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return out;
    },
  };
}

async function walk(root: string, dir: string, out: Map<string, ByteSource>, depth: number): Promise<void> {
  if (depth > 3) return;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) await walk(root, absolute, out, depth + 1);
    } else if (entry.isFile()) {
      const relative = path.relative(root, absolute).split(path.sep).join('/');
      out.set(relative, nodeSource(absolute, relative, (await fs.stat(absolute)).size));
    }
  }
}

/**
 * Opens a model given as a folder or as the path of an .onnx file. For a file, its folder
 * is the root, so external data beside it and config files one level up are found.
 */
export async function nodeModelFiles(input: string): Promise<ModelFiles & { root: string; modelPath?: string }> {
  const absolute = path.resolve(input);
  let stat;
  try {
    stat = await fs.stat(absolute);
  } catch {
    throw new GpruneError('FILE_NOT_FOUND', `${input} does not exist. Give a model folder (with onnx/model.onnx) or the path of an .onnx file.`);
  }
  let root = absolute;
  let modelPath: string | undefined;
  if (stat.isFile()) {
    root = path.dirname(absolute);
    // onnx-community layout: config and tokenizer files live one folder up from onnx/.
    if (path.basename(root) === 'onnx') root = path.dirname(root);
    modelPath = path.relative(root, absolute).split(path.sep).join('/');
  }
  const files = new Map<string, ByteSource>();
  await walk(root, root, files, 0);
  return { label: input, root, modelPath, list: () => [...files.keys()], get: (p) => files.get(p.replace(/\\/g, '/').replace(/^\.\//, '')) };
}

/**
 * Writes into `<target>.partial-<pid>` and renames it to `target` in `finish`, so an
 * interrupted export never leaves a folder that looks complete. Refuses to replace a
 * non-empty target unless `overwrite` is set.
 */
/** Rewraps a file system error of an output path as OUTPUT_NOT_WRITABLE naming the path. */
function outputError(target: string, cause: unknown): GpruneError {
  if (cause instanceof GpruneError) return cause;
  return new GpruneError('OUTPUT_NOT_WRITABLE', `Cannot write ${target}: ${(cause as Error).message}. Choose a folder you can write to.`, { cause });
}

/**
 * Checks, before any long work, that `target` can be created as a file or folder: its
 * parent is an existing folder we may write to, and the target is not of the other kind.
 */
export async function checkOutputPath(target: string, kind: 'file' | 'folder'): Promise<void> {
  const absolute = path.resolve(target);
  const parent = path.dirname(absolute);
  const parentStat = await fs.stat(parent).catch(() => null);
  if (!parentStat?.isDirectory()) {
    throw new GpruneError('OUTPUT_NOT_WRITABLE', `Cannot write ${target}: the folder ${parent} does not exist. Create it first or choose another path.`);
  }
  try {
    await fs.access(parent, fsConstants.W_OK);
  } catch (cause) {
    throw outputError(target, cause);
  }
  const stat = await fs.stat(absolute).catch(() => null);
  if (stat && kind === 'folder' && !stat.isDirectory()) throw new GpruneError('OUTPUT_NOT_WRITABLE', `Cannot write the folder ${target}: a file with that name exists. Choose another path.`);
  if (stat && kind === 'file' && stat.isDirectory()) throw new GpruneError('OUTPUT_NOT_WRITABLE', `Cannot write the file ${target}: it is a folder. Give a file name.`);
}

/**
 * Writes into `<target>.partial-<pid>` and renames it to `target` in `finish`, so an
 * interrupted export never leaves a folder that looks complete. Rejects a non-empty target
 * unless `overwrite` is set. File system failures become OUTPUT_NOT_WRITABLE.
 */
export async function nodeFolderSink(target: string, options: { overwrite?: boolean } = {}): Promise<FileSink & { target: string }> {
  await checkOutputPath(target, 'folder');
  const final = path.resolve(target);
  const existing = await fs.readdir(final).catch(() => null);
  if (existing && existing.length > 0 && !options.overwrite) {
    throw new GpruneError('INVALID_ARGUMENT', `${target} already exists and is not empty. Choose another --out folder or pass --overwrite.`);
  }
  const temp = `${final}.partial-${process.pid}`;
  try {
    await fs.rm(temp, { recursive: true, force: true });
    // Not recursive: the parent exists, and a recursive mkdir never returns under /proc.
    await fs.mkdir(temp);
  } catch (cause) {
    throw outputError(target, cause);
  }
  const handles = new Map<string, fs.FileHandle>();
  const closeAll = async () => {
    for (const h of handles.values()) await h.close().catch(() => undefined);
    handles.clear();
  };
  return {
    target: final,
    async write(relative, chunk) {
      try {
        let handle = handles.get(relative);
        if (!handle) {
          const file = path.join(temp, relative);
          if (!file.startsWith(temp + path.sep)) throw new GpruneError('INVALID_ARGUMENT', `Refusing to write ${relative} outside the output folder.`);
          await fs.mkdir(path.dirname(file), { recursive: true });
          handle = await fs.open(file, fsConstants.O_CREAT | fsConstants.O_WRONLY | fsConstants.O_TRUNC);
          handles.set(relative, handle);
        }
        for (let done = 0; done < chunk.byteLength; ) {
          const { bytesWritten } = await handle.write(chunk, done, chunk.byteLength - done);
          done += bytesWritten;
        }
      } catch (cause) {
        throw outputError(target, cause);
      }
    },
    async finish() {
      try {
        await closeAll();
        if (existing) await fs.rm(final, { recursive: true, force: true });
        await fs.rename(temp, final);
      } catch (cause) {
        throw outputError(target, cause);
      }
    },
    async abort() {
      await closeAll();
      await fs.rm(temp, { recursive: true, force: true });
    },
  };
}
