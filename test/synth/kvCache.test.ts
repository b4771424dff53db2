import { expect, test } from 'vitest';
import type * as ort from 'onnxruntime-node';
import { LLAMA_PRESETS, buildLlamaModel } from '../../src/core/synth';
import { argmax, emptyPast, floatValues, int64Tensor, logitsAt, openSession } from './session';

const shape = LLAMA_PRESETS.tiny;
const PROMPT = [256, 72, 101, 108, 108];
const NEW_TOKENS = 12;

/** Greedy decoding that runs the whole sequence every step, with an empty cache. */
async function decodeFull(session: ort.InferenceSession): Promise<{ ids: number[]; lastLogits: Float32Array[] }> {
  const ids = [...PROMPT];
  const lastLogits: Float32Array[] = [];
  for (let step = 0; step < NEW_TOKENS; step++) {
    const positions = ids.map((_, i) => i);
    const out = await session.run({ input_ids: int64Tensor([ids]), attention_mask: int64Tensor([ids.map(() => 1)]), position_ids: int64Tensor([positions]), ...emptyPast(shape, 1) });
    const last = logitsAt(floatValues(out.logits), ids.length, shape.vocab, 0, ids.length - 1).slice();
    lastLogits.push(last);
    ids.push(argmax(last));
  }
  return { ids, lastLogits };
}

/** Greedy decoding with the cache: one prefill run, then one token per run with present.* fed back. */
async function decodeCached(session: ort.InferenceSession): Promise<{ ids: number[]; lastLogits: Float32Array[] }> {
  const ids = [...PROMPT];
  const lastLogits: Float32Array[] = [];
  let past: Record<string, ort.Tensor> = emptyPast(shape, 1);
  let input = [...PROMPT];
  for (let step = 0; step < NEW_TOKENS; step++) {
    const start = ids.length - input.length;
    const out = await session.run({
      input_ids: int64Tensor([input]),
      attention_mask: int64Tensor([ids.map(() => 1)]),
      position_ids: int64Tensor([input.map((_, i) => start + i)]),
      ...past,
    });
    const last = logitsAt(floatValues(out.logits), input.length, shape.vocab, 0, input.length - 1).slice();
    lastLogits.push(last);
    const next = argmax(last);
    ids.push(next);
    input = [next];
    past = {};
    for (let layer = 0; layer < shape.layers; layer++) {
      past[`past_key_values.${layer}.key`] = out[`present.${layer}.key`];
      past[`past_key_values.${layer}.value`] = out[`present.${layer}.value`];
    }
  }
  return { ids, lastLogits };
}

test('greedy decode with KV cache equals full recompute', async () => {
  // A larger weight scale than the default makes the next-token choice clear-cut.
  const session = await openSession(buildLlamaModel(shape, { kvCache: true, seed: 11, initStd: 0.3 }));
  const full = await decodeFull(session);
  const cached = await decodeCached(session);
  expect(cached.ids).toEqual(full.ids);
  expect(new Set(full.ids.slice(PROMPT.length)).size).toBeGreaterThan(1);
  for (let step = 0; step < NEW_TOKENS; step++) {
    let maxDiff = 0;
    full.lastLogits[step].forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - cached.lastLogits[step][i]))));
    expect(maxDiff, `step ${step}`).toBeLessThan(1e-4);
  }
  await session.release();
});
