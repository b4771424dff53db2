/**
 * Greedy decoding two ways: re-running the whole sequence each step, and with the KV cache
 * (present.* fed back as past_key_values.*), for checks that both agree.
 */
import type { FeedTensor, OutputTensor, SessionHandle } from '../../src/core/engine';
import { buildFeeds, layoutBatch } from '../../src/core/run/feeds';
import type { LoadedModel } from '../../src/core/run/loaded';

export interface GreedyResult {
  /** Generated token ids (the prompt excluded). */
  tokens: number[];
  /** Logits [vocab] that chose each generated token. */
  stepLogits: Float32Array[];
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function int64Row(values: number[]): FeedTensor {
  return { type: 'int64', data: BigInt64Array.from(values.map(BigInt)), dims: [1, values.length] };
}

/** Greedy decoding that runs the full sequence for every new token (batch 1). */
export async function greedyFullSequence(session: SessionHandle, loaded: LoadedModel, prompt: number[], steps: number): Promise<GreedyResult> {
  const ids = [...prompt];
  const result: GreedyResult = { tokens: [], stepLogits: [] };
  for (let step = 0; step < steps; step++) {
    const layout = layoutBatch([Int32Array.from(ids)]);
    const out = await session.run(buildFeeds(session.inputNames, loaded.anatomy, layout, {}, loaded.kv), [loaded.anatomy.logits]);
    const logits = out[loaded.anatomy.logits].data as Float32Array;
    const vocab = logits.length / ids.length;
    const last = logits.slice((ids.length - 1) * vocab, ids.length * vocab);
    const token = argmax(last);
    result.tokens.push(token);
    result.stepLogits.push(last);
    ids.push(token);
  }
  return result;
}

/**
 * Greedy decoding with the KV cache: the prompt runs with an empty past, then each call
 * feeds one token, the attention mask over past + current tokens, its absolute position,
 * and the previous call's present.* outputs as past_key_values.*.
 */
export async function greedyWithCache(session: SessionHandle, loaded: LoadedModel, prompt: number[], steps: number): Promise<GreedyResult> {
  const { anatomy } = loaded;
  const presentNames = session.outputNames.filter((name) => name.startsWith('present.'));
  const fetches = [anatomy.logits, ...presentNames];
  const result: GreedyResult = { tokens: [], stepLogits: [] };

  let out: Record<string, OutputTensor> = await session.run(buildFeeds(session.inputNames, anatomy, layoutBatch([Int32Array.from(prompt)]), {}, loaded.kv), fetches);
  let total = prompt.length;
  for (let step = 0; step < steps; step++) {
    const logits = out[anatomy.logits].data as Float32Array;
    const vocab = logits.length / out[anatomy.logits].dims[1];
    const last = logits.slice(logits.length - vocab);
    const token = argmax(last);
    result.tokens.push(token);
    result.stepLogits.push(last);
    if (step === steps - 1) break;

    const feeds: Record<string, FeedTensor> = {
      [anatomy.inputs.inputIds!]: int64Row([token]),
      [anatomy.inputs.attentionMask!]: int64Row(Array.from({ length: total + 1 }, () => 1)),
      [anatomy.inputs.positionIds!]: int64Row([total]),
    };
    for (const name of presentNames) {
      const present = out[name];
      feeds[name.replace(/^present\./, 'past_key_values.')] = { type: 'float32', data: present.data as Float32Array, dims: [...present.dims] };
    }
    out = await session.run(feeds, fetches);
    total += 1;
  }
  return result;
}
