/**
 * Byte sources and sinks the ONNX reader and writer work on. Node (file handles), the
 * browser (Blob slices) and tests (in-memory arrays) each provide one, so no model file
 * ever has to sit in one ArrayBuffer.
 */

/** A read-only file that can be read in ranges. */
export interface ByteSource {
  /** Path relative to the model folder, with forward slashes (e.g. `onnx/model.onnx_data`). */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * Reads `length` bytes from `offset` into a new array the caller owns; the result may be
   * shorter only at the end of the file.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional handle the runtime can load directly (a file system path in Node, a Blob in
   * browsers), so external data reaches onnxruntime without a copy in JS memory.
   */
  readonly native?: string | Blob;
}

/** The files of a model folder (or of loose files dropped together), by relative path. */
export interface ModelFiles {
  /** A human-readable name of the folder, used in messages. */
  readonly label: string;
  list(): string[];
  get(path: string): ByteSource | undefined;
}

/** A destination for written files. Writes to one path arrive in order. */
export interface FileSink {
  write(path: string, chunk: Uint8Array): Promise<void>;
  /** Called once after every file is complete (rename temporary files, close handles). */
  finish?(): Promise<void>;
  /** Called when writing failed; removes partial output. */
  abort?(): Promise<void>;
}

/** Wraps bytes already in memory as a ByteSource (tests, small files). */
export function memorySource(path: string, bytes: Uint8Array): ByteSource {
  return {
    path,
    size: bytes.byteLength,
    read: async (offset, length) => bytes.slice(offset, Math.min(bytes.byteLength, offset + length)),
  };
}

/** Builds a ModelFiles view over in-memory sources. */
export function memoryFiles(label: string, sources: ByteSource[]): ModelFiles {
  const byPath = new Map(sources.map((s) => [normalizePath(s.path), s]));
  return { label, list: () => [...byPath.keys()], get: (path) => byPath.get(normalizePath(path)) };
}

/** A sink that keeps every written file in memory (tests, small exports, zip building). */
export class MemorySink implements FileSink {
  readonly files = new Map<string, Uint8Array[]>();

  async write(path: string, chunk: Uint8Array): Promise<void> {
    const parts = this.files.get(path) ?? [];
    parts.push(chunk.slice());
    this.files.set(path, parts);
  }

  /** Returns the concatenated bytes of one written file. */
  bytes(path: string): Uint8Array {
    const parts = this.files.get(path);
    if (!parts) throw new Error(`MemorySink: nothing was written to ${path}`);
    return concatBytes(parts);
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/** Normalises a relative path: forward slashes, no `./` segments. Does not resolve `..`. */
export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').split('/').filter((part) => part !== '' && part !== '.').join('/');
}

/** Returns the folder part of a relative path (`onnx/model.onnx` → `onnx`), or '' at the top. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function joinPath(dir: string, name: string): string {
  return normalizePath(dir ? `${dir}/${name}` : name);
}

/** Reads a whole source; only for files known to be small (configs, the .onnx protobuf). */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  const bytes = await source.read(0, source.size);
  return bytes.byteLength === source.size ? bytes : bytes.slice(0, source.size);
}
