import { describe, expect, test } from 'vitest';
import { createRng, DOCUMENT_JOINER, parseDataset, tokenizeLongText, type TextTokenizer } from '../../src/core/data';
import { GpruneError } from '../../src/core/errors';
import { loadStoriesTokenizer, readSharedBytes, readSharedText, TINYSTORIES_PATH, WIKITEXT_TEST_PATH } from './fixtures';

/**
 * A character tokenizer with one merge ("\n\n" is id 0) and a normalizer that strips leading
 * spaces of the input. A naive seam between two line breaks or before an indented line
 * changes its ids.
 */
const mergingTokenizer: TextTokenizer = {
  encode(text) {
    const normalized = text.replace(/^ +/, '');
    const ids: number[] = [];
    for (let i = 0; i < normalized.length; i++) {
      if (normalized[i] === '\n' && normalized[i + 1] === '\n') {
        ids.push(0);
        i += 1;
      } else {
        ids.push(normalized.charCodeAt(i));
      }
    }
    return ids;
  },
  decode: (ids) => Array.from(ids, (id) => (id === 0 ? '\n\n' : String.fromCharCode(id))).join(''),
  vocabSize: 65536,
  bosId: null,
  eosId: null,
  padId: null,
};

/** Lines of random words, a third of them blank and some indented. */
function syntheticText(seed: number, lines: number): string {
  const random = createRng(seed);
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    const kind = random();
    if (kind < 0.33) {
      out.push('');
      continue;
    }
    const words = Array.from({ length: 3 + Math.floor(random() * 40) }, () => 'w'.repeat(1 + Math.floor(random() * 8)));
    out.push((kind < 0.5 ? ' ' : '') + words.join(' '));
  }
  return out.join('\n');
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}

describe('tokenizeLongText', () => {
  const tokenizer = loadStoriesTokenizer();

  test('matches one encode call on wikitext', () => {
    const full = readSharedText(WIKITEXT_TEST_PATH);
    const text = full.slice(0, full.indexOf('\n', 150_000) + 1);
    const chunked = tokenizeLongText(text, tokenizer);
    expect(chunked.truncated).toBe(false);
    expect(firstDifference(chunked.ids, tokenizer.encode(text))).toBe(-1);
  });

  test('matches one encode call on joined TinyStories', () => {
    const dataset = parseDataset({ name: 'validation_100.txt', bytes: readSharedBytes(TINYSTORIES_PATH) });
    const text = dataset.documents.join(DOCUMENT_JOINER);
    expect(firstDifference(tokenizeLongText(text, tokenizer).ids, tokenizer.encode(text))).toBe(-1);
  });

  test('moves seams where a token crosses a line break', () => {
    for (const seed of [1, 2, 3]) {
      const text = syntheticText(seed, 3000);
      const chunked = tokenizeLongText(text, mergingTokenizer).ids;
      expect(firstDifference(chunked, mergingTokenizer.encode(text)), `seed ${seed}`).toBe(-1);
    }
  });

  test('maxTokens returns a prefix and marks truncation', () => {
    const text = syntheticText(4, 2000);
    const whole = mergingTokenizer.encode(text);

    const cut = tokenizeLongText(text, mergingTokenizer, { maxTokens: 5000 });
    expect(cut.ids.length).toBe(5000);
    expect(Array.from(cut.ids)).toEqual(whole.slice(0, 5000));
    expect(cut.truncated).toBe(true);

    const exact = tokenizeLongText(text, mergingTokenizer, { maxTokens: whole.length });
    expect(exact.ids.length).toBe(whole.length);
    expect(exact.truncated).toBe(false);

    const more = tokenizeLongText(text, mergingTokenizer, { maxTokens: whole.length + 10 });
    expect(more.truncated).toBe(false);
  });

  test('onProgress reaches the text length', () => {
    const text = syntheticText(5, 2000);
    const seen: number[] = [];
    tokenizeLongText(text, mergingTokenizer, { onProgress: (done, total) => seen.push(done / total) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((value, i) => i === 0 || value > seen[i - 1])).toBe(true);
    expect(seen[seen.length - 1]).toBe(1);
  });

  test('an aborted signal raises CANCELLED', () => {
    const controller = new AbortController();
    controller.abort();
    const run = () => tokenizeLongText(syntheticText(6, 100), mergingTokenizer, { signal: controller.signal });
    expect(run).toThrow(GpruneError);
    expect(run).toThrow(/cancelled/);
  });

  test('empty text gives no ids', () => {
    expect(tokenizeLongText('', tokenizer).ids.length).toBe(0);
  });

  test('invalid maxTokens raises INVALID_ARGUMENT', () => {
    expect(() => tokenizeLongText('abc', tokenizer, { maxTokens: -1 })).toThrow(/maxTokens/);
    expect(() => tokenizeLongText('abc', tokenizer, { maxTokens: 1.5 })).toThrow(/maxTokens/);
  });
});
