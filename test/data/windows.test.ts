import { describe, expect, test } from 'vitest';
import {
  DEFAULT_WINDOW_CONFIG,
  loadTokenizer,
  makeWindows,
  parseDataset,
  resolveWindowConfig,
  tokenizeLongText,
  validateWindowConfig,
  type TextDataset,
  type WindowConfig,
} from '../../src/core/data';
import { GpruneError } from '../../src/core/errors';
import { loadStoriesTokenizer, readSharedBytes, readSharedText, STORIES_MODEL_DIR, TINYSTORIES_PATH, WIKITEXT_TEST_PATH } from './fixtures';
import path from 'node:path';

function catchError(run: () => unknown): GpruneError {
  try {
    run();
  } catch (error) {
    if (error instanceof GpruneError) return error;
    throw error;
  }
  throw new Error('expected a GpruneError');
}

const tokenizer = loadStoriesTokenizer();
const bosId = tokenizer.bosId as number;
const stories = parseDataset({ name: 'validation_100.txt', bytes: readSharedBytes(TINYSTORIES_PATH) });

describe('makeWindows concat', () => {
  test('cuts wikitext into BOS + 127-token windows', () => {
    const wikitext = parseDataset({ name: 'wiki.test.raw', bytes: readSharedBytes(WIKITEXT_TEST_PATH) });
    const started = performance.now();
    const result = makeWindows(wikitext, tokenizer, { seqlen: 128, mode: 'concat', bos: 'prepend' });
    const elapsed = performance.now() - started;
    console.log(`makeWindows on wiki.test.raw (${wikitext.bytes} bytes): ${Math.round(elapsed)} ms, ${result.windows.length} windows`);

    const ids = tokenizeLongText(readSharedText(WIKITEXT_TEST_PATH), tokenizer).ids;
    const expectedWindows = Math.floor(ids.length / 127);
    const tail = ids.length - expectedWindows * 127;
    expect(result.windows.length).toBe(expectedWindows);
    expect(result.tokens).toBe(expectedWindows * 128);
    for (const [w, window] of result.windows.entries()) {
      expect(window.length).toBe(128);
      expect(window[0]).toBe(bosId);
      if (w % 500 === 0) expect(Array.from(window.subarray(1))).toEqual(Array.from(ids.subarray(w * 127, (w + 1) * 127)));
    }
    const last = result.windows[result.windows.length - 1];
    expect(Array.from(last.subarray(1))).toEqual(Array.from(ids.subarray(ids.length - tail - 127, ids.length - tail)));

    expect(result.protocol).toMatch(/^concat: /);
    expect(result.protocol).toMatch(/128 tokens/);
    expect(result.protocol).toMatch(new RegExp(`BOS \\(id ${bosId}\\) \\+ 127 text tokens`));
    expect(result.protocol).toMatch(new RegExp(`final partial window of ${tail} tokens? dropped`));
    expect(result.protocol).not.toContain('\n');
  });

  test('joins documents with a blank line', () => {
    const dataset: TextDataset = { name: 'two.txt', format: 'text', documents: ['One day a cat sat.', 'The dog ran away.'], bytes: 0 };
    const ids = tokenizer.encode('One day a cat sat.\n\nThe dog ran away.');
    const result = makeWindows(dataset, tokenizer, { seqlen: 4, bos: 'none' });
    const joined = result.windows.flatMap((window) => Array.from(window));
    expect(joined).toEqual(ids.slice(0, Math.floor(ids.length / 4) * 4));
    expect(result.protocol).toMatch(/2 documents joined with "\\n\\n"/);
  });

  test('bos none gives windows of seqlen text tokens', () => {
    const ids = tokenizeLongText(stories.documents.join('\n\n'), tokenizer).ids;
    const result = makeWindows(stories, tokenizer, { seqlen: 64, bos: 'none' });
    expect(result.windows.length).toBe(Math.floor(ids.length / 64));
    expect(Array.from(result.windows[3])).toEqual(Array.from(ids.subarray(192, 256)));
    expect(result.protocol).toMatch(/no BOS, 64 text tokens each/);
  });

  test('maxWindows keeps the first windows', () => {
    const all = makeWindows(stories, tokenizer, { seqlen: 128 });
    const capped = makeWindows(stories, tokenizer, { seqlen: 128, maxWindows: 10 });
    expect(capped.windows.length).toBe(10);
    expect(capped.windows.map((window) => Array.from(window))).toEqual(all.windows.slice(0, 10).map((window) => Array.from(window)));
    expect(capped.tokens).toBe(1280);
    expect(capped.protocol).toMatch(/only the first 10 windows kept \(maxWindows\)/);
  });

  test('text shorter than one window raises DATASET_EMPTY', () => {
    const dataset: TextDataset = { name: 'short.txt', format: 'text', documents: ['Once upon a time.'], bytes: 17 };
    const error = catchError(() => makeWindows(dataset, tokenizer, { seqlen: 128 }));
    expect(error.code).toBe('DATASET_EMPTY');
    expect(error.message).toMatch(/short\.txt/);
    expect(error.message).toMatch(/smaller seqlen/);
  });
});

describe('makeWindows document', () => {
  test('gives one window per story, truncated', () => {
    const result = makeWindows(stories, tokenizer, { seqlen: 128, mode: 'document' });
    expect(result.windows.length).toBe(100);

    let truncated = 0;
    let tokens = 0;
    for (const [d, story] of stories.documents.entries()) {
      const ids = tokenizer.encode(story);
      if (ids.length > 127) truncated += 1;
      const window = result.windows[d];
      expect(window[0]).toBe(bosId);
      expect(Array.from(window.subarray(1))).toEqual(ids.slice(0, 127));
      tokens += window.length;
    }
    expect(result.tokens).toBe(tokens);
    expect(result.protocol).toMatch(/^document: 100 documents tokenized separately/);
    expect(result.protocol).toMatch(new RegExp(`${truncated} documents? truncated`));
  });

  test('split continues long stories in further windows', () => {
    const first = stories.documents.slice(0, 5);
    const dataset: TextDataset = { ...stories, documents: first };
    const result = makeWindows(dataset, tokenizer, { seqlen: 64, mode: 'document', documentOverflow: 'split' });

    let w = 0;
    for (const story of first) {
      const ids = tokenizer.encode(story);
      const pieces: number[] = [];
      for (let offset = 0; offset < ids.length; offset += 63) {
        const window = result.windows[w++];
        expect(window[0]).toBe(bosId);
        expect(window.length).toBeLessThanOrEqual(64);
        pieces.push(...window.subarray(1));
      }
      expect(pieces).toEqual(ids);
    }
    expect(w).toBe(result.windows.length);
    expect(result.protocol).toMatch(/continue in further windows, each starting with BOS/);
  });

  test('leaves out windows with fewer than 2 tokens', () => {
    const dataset: TextDataset = { name: 'tiny.txt', format: 'text', documents: ['Hi', 'Once upon a time'], bytes: 0 };
    const single = tokenizer.encode('Hi').length;
    const result = makeWindows(dataset, tokenizer, { seqlen: 8, mode: 'document', bos: 'none' });
    expect(result.windows.length).toBe(single < 2 ? 1 : 2);
    for (const window of result.windows) expect(window.length).toBeGreaterThanOrEqual(2);
    if (single < 2) expect(result.protocol).toMatch(/1 window shorter than 2 tokens left out/);
  });

  test('maxWindows stops reading documents', () => {
    const result = makeWindows(stories, tokenizer, { seqlen: 32, mode: 'document', maxWindows: 7 });
    expect(result.windows.length).toBe(7);
    expect(result.protocol).toMatch(/93 later documents unused/);
  });
});

describe('validateWindowConfig', () => {
  test('defaults are 128 tokens, concat, BOS prepended', () => {
    expect(DEFAULT_WINDOW_CONFIG).toEqual({ seqlen: 128, mode: 'concat', bos: 'prepend', documentOverflow: 'truncate' });
    expect(resolveWindowConfig({ seqlen: 256 })).toEqual({ ...DEFAULT_WINDOW_CONFIG, seqlen: 256 });
  });

  const invalid: [string, Partial<WindowConfig>][] = [
    ['seqlen 1', { seqlen: 1 }],
    ['seqlen 12.5', { seqlen: 12.5 }],
    ['mode', { mode: 'sliding' as never }],
    ['bos', { bos: 'append' as never }],
    ['maxWindows 0', { maxWindows: 0 }],
    ['documentOverflow', { documentOverflow: 'wrap' as never }],
  ];
  for (const [label, config] of invalid) {
    test(`${label} raises INVALID_CONFIG`, () => {
      const error = catchError(() => resolveWindowConfig(config));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toMatch(/Window \w+ .* is invalid/);
    });
  }

  test('bos prepend without a BOS token raises INVALID_CONFIG', () => {
    const noBos = loadTokenizer({ tokenizerJson: readSharedText(path.join(STORIES_MODEL_DIR, 'tokenizer.json')) });
    const error = catchError(() => validateWindowConfig({ seqlen: 128, mode: 'concat', bos: 'prepend' }, noBos));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/Set bos to "none"/);
    expect(catchError(() => makeWindows(stories, noBos)).code).toBe('INVALID_CONFIG');
    expect(makeWindows(stories, noBos, { bos: 'none' }).windows.length).toBeGreaterThan(0);
  });
});
