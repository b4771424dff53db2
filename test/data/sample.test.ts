import { describe, expect, test } from 'vitest';
import { createRng, parseDataset, sampleWindows, shuffleWithSeed, splitDocuments, tokenizeLongText } from '../../src/core/data';
import { GpruneError } from '../../src/core/errors';
import { loadStoriesTokenizer, readSharedBytes, TINYSTORIES_PATH } from './fixtures';

function catchError(run: () => unknown): GpruneError {
  try {
    run();
  } catch (error) {
    if (error instanceof GpruneError) return error;
    throw error;
  }
  throw new Error('expected a GpruneError');
}

function draw(seed: number, count: number): number[] {
  const random = createRng(seed);
  return Array.from({ length: count }, () => random());
}

/** Token stream 0, 1, 2, ... so a window's position in the stream is its first text id. */
function rangeTokens(length: number): Int32Array {
  return Int32Array.from({ length }, (_, i) => i);
}

describe('createRng', () => {
  test('matches the published mulberry32 for 32-bit seeds', () => {
    // The usual JavaScript formulation of mulberry32, with an unbounded number as state.
    const reference = (seed: number) => {
      let a = seed;
      return () => {
        let t = (a += 0x6d2b79f5);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    };
    for (const seed of [0, 1, 123456789, 2 ** 32 - 1]) {
      const expected = reference(seed);
      expect(draw(seed, 1000)).toEqual(Array.from({ length: 1000 }, () => expected()));
    }
  });

  test('same seed gives the same sequence', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
  });

  test('different seeds give different sequences', () => {
    expect(draw(1, 10)).not.toEqual(draw(2, 10));
    expect(draw(0, 10)).not.toEqual(draw(2 ** 32 + 1, 10));
  });

  test('values are in [0, 1) with mean near 0.5', () => {
    const values = draw(7, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    const buckets = new Array(10).fill(0);
    for (const value of values) buckets[Math.floor(value * 10)] += 1;
    for (const bucket of buckets) expect(Math.abs(bucket - 2000)).toBeLessThan(200);
  });

  test('non-integer seeds raise INVALID_CONFIG', () => {
    for (const seed of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(catchError(() => createRng(seed)).code).toBe('INVALID_CONFIG');
    }
  });
});

describe('shuffleWithSeed', () => {
  const items = Array.from({ length: 50 }, (_, i) => `item${i}`);

  test('returns a permutation and leaves the input alone', () => {
    const before = items.slice();
    const shuffled = shuffleWithSeed(items, 3);
    expect(items).toEqual(before);
    expect(shuffled).not.toEqual(items);
    expect(shuffled.slice().sort()).toEqual(items.slice().sort());
  });

  test('same seed gives the same order', () => {
    expect(shuffleWithSeed(items, 9)).toEqual(shuffleWithSeed(items, 9));
    expect(shuffleWithSeed(items, 9)).not.toEqual(shuffleWithSeed(items, 10));
  });

  test('every position is reachable', () => {
    const firstItems = new Set<string>();
    for (let seed = 0; seed < 400; seed++) firstItems.add(shuffleWithSeed(items.slice(0, 5), seed)[0]);
    expect(firstItems.size).toBe(5);
  });
});

describe('sampleWindows', () => {
  test('windows are BOS plus a contiguous slice', () => {
    const tokens = rangeTokens(1000);
    const windows = sampleWindows(tokens, 20, 16, 5, 999_999);
    expect(windows.length).toBe(20);
    for (const window of windows) {
      expect(window.length).toBe(16);
      expect(window[0]).toBe(999_999);
      const start = window[1];
      expect(Array.from(window.subarray(1))).toEqual(Array.from({ length: 15 }, (_, i) => start + i));
    }
  });

  test('without BOS windows are seqlen stream tokens', () => {
    const windows = sampleWindows(rangeTokens(1000), 20, 16, 5, null);
    for (const window of windows) {
      expect(window.length).toBe(16);
      expect(Array.from(window)).toEqual(Array.from({ length: 16 }, (_, i) => window[0] + i));
    }
  });

  test('same seed gives the same windows', () => {
    const tokenizer = loadStoriesTokenizer();
    const dataset = parseDataset({ name: 'validation_100.txt', bytes: readSharedBytes(TINYSTORIES_PATH) });
    const tokens = tokenizeLongText(dataset.documents.join('\n\n'), tokenizer).ids;

    const first = sampleWindows(tokens, 32, 128, 2024, tokenizer.bosId).map((window) => Array.from(window));
    const again = sampleWindows(tokens, 32, 128, 2024, tokenizer.bosId).map((window) => Array.from(window));
    const other = sampleWindows(tokens, 32, 128, 2025, tokenizer.bosId).map((window) => Array.from(window));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  test('offsets cover both ends of the stream', () => {
    const windows = sampleWindows(rangeTokens(10), 400, 5, 1, null);
    const starts = new Set(windows.map((window) => window[0]));
    expect([...starts].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('a stream shorter than one window raises INVALID_CONFIG', () => {
    expect(sampleWindows(rangeTokens(15), 1, 16, 0, 7).length).toBe(1);
    const error = catchError(() => sampleWindows(rangeTokens(15), 1, 16, 0, null));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/has 15/);
  });

  test('count 0 gives no windows', () => {
    expect(sampleWindows(rangeTokens(100), 0, 8, 0, null)).toEqual([]);
  });

  test('invalid arguments raise INVALID_CONFIG', () => {
    expect(catchError(() => sampleWindows(rangeTokens(100), -1, 8, 0, null)).code).toBe('INVALID_CONFIG');
    expect(catchError(() => sampleWindows(rangeTokens(100), 2, 1, 0, null)).code).toBe('INVALID_CONFIG');
    expect(catchError(() => sampleWindows(rangeTokens(100), 2, 8, 0, -3)).code).toBe('INVALID_CONFIG');
    expect(catchError(() => sampleWindows(rangeTokens(100), 2, 8, 0.5, null)).code).toBe('INVALID_CONFIG');
  });
});

describe('splitDocuments', () => {
  const documents = Array.from({ length: 101 }, (_, i) => `doc ${i}`);

  test('splits are disjoint and cover every document', () => {
    const split = splitDocuments(documents, { train: 0.8, calib: 0.1, eval: 0.1 }, 11);
    const all = [...split.train, ...split.calib, ...split.eval];
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice().sort()).toEqual(documents.slice().sort());
    expect(split.train.length).toBe(81);
    expect(split.calib.length).toBe(10);
    expect(split.eval.length).toBe(10);
  });

  test('each split keeps the input order', () => {
    const split = splitDocuments(documents, { a: 0.5, b: 0.5 }, 4);
    for (const part of [split.a, split.b]) {
      const positions = part.map((document) => documents.indexOf(document));
      expect(positions).toEqual(positions.slice().sort((x, y) => x - y));
    }
  });

  test('same seed gives the same split', () => {
    const fractions = { calib: 0.3, eval: 0.7 };
    expect(splitDocuments(documents, fractions, 8)).toEqual(splitDocuments(documents, fractions, 8));
    expect(splitDocuments(documents, fractions, 8)).not.toEqual(splitDocuments(documents, fractions, 9));
  });

  test('fractions below 1 leave documents unused', () => {
    const split = splitDocuments(documents, { calib: 0.25, eval: 0.25, none: 0 }, 1);
    expect(split.calib.length).toBe(25);
    expect(split.eval.length).toBe(25);
    expect(split.none).toEqual([]);
    expect(split.calib.filter((document) => split.eval.includes(document))).toEqual([]);
  });

  test('a zero fraction stays empty when the rest sum to 1', () => {
    const split = splitDocuments(documents.slice(0, 7), { a: 0.5, none: 0, b: 0.5 }, 2);
    expect(split.none).toEqual([]);
    expect(split.a.length + split.b.length).toBe(7);
  });

  test('invalid fractions raise INVALID_CONFIG', () => {
    expect(catchError(() => splitDocuments(documents, { a: 0.7, b: 0.4 }, 0)).code).toBe('INVALID_CONFIG');
    expect(catchError(() => splitDocuments(documents, { a: -0.1 }, 0)).code).toBe('INVALID_CONFIG');
    expect(catchError(() => splitDocuments(documents, { a: Number.NaN }, 0)).code).toBe('INVALID_CONFIG');
    expect(catchError(() => splitDocuments(documents, {}, 0)).code).toBe('INVALID_CONFIG');
  });
});
