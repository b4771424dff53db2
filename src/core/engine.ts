/**
 * The contract between the core and an inference runtime (onnxruntime-node in the CLI,
 * onnxruntime-web in workers). The core builds feeds and reads outputs through these types
 * only, so it never imports a runtime.
 */

export type FeedType = 'float32' | 'float16' | 'int64' | 'bool';

export interface FeedTensor {
  type: FeedType;
  /** Values; float16 tensors carry their IEEE half bits in a Uint16Array. */
  data: Float32Array | Uint16Array | BigInt64Array | Uint8Array;
  dims: number[];
}

export interface OutputTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** External data of a model given as bytes: the path the model names, and its content. */
export interface ExternalDataRef {
  /** Location as written in the model, relative to the .onnx file. */
  path: string;
  /** File contents, a file system path (Node) or a URL/Blob (browsers). */
  data: Uint8Array | string | Blob;
}

export interface SessionHandle {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, FeedTensor>, fetches: string[]): Promise<Record<string, OutputTensor>>;
  release(): Promise<void>;
}

export interface Engine {
  /** Short id, e.g. `onnxruntime-node (cpu)` or `onnxruntime-web (wasm, 4 threads)`. */
  readonly name: string;
  /** Reason this engine was chosen, for the UI and `inspect`. */
  readonly reason: string;
  createSession(model: Uint8Array, externalData: ExternalDataRef[]): Promise<SessionHandle>;
}
