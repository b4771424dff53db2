import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadTokenizer } from '../../src/core/data';
import type { SessionHandle } from '../../src/core/engine';
import { meanNll } from '../../src/core/eval/perplexity';
import type { ProgressEvent } from '../../src/core/progress';
import { type LoadedModel, createSession } from '../../src/core/run/loaded';
import { NLL } from '../../src/core/surgery/names';
import { assertClose } from '../helpers/assertClose';
import { FIXTURES, type FixtureName, TINYSTORIES_PATH, fixtureDir, loadFixture, readReference, testEngine } from '../helpers/fixtures';
import { runWindows } from '../helpers/run';

const engine = testEngine();
const reference = readReference('stories260K-llama');
const MAX_TOKENS = reference.tinystories_nll.max_tokens_per_story_incl_bos;

/**
 * Builds the fixture's perplexity windows: stories split on lines equal to <|endoftext|>,
 * stripped of surrounding whitespace, empty ones dropped, encoded without special tokens,
 * BOS prepended, cut to 512 tokens.
 */
function tinyStoriesWindows(): Int32Array[] {
  const tokenizer = loadTokenizer({
    tokenizerJson: readFileSync(path.join(fixtureDir('stories260K-llama'), 'tokenizer.json'), 'utf8'),
    tokenizerConfig: readFileSync(path.join(fixtureDir('stories260K-llama'), 'tokenizer_config.json'), 'utf8'),
  });
  const stories: string[] = [];
  let current: string[] = [];
  for (const line of readFileSync(TINYSTORIES_PATH, 'utf8').split('\n')) {
    if (line === '<|endoftext|>') {
      stories.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  stories.push(current.join('\n'));
  return stories
    .map((story) => story.trim())
    .filter((story) => story.length > 0)
    .map((story) => Int32Array.from([tokenizer.bosId!, ...tokenizer.encode(story)].slice(0, MAX_TOKENS)));
}

/** −log softmax(logits[b, t])[ids[b, t + 1]] in float64, for every predicted position of every window. */
function nllByHand(logits: Float32Array, windows: number[][], sequence: number, vocab: number): number[][] {
  return windows.map((ids, b) =>
    ids.slice(0, -1).map((_, t) => {
      const row = logits.subarray((b * sequence + t) * vocab, (b * sequence + t + 1) * vocab);
      let max = -Infinity;
      for (const v of row) max = Math.max(max, v);
      let sum = 0;
      for (const v of row) sum += Math.exp(v - max);
      return max + Math.log(sum) - row[ids[t + 1]];
    }),
  );
}

describe('meanNll on TinyStories', () => {
  let loaded: LoadedModel;
  let session: SessionHandle;
  let windows: Int32Array[];

  beforeAll(async () => {
    loaded = await loadFixture('stories260K-llama');
    session = await createSession(engine, loaded, { stats: false, masks: false });
    windows = tinyStoriesWindows();
  });

  afterAll(async () => {
    await session.release();
  });

  test('tinyStoriesWindows follows the fixture protocol', () => {
    expect(windows).toHaveLength(reference.tinystories_nll.stories);
    expect(windows.reduce((sum, w) => sum + w.length - 1, 0)).toBe(reference.tinystories_nll.predicted_tokens);
  });

  test('meanNll reproduces the reference mean NLL of stories260K', async () => {
    const events: ProgressEvent[] = [];
    const result = await meanNll(session, loaded, windows, { batchSize: 8, onProgress: (e) => events.push(e) });

    expect(result.tokens).toBe(reference.tinystories_nll.predicted_tokens);
    expect(Math.abs(result.nll - reference.tinystories_nll.mean_nll)).toBeLessThan(1e-5);
    expect(result.perplexity).toBeCloseTo(Math.exp(reference.tinystories_nll.mean_nll), 3);
    expect(events.at(-1)).toMatchObject({ phase: 'eval', done: events.at(-1)!.total });
  });

  test('meanNll raises CANCELLED for an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(meanNll(session, loaded, windows, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe.each(FIXTURES)('gprune_nll output of %s', (name: FixtureName) => {
  let loaded: LoadedModel;
  let session: SessionHandle;
  const stories = tinyStoriesWindows().slice(0, 3).map((w) => Array.from(w.subarray(0, 60)));
  // Different lengths, so the batch carries right padding.
  const windows = [stories[0], stories[1].slice(0, 41), stories[2].slice(0, 23)];

  beforeAll(async () => {
    loaded = await loadFixture(name);
    session = await createSession(engine, loaded, {});
  });

  afterAll(async () => {
    await session.release();
  });

  test('gprune_nll equals a float64 log-softmax of the logits', async () => {
    const { outputs, layout } = await runWindows(session, loaded, windows, [loaded.anatomy.logits, NLL]);
    const logits = outputs[loaded.anatomy.logits].data as Float32Array;
    const vocab = logits.length / (layout.batch * layout.sequence);
    const expected = nllByHand(logits, windows, layout.sequence, vocab);
    const nll = outputs[NLL].data as Float32Array;
    expect(outputs[NLL].dims).toEqual([layout.batch, layout.sequence]);

    windows.forEach((ids, b) => {
      const actual = nll.subarray(b * layout.sequence, b * layout.sequence + ids.length - 1);
      assertClose(actual, expected[b], { abs: 1e-4, label: `window ${b} NLL` });
    });
  });

  test('meanNll averages the hand NLL over predicted tokens', async () => {
    const plain = await createSession(engine, loaded);
    const { outputs, layout } = await runWindows(plain, loaded, windows, [loaded.anatomy.logits]);
    await plain.release();
    const logits = outputs[loaded.anatomy.logits].data as Float32Array;
    const perToken = nllByHand(logits, windows, layout.sequence, logits.length / (layout.batch * layout.sequence)).flat();
    const expected = perToken.reduce((a, b) => a + b, 0) / perToken.length;

    const result = await meanNll(session, loaded, windows.map((w) => Int32Array.from(w)), { batchSize: 2 });
    expect(result.tokens).toBe(perToken.length);
    expect(Math.abs(result.nll - expected)).toBeLessThan(1e-5);
  });
});
