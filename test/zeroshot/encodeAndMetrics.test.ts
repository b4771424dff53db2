import { describe, expect, it } from 'vitest';
import { type GpruneError, isGpruneError } from '../../src/core/errors';
import { encodePair, encodeRequest } from '../../src/core/eval/multipleChoiceEncode';
import { argmax, meanStderr, perplexityOfLogLikelihoods, predictByNormalizedLogLikelihood, textLength } from '../../src/core/eval/multipleChoiceMetrics';
import { chunkItems, itemRows } from '../../src/core/eval/multipleChoiceRows';
import { summarizeTask } from '../../src/core/eval/multipleChoiceSummary';
import { parseTask } from '../../src/core/eval/tasks';
import { loadTokenizer } from '../../src/core/data/tokenizer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PLAIN_MODEL } from './reference';

const tokenizer = loadTokenizer({
  tokenizerJson: readFileSync(path.join(PLAIN_MODEL, 'tokenizer.json'), 'utf8'),
  tokenizerConfig: readFileSync(path.join(PLAIN_MODEL, 'tokenizer_config.json'), 'utf8'),
});
const BOS = { prefixId: tokenizer.bosId, emptyContextId: tokenizer.bosId };

describe('encodePair', () => {
  it('encodePair moves trailing context spaces to the continuation', () => {
    expect(encodePair(tokenizer, { context: 'The dog was ', continuation: 'big' }, BOS)).toEqual(encodePair(tokenizer, { context: 'The dog was', continuation: ' big' }, BOS));
  });

  it('encodePair splits encode(context + continuation) after the context', () => {
    const pair = encodePair(tokenizer, { context: 'The dog was', continuation: ' very big' }, BOS);
    expect(pair.context).toEqual([tokenizer.bosId, ...tokenizer.encode('The dog was')]);
    expect([...pair.context.slice(1), ...pair.continuation]).toEqual(tokenizer.encode('The dog was very big'));
    expect(encodePair(tokenizer, { context: 'The dog was', continuation: ' big' }, { prefixId: null, emptyContextId: 1 }).context).toEqual(tokenizer.encode('The dog was'));
  });

  it('encodePair starts an empty context from the empty-context token', () => {
    expect(encodePair(tokenizer, { context: '', continuation: 'Hello' }, { prefixId: null, emptyContextId: 7 }).context).toEqual([7]);
    const error = (() => {
      try {
        encodePair(tokenizer, { context: '', continuation: 'Hello' }, { prefixId: null, emptyContextId: null });
      } catch (e) {
        return e;
      }
    })();
    expect(isGpruneError(error)).toBe(true);
    expect((error as GpruneError).code).toBe('TOKENIZER_INVALID');
  });

  it('encodeRequest cuts the context from the left', () => {
    const request = { context: 'Once upon a time, there was a little girl named', continuation: ' Lily' };
    const full = encodeRequest(tokenizer, request, { ...BOS, maxLength: 512, where: 'x' });
    const cut = encodeRequest(tokenizer, request, { ...BOS, maxLength: 5, where: 'x' });
    expect(full.truncated).toBe(false);
    expect(cut.truncated).toBe(true);
    expect(Array.from(cut.tokens)).toEqual(Array.from(full.tokens.slice(-6)));
    expect(cut.continuationTokens).toBe(full.continuationTokens);
    expect(() => encodeRequest(tokenizer, { context: 'A', continuation: ' very long continuation here' }, { ...BOS, maxLength: 2, where: 'task.jsonl line 4' })).toThrow(/task\.jsonl line 4: the continuation has/);
  });
});

describe('itemRows and chunkItems', () => {
  const encoded = (ids: number[], continuation: number) => ({ tokens: Int32Array.from(ids), continuationTokens: continuation, truncated: false });

  it('itemRows shares the context up to its last token', () => {
    const entry = itemRows(0, [encoded([1, 10, 11, 12, 20, 21], 2), encoded([1, 10, 11, 12, 30], 1)], true);
    expect(Array.from(entry.prefix)).toEqual([1, 10, 11]);
    expect(entry.rows.map((r) => Array.from(r.input))).toEqual([[12, 20], [12]]);
    expect(entry.rows.map((r) => Array.from(r.labels))).toEqual([[20, 21], [30]]);
    expect(entry.rows.map((r) => r.scoreFrom)).toEqual([0, 0]);
  });

  it('itemRows shares only the common start of differing contexts', () => {
    const entry = itemRows(0, [encoded([1, 10, 11, 40, 50, 51], 2), encoded([1, 10, 11, 41, 42, 50, 51], 2)], true);
    expect(Array.from(entry.prefix)).toEqual([1, 10, 11]);
    expect(entry.rows.map((r) => Array.from(r.input))).toEqual([[40, 50], [41, 42, 50]]);
    expect(entry.rows.map((r) => r.scoreFrom)).toEqual([0, 1]);
  });

  it('itemRows without sharing feeds whole requests', () => {
    const entry = itemRows(3, [encoded([1, 10, 11, 20, 21], 2)], false);
    expect(entry.prefix).toHaveLength(0);
    expect(Array.from(entry.rows[0].input)).toEqual([1, 10, 11, 20]);
    expect(entry.rows[0].scoreFrom).toBe(2);
    expect(entry.rows[0].item).toBe(3);
  });

  it('chunkItems keeps items whole and longest first', () => {
    const item = (index: number, length: number, requests: number) => itemRows(index, Array.from({ length: requests }, () => encoded(Array.from({ length }, (_, i) => i + 1), 1)), false);
    const chunks = chunkItems([item(0, 3, 2), item(1, 9, 2), item(2, 5, 3), item(3, 4, 5)], 4);
    expect(chunks.map((c) => c.map((e) => e.item))).toEqual([[1], [2], [3], [0]]);
    expect(chunkItems([item(0, 3, 1), item(1, 3, 1), item(2, 3, 1)], 2).map((c) => c.length)).toEqual([2, 1]);
  });
});

describe('multiple-choice metrics', () => {
  it('argmax takes the first of equal values', () => {
    expect(argmax([-2, -1, -1])).toBe(1);
  });

  it('textLength counts code points or UTF-8 bytes', () => {
    expect(textLength('café', 'characters')).toBe(4);
    expect(textLength('café', 'bytes')).toBe(5);
    expect(textLength('😀', 'characters')).toBe(1);
  });

  it('predictByNormalizedLogLikelihood divides by length', () => {
    expect(predictByNormalizedLogLikelihood([-4, -3], ['long choice', 'ab'], 'characters')).toBe(0);
    expect(argmax([-4, -3])).toBe(1);
  });

  it('meanStderr uses the sample standard deviation', () => {
    // mean 0.75, sample variance (3 · 0.0625 + 0.5625) / 3 = 0.25, stderr √(0.25 / 4).
    expect(meanStderr([1, 0, 1, 1])).toBeCloseTo(0.25, 12);
    expect(meanStderr([1])).toBeNaN();
  });

  it('perplexityOfLogLikelihoods is exp of minus the mean', () => {
    expect(perplexityOfLogLikelihoods([-1, -3])).toBeCloseTo(Math.exp(2), 12);
  });

  it('summarizeTask computes acc and acc_norm per item', () => {
    const task = parseTask({ task: 'arc_easy', file: 'a.jsonl', bytes: new TextEncoder().encode('{"query":"Q","choices":["aaaa","b"],"gold":0}\n{"query":"Q","choices":["aaaa","b"],"gold":1}') });
    const scores = [
      { logLikelihoods: [-4, -3], tokens: [1, 1], greedy: [null, null], gold: 0 },
      { logLikelihoods: [-1, -3], tokens: [1, 1], greedy: [null, null], gold: 1 },
    ];
    const summary = summarizeTask(task, scores, 'characters');
    // Item 0: acc picks 1 (wrong), acc_norm picks 0 (-1 vs -3, right). Item 1: both pick 0 (wrong).
    expect(summary.acc).toBe(0);
    expect(summary.accNorm).toBe(0.5);
    expect(summary.accNormStderr).toBeCloseTo(0.5, 12);
  });
});
