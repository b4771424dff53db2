/**
 * A FileSink that streams the written files into one ZIP archive (fflate), for downloading
 * a pruned model folder from the browser.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { GpruneError } from '../core/errors';
import type { FileSink } from '../core/onnx/files';

/** Weights barely compress, so they are stored; text files (tokenizer, config) are deflated. */
const STORED = /\.onnx$|\.onnx_data(_\d+)?$|\.onnx\.data$/i;

/**
 * Where the archive's bytes go while it is built. fflate hands over chunks synchronously,
 * so `append` is synchronous; a store on disk (OPFS in a worker) keeps memory bounded.
 */
export interface ArchiveStore {
  append(chunk: Uint8Array): void;
  /** Returns the complete archive; called once, after the last chunk. */
  finish(): Promise<Blob>;
  /** Drops the partial archive (failed or cancelled export). */
  discard(): Promise<void>;
}

/** Keeps the archive's chunks in memory. */
export function memoryArchiveStore(): ArchiveStore & { parts: Uint8Array[] } {
  const parts: Uint8Array[] = [];
  return {
    parts,
    append: (chunk) => void parts.push(chunk),
    finish: async () => new Blob(parts as BlobPart[], { type: 'application/zip' }),
    discard: async () => void (parts.length = 0),
  };
}

/**
 * Writes every file under `root` (e.g. `demo-pruned/`) in the archive. Files must be
 * written one after another, as `exportPrunedFolder` does: a write to a new path closes
 * the previous file, and writing to a closed file raises INVALID_ARGUMENT.
 *
 * The archive goes to `store`, in memory by default. Only a finished archive is handed
 * out, so a failed export never yields a ZIP that looks complete. NOTE: fflate writes no
 * ZIP64 records, so files and archives over 4 GiB are not supported.
 */
export class ZipSink implements FileSink {
  private readonly memory: ReturnType<typeof memoryArchiveStore> | null;
  private readonly store: ArchiveStore;
  private readonly zip: Zip;
  private readonly closed = new Set<string>();
  private current: { path: string; file: ZipPassThrough | ZipDeflate } | null = null;
  private failure: Error | null = null;
  private ended = false;
  private complete = false;
  /** Bytes of the archive produced so far. */
  bytes = 0;

  constructor(
    private readonly root = '',
    store?: ArchiveStore,
  ) {
    this.memory = store ? null : memoryArchiveStore();
    this.store = store ?? this.memory!;
    this.zip = new Zip((error, chunk, final) => {
      if (error) {
        this.failure = error;
        return;
      }
      try {
        this.store.append(chunk);
      } catch (cause) {
        this.failure = cause as Error;
        return;
      }
      this.bytes += chunk.byteLength;
      if (final) this.complete = true;
    });
  }

  async write(path: string, chunk: Uint8Array): Promise<void> {
    this.check();
    if (this.current?.path !== path) {
      this.closeCurrent();
      if (this.closed.has(path)) throw new GpruneError('INVALID_ARGUMENT', `ZipSink: ${path} was already closed; write each file in one run.`);
      const name = this.root + path;
      const file = STORED.test(path) ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
      this.zip.add(file);
      this.current = { path, file };
    }
    this.current!.file.push(chunk, false);
    this.check();
  }

  async finish(): Promise<void> {
    this.check();
    this.closeCurrent();
    this.zip.end();
    this.ended = true;
    this.check();
  }

  async abort(): Promise<void> {
    this.zip.terminate();
    this.ended = true;
    this.complete = false;
    await this.store.discard();
  }

  /** Returns the in-memory archive as a Blob. Call it only after `finish()`, on a sink without a store. */
  blob(): Blob {
    this.requireComplete();
    if (!this.memory) throw new GpruneError('INVALID_ARGUMENT', 'ZipSink: this archive is in a store; call archive() instead of blob().');
    return new Blob(this.memory.parts as BlobPart[], { type: 'application/zip' });
  }

  /** Returns the finished archive from its store. Call it only after `finish()`. */
  async archive(): Promise<Blob> {
    this.requireComplete();
    return this.store.finish();
  }

  private requireComplete(): void {
    if (!this.ended || !this.complete) throw new GpruneError('INVALID_ARGUMENT', 'ZipSink: the archive is not finished; call finish() first.');
  }

  private closeCurrent(): void {
    if (!this.current) return;
    this.current.file.push(new Uint8Array(0), true);
    this.closed.add(this.current.path);
    this.current = null;
  }

  private check(): void {
    if (this.failure) throw new GpruneError('FILE_READ_FAILED', `Building the ZIP archive failed: ${this.failure.message}.`, { cause: this.failure });
  }
}
