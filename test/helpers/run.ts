/**
 * Running the stories260K sessions the way the core does: right-padded batches through
 * buildFeeds, fetching named outputs.
 */
import type { OutputTensor, SessionHandle } from '../../src/core/engine';
import { type BatchLayout, type LayerOverrides, buildFeeds, layoutBatch } from '../../src/core/run/feeds';
import type { LoadedModel } from '../../src/core/run/loaded';

/** Runs one right-padded batch of windows and returns the fetched outputs with the layout. */
export async function runWindows(
  session: SessionHandle,
  loaded: LoadedModel,
  windows: ArrayLike<number>[],
  fetches: string[],
  overrides: LayerOverrides = {},
): Promise<{ outputs: Record<string, OutputTensor>; layout: BatchLayout }> {
  const layout = layoutBatch(windows.map((w) => Int32Array.from(w)));
  const outputs = await session.run(buildFeeds(session.inputNames, loaded.anatomy, layout, overrides, loaded.kv), fetches);
  return { outputs, layout };
}

/** Runs one batch and returns its logits [batch, sequence, vocab]. */
export async function runLogits(session: SessionHandle, loaded: LoadedModel, windows: ArrayLike<number>[], overrides: LayerOverrides = {}): Promise<Float32Array> {
  const { outputs } = await runWindows(session, loaded, windows, [loaded.anatomy.logits], overrides);
  return outputs[loaded.anatomy.logits].data as Float32Array;
}

/** Token windows of different lengths cut from a prompt, for batches with padding. */
export function promptWindows(promptIds: number[]): number[][] {
  return [promptIds, promptIds.slice(0, 7)];
}
