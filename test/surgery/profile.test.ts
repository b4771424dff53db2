import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SessionHandle } from '../../src/core/engine';
import { profileWindows } from '../../src/core/profile/profile';
import { type LoadedModel, createSession } from '../../src/core/run/loaded';
import { assertClose } from '../helpers/assertClose';
import { loadFixture, readReference, testEngine } from '../helpers/fixtures';

const engine = testEngine();
const prompt = readReference('stories260K-llama').prompt_ids_with_bos;
const windows = [prompt, prompt.slice(0, 5), prompt.slice(2, 11)].map((w) => Int32Array.from(w));

describe('profileWindows on stories260K-llama', () => {
  let loaded: LoadedModel;
  let session: SessionHandle;

  beforeAll(async () => {
    loaded = await loadFixture('stories260K-llama');
    session = await createSession(engine, loaded, { masks: false, nll: false });
  });

  afterAll(async () => {
    await session.release();
  });

  test('profileWindows counts every real token once per layer', async () => {
    const stats = await profileWindows(session, loaded, 'prompt', windows, { batchSize: 2 });
    const tokens = windows.reduce((sum, w) => sum + w.length, 0);
    expect(stats.dataset).toBe('prompt');
    expect(stats.tokens).toBe(tokens);
    expect(stats.layers.map((layer) => layer.n)).toEqual([tokens, tokens, tokens, tokens, tokens]);
    for (const layer of stats.layers) {
      // Frequencies count tokens, so none can exceed n.
      expect(Math.max(...layer.f)).toBeLessThanOrEqual(tokens);
      expect(Math.min(...layer.a1)).toBeGreaterThanOrEqual(0);
    }
  });

  test('profileWindows sums do not depend on the batch size', async () => {
    const single = await profileWindows(session, loaded, 'prompt', windows, { batchSize: 1 });
    const batched = await profileWindows(session, loaded, 'prompt', windows, { batchSize: 3 });
    single.layers.forEach((layer, l) => {
      const other = batched.layers[l];
      assertClose(other.s2, layer.s2, { rel: 1e-4, label: `layer ${l} S2` });
      assertClose(other.a1, layer.a1, { rel: 1e-4, label: `layer ${l} A1` });
      assertClose(other.f, layer.f, { label: `layer ${l} F` });
      // S1 cancels, so compare it against the scale of A1.
      assertClose(other.s1, layer.s1, { abs: 1e-4 * Math.max(...layer.a1), label: `layer ${l} S1` });
    });
  });

  test('profileWindows of a split set adds up to the whole set', async () => {
    const whole = await profileWindows(session, loaded, 'all', windows);
    const first = await profileWindows(session, loaded, 'first', windows.slice(0, 1));
    const rest = await profileWindows(session, loaded, 'rest', windows.slice(1));
    whole.layers.forEach((layer, l) => {
      expect(first.layers[l].n + rest.layers[l].n).toBe(layer.n);
      assertClose(first.layers[l].s2.map((v, j) => v + rest.layers[l].s2[j]), layer.s2, { rel: 1e-4, label: `layer ${l} S2` });
    });
  });

  test('profileWindows raises CANCELLED for an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(profileWindows(session, loaded, 'prompt', windows, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
