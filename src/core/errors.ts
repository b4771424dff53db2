/**
 * Errors raised by the core. Callers (CLI, worker, UI) switch on `code`, never on the message.
 */

export type ErrorCode =
  // Files and folders
  | 'FILE_NOT_FOUND'
  | 'FILE_READ_FAILED'
  | 'OUTPUT_NOT_WRITABLE'
  | 'MODEL_FILE_NOT_FOUND'
  // ONNX parsing and external data
  | 'ONNX_PARSE_FAILED'
  | 'ONNX_NOT_A_MODEL'
  | 'ONNX_TOO_LARGE'
  | 'EXTERNAL_DATA_MISSING'
  | 'EXTERNAL_DATA_TRUNCATED'
  | 'EXTERNAL_DATA_OUTSIDE_FOLDER'
  | 'UNSUPPORTED_DTYPE'
  | 'UNSUPPORTED_OPERATOR'
  | 'TENSOR_NOT_FOUND'
  // Graph anatomy and surgery
  | 'FFN_NOT_FOUND'
  | 'GRAPH_PATTERN_MISMATCH'
  | 'MODEL_INPUT_UNSUPPORTED'
  // Data and tokenizers
  | 'TOKENIZER_INVALID'
  | 'TOKENIZER_MISMATCH'
  | 'DATASET_EMPTY'
  | 'DATASET_BINARY'
  | 'DATASET_BAD_LINE'
  | 'DATASET_NOT_FOUND'
  // Configuration and runtime
  | 'INVALID_CONFIG'
  | 'INVALID_ARGUMENT'
  | 'STATS_MISMATCH'
  | 'SESSION_FAILED'
  | 'SHARE_LINK_INVALID'
  | 'CANCELLED';

/** An error with a stable `code`, a message that names the input and the fix, and optional details. */
export class GpruneError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GpruneError';
    this.code = code;
    this.details = options?.details;
  }
}

export function isGpruneError(value: unknown): value is GpruneError {
  return value instanceof GpruneError || (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'GpruneError' && typeof (value as { code?: unknown }).code === 'string');
}

/** Raises CANCELLED when the signal has been aborted; long loops call it between steps. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new GpruneError('CANCELLED', 'The operation was cancelled.');
}
