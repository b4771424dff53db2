/**
 * Profiling: runs the statistics-instrumented model over token windows and adds up the
 * per-neuron sums of every layer (float64 in JS; each run's sums come back in float32).
 */
import type { SessionHandle } from '../engine';
import { throwIfAborted } from '../errors';
import type { ProgressListener } from '../progress';
import { batchWindows, countTokens } from '../run/batches';
import { resolveBatchSize } from '../run/batchSize';
import { buildFeeds, layoutBatch } from '../run/feeds';
import type { LoadedModel } from '../run/loaded';
import type { DatasetStats, LayerStats } from '../stats/types';
import { TOKEN_COUNT, statsOutput } from '../surgery/names';

export interface ProfileOptions {
  /** Windows per run, or `'auto'` to fit the activations of a run in `memoryBudget`. @defaultValue 4 */
  batchSize: number | 'auto';
  /** Bytes the activations of one run may use with `batchSize: 'auto'`. @defaultValue DEFAULT_MEMORY_BUDGET (1 GiB) */
  memoryBudget?: number;
  /** ε the graph was instrumented with (recorded in the result). */
  epsilon: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export async function profileWindows(session: SessionHandle, loaded: LoadedModel, dataset: string, windows: Int32Array[], options: Partial<ProfileOptions> = {}): Promise<DatasetStats> {
  const { epsilon = 1e-3, signal, onProgress } = options;
  const batchSize = resolveBatchSize(options.batchSize ?? 4, loaded, windows, options.memoryBudget);
  const layers: LayerStats[] = loaded.anatomy.ffn.map((b) => ({ n: 0, s1: new Float64Array(b.width), s2: new Float64Array(b.width), a1: new Float64Array(b.width), f: new Float64Array(b.width) }));
  const fetches = [TOKEN_COUNT, ...loaded.anatomy.ffn.map((b) => statsOutput(b.layer))];
  const total = countTokens(windows);
  let done = 0;
  for (const batch of batchWindows(windows, batchSize)) {
    throwIfAborted(signal);
    const feeds = buildFeeds(session.inputNames, loaded.anatomy, layoutBatch(batch), {}, loaded.kv);
    const out = await session.run(feeds, fetches);
    const n = Number((out[TOKEN_COUNT].data as Float32Array)[0]);
    loaded.anatomy.ffn.forEach((block, l) => {
      const sums = out[statsOutput(block.layer)].data as Float32Array; // [4, F]
      const layer = layers[l];
      const w = block.width;
      layer.n += n;
      for (let j = 0; j < w; j++) {
        layer.s1[j] += sums[j];
        layer.s2[j] += sums[w + j];
        layer.a1[j] += sums[2 * w + j];
        layer.f[j] += sums[3 * w + j];
      }
    });
    done += countTokens(batch);
    onProgress?.({ phase: 'profile', dataset, done, total, unit: 'tokens' });
  }
  return { dataset, epsilon, tokens: total, layers };
}
