/**
 * The next-token loss of a candidate pruning, evaluated through the instrumented graph's
 * mask and bias inputs (no re-export): the loss function of the sparsity search and of the
 * studio's live preview.
 */
import type { SessionHandle } from '../engine';
import { meanNll } from '../eval/perplexity';
import type { LoadedModel } from '../run/loaded';
import { GpruneError } from '../errors';

export interface MaskedLossOptions {
  /** Windows per run. @defaultValue 8 */
  batchSize: number;
  /** Returns the compensation biases for a candidate's masks (FLAP bias compensation), if used. */
  compensate?: (masks: Uint8Array[]) => Float32Array[];
  signal?: AbortSignal;
}

/** `session` must be instrumented with masks and NLL. Returns mean NLL per predicted token (nats). */
export function maskedLoss(session: SessionHandle, loaded: LoadedModel, windows: Int32Array[], options: Partial<MaskedLossOptions> = {}): (masks: Uint8Array[]) => Promise<number> {
  if (windows.length === 0) throw new GpruneError('INVALID_ARGUMENT', 'The masked loss needs at least one held-out window; give calibration datasets with enough text.');
  const { batchSize = 8, compensate, signal } = options;
  return async (masks) => {
    const biases = compensate?.(masks);
    return (await meanNll(session, loaded, windows, { batchSize, overrides: { masks, biases }, signal })).nll;
  };
}
