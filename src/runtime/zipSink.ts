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
 * Writes every file under `root` (e.g. `demo-pruned/`) in the archive. Files must be
 * written one after another, as `exportPrunedFolder` does: a write to a new path closes
 * the previous file, and writing to a closed file raises INVALID_ARGUMENT.
 *
 * The archive is kept in memory until `blob()` hands it over. NOTE: fflate writes no ZIP64
 * records, so files and archives over 4 GiB are not supported.
 */
export class ZipSink implements FileSink {
  private readonly parts: Uint8Array[] = [];
  private readonly zip: Zip;
  private readonly closed = new Set<string>();
  private current: { path: string; file: ZipPassThrough | ZipDeflate } | null = null;
  private failure: Error | null = null;
  private ended = false;
  private complete = false;
  /** Bytes of the archive produced so far. */
  bytes = 0;

  constructor(private readonly root = '') {
    this.zip = new Zip((error, chunk, final) => {
      if (error) {
        this.failure = error;
        return;
      }
      this.parts.push(chunk);
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
    this.parts.length = 0;
    this.ended = true;
  }

  /** Returns the archive as a Blob. Call it only after `finish()`. */
  blob(): Blob {
    if (!this.ended || !this.complete) throw new GpruneError('INVALID_ARGUMENT', 'ZipSink: the archive is not finished; call finish() first.');
    return new Blob(this.parts as BlobPart[], { type: 'application/zip' });
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
