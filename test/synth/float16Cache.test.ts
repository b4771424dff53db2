import { expect, test } from 'vitest';
import { meanNll } from '../../src/core/eval/perplexity';
import { DataType } from '../../src/core/onnx/dtype';
import { profileWindows } from '../../src/core/profile/profile';
import { createSession, loadModel } from '../../src/core/run/loaded';
import { LLAMA_PRESETS, llamaModelFiles } from '../../src/core/synth';
import { testEngine } from '../helpers/fixtures';

const windows = [Int32Array.from([256, 72, 101, 108, 108, 111, 32, 119]), Int32Array.from([256, 66, 121, 101])];

test('float16 KV-cache model profiles and evaluates through the core', async () => {
  const loaded = await loadModel(llamaModelFiles(LLAMA_PRESETS.tiny, { dataType: 'float16', kvCache: true, seed: 3 }));
  expect(loaded.anatomy.hasKvCache).toBe(true);
  expect(loaded.anatomy.inputs.past.every((p) => p.elemType === DataType.FLOAT16)).toBe(true);

  const session = await createSession(testEngine(), loaded, { stats: true, masks: true, nll: true });
  const stats = await profileWindows(session, loaded, 'tiny', windows, { batchSize: 2 });
  expect(stats.layers[0].n).toBe(12);
  expect(stats.layers.every((layer) => layer.s2.every(Number.isFinite) && layer.s2.some((v) => v > 0))).toBe(true);

  const { nll, tokens } = await meanNll(session, loaded, windows, { batchSize: 2 });
  expect(tokens).toBe(10);
  expect(Number.isFinite(nll)).toBe(true);
});
