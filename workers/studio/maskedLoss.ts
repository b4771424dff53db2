/**
 * Loss of a candidate pruning through keep-masks on the instrumented session, with the
 * bias compensation export would add, so a slider move or a search step needs no export.
 */
import { type NllResult, meanNll } from '../../src/core/eval/perplexity';
import type { LayerOverrides } from '../../src/core/run/feeds';
import type { LoadedModel } from '../../src/core/run/loaded';
import type { ModelSessions } from './sessions';

/** Keep-masks → compensation biases per layer (from `createCompensator`), or null without compensation. */
export type Compensator = ((masks: ArrayLike<number>[]) => Float32Array[]) | null;

export function maskOverrides(masks: Uint8Array[], compensator: Compensator): LayerOverrides {
  return { masks, biases: compensator ? compensator(masks) : undefined };
}

/** Mean NLL of `windows` under `overrides` (the dense model when undefined), queued behind other runs of the session. */
export async function maskedNll(
  sessions: ModelSessions,
  loaded: LoadedModel,
  windows: Int32Array[],
  options: { overrides?: LayerOverrides; batchSize: number; signal?: AbortSignal; dataset?: string; onTokens?: (done: number) => void },
): Promise<NllResult> {
  const session = await sessions.masks();
  return sessions.queue.run(() =>
    meanNll(session, loaded, windows, {
      batchSize: options.batchSize,
      overrides: options.overrides,
      signal: options.signal,
      dataset: options.dataset,
      onProgress: options.onTokens && ((event) => options.onTokens!(event.done)),
    }),
  );
}
