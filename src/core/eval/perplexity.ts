/**
 * Perplexity through the instrumented graph's per-token NLL output: exp(mean NLL) over all
 * predicted tokens (token-weighted), with keep-masks and biases fed as inputs.
 */
import type { SessionHandle } from '../engine';
import { throwIfAborted } from '../errors';
import type { ProgressListener } from '../progress';
import { batchWindows, countTokens } from '../run/batches';
import { resolveBatchSize } from '../run/batchSize';
import { type LayerOverrides, buildFeeds, layoutBatch } from '../run/feeds';
import type { LoadedModel } from '../run/loaded';
import { NLL } from '../surgery/names';

export interface NllResult {
  /** Mean negative log-likelihood per predicted token, in nats. */
  nll: number;
  /** exp(nll). */
  perplexity: number;
  /** Predicted tokens (each window of length T predicts T − 1). */
  tokens: number;
}

export interface NllOptions {
  /** Windows per run, or `'auto'` to fit the activations of a run in `memoryBudget`. @defaultValue 4 */
  batchSize: number | 'auto';
  /** Bytes the activations of one run may use with `batchSize: 'auto'`. @defaultValue DEFAULT_MEMORY_BUDGET (1 GiB) */
  memoryBudget?: number;
  overrides?: LayerOverrides;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Dataset name for progress events. */
  dataset?: string;
}

export async function meanNll(session: SessionHandle, loaded: LoadedModel, windows: Int32Array[], options: Partial<NllOptions> = {}): Promise<NllResult> {
  const { overrides, signal, onProgress, dataset = '' } = options;
  const batchSize = resolveBatchSize(options.batchSize ?? 4, loaded, windows, options.memoryBudget);
  const total = countTokens(windows);
  let sum = 0;
  let tokens = 0;
  let done = 0;
  for (const batch of batchWindows(windows, batchSize)) {
    throwIfAborted(signal);
    const layout = layoutBatch(batch);
    const out = await session.run(buildFeeds(session.inputNames, loaded.anatomy, layout, overrides, loaded.kv), [NLL]);
    const nll = out[NLL].data as Float32Array; // [B, T]
    for (let b = 0; b < layout.batch; b++) {
      for (let t = 0; t + 1 < layout.lengths[b]; t++) sum += nll[b * layout.sequence + t];
      tokens += Math.max(0, layout.lengths[b] - 1);
    }
    done += countTokens(batch);
    onProgress?.({ phase: 'eval', dataset, done, total, unit: 'tokens' });
  }
  const nll = tokens ? sum / tokens : NaN;
  return { nll, perplexity: Math.exp(nll), tokens };
}
