import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadTokenizer } from '../../src/core/data';
import { GpruneError } from '../../src/core/errors';
import { loadStoriesTokenizer, readSharedText, STORIES_MODEL_DIR, TINYSTORIES_PATH } from './fixtures';

const tokenizerJsonText = readSharedText(path.join(STORIES_MODEL_DIR, 'tokenizer.json'));
const tokenizerConfigText = readSharedText(path.join(STORIES_MODEL_DIR, 'tokenizer_config.json'));
const reference = JSON.parse(readSharedText(path.join(STORIES_MODEL_DIR, 'reference.json'))) as {
  prompt: string;
  prompt_ids_with_bos: number[];
};
const tokenizerJson = JSON.parse(tokenizerJsonText) as {
  added_tokens: { id: number; content: string }[];
  model: { vocab: Record<string, number> };
};

function addedTokenId(content: string): number {
  const token = tokenizerJson.added_tokens.find((entry) => entry.content === content);
  if (token === undefined) throw new Error(`fixture has no added token ${content}`);
  return token.id;
}

function catchError(run: () => unknown): GpruneError {
  try {
    run();
  } catch (error) {
    if (error instanceof GpruneError) return error;
    throw error;
  }
  throw new Error('expected a GpruneError');
}

describe('loadTokenizer', () => {
  const tokenizer = loadStoriesTokenizer();

  test('encode with BOS prepended matches the reference ids', () => {
    expect(tokenizer.bosId).not.toBeNull();
    const ids = [tokenizer.bosId as number, ...tokenizer.encode(reference.prompt)];
    expect(ids).toEqual(reference.prompt_ids_with_bos);
  });

  test('encode adds no special tokens by default', () => {
    const ids = tokenizer.encode(reference.prompt);
    expect(ids).toEqual(reference.prompt_ids_with_bos.slice(1));
    expect(ids).not.toContain(tokenizer.bosId);
  });

  test('encode with addSpecialTokens applies the template', () => {
    const ids = tokenizer.encode(reference.prompt, { addSpecialTokens: true });
    expect(ids).toEqual(reference.prompt_ids_with_bos);
  });

  test('special ids come from tokenizer_config.json', () => {
    expect(tokenizer.bosId).toBe(addedTokenId('<s>'));
    expect(tokenizer.eosId).toBe(addedTokenId('</s>'));
    expect(tokenizer.padId).toBeNull();
  });

  test('vocabSize is one more than the largest id', () => {
    const maxId = Math.max(...Object.values(tokenizerJson.model.vocab), ...tokenizerJson.added_tokens.map((token) => token.id));
    expect(tokenizer.vocabSize).toBe(maxId + 1);
  });

  test('decode round-trips the prompt', () => {
    expect(tokenizer.decode(tokenizer.encode(reference.prompt))).toBe(reference.prompt);
    expect(tokenizer.decode(Int32Array.from(tokenizer.encode(reference.prompt)))).toBe(reference.prompt);
  });

  test('decode round-trips a story with line breaks and quotes', () => {
    const story = readSharedText(TINYSTORIES_PATH).split('\n<|endoftext|>\n')[1];
    expect(story).toContain('\n');
    expect(tokenizer.decode(tokenizer.encode(story))).toBe(story);
  });

  test('decode keeps or skips special tokens', () => {
    const withBos = reference.prompt_ids_with_bos;
    expect(tokenizer.decode(withBos)).toContain('<s>');
    expect(tokenizer.decode(withBos, { skipSpecialTokens: true })).toBe(reference.prompt);
  });

  test('accepts parsed objects like JSON text', () => {
    const fromObjects = loadTokenizer({ tokenizerJson: JSON.parse(tokenizerJsonText), tokenizerConfig: JSON.parse(tokenizerConfigText) });
    expect(fromObjects.encode(reference.prompt)).toEqual(tokenizer.encode(reference.prompt));
    expect(fromObjects.bosId).toBe(tokenizer.bosId);
  });

  test('reads special tokens given as {content} objects', () => {
    const config = { ...JSON.parse(tokenizerConfigText), bos_token: { content: '<s>', special: true }, pad_token: { content: '<unk>' } };
    const loaded = loadTokenizer({ tokenizerJson: tokenizerJsonText, tokenizerConfig: config });
    expect(loaded.bosId).toBe(addedTokenId('<s>'));
    expect(loaded.padId).toBe(addedTokenId('<unk>'));
  });

  test('without tokenizer_config.json has no special ids', () => {
    const loaded = loadTokenizer({ tokenizerJson: tokenizerJsonText });
    expect(loaded.bosId).toBeNull();
    expect(loaded.eosId).toBeNull();
    expect(loaded.encode(reference.prompt)).toEqual(tokenizer.encode(reference.prompt));
  });

  test('invalid JSON raises TOKENIZER_INVALID naming the source', () => {
    const error = catchError(() => loadTokenizer({ tokenizerJson: '{"model": ', source: 'models/broken' }));
    expect(error.code).toBe('TOKENIZER_INVALID');
    expect(error.message).toMatch(/models\/broken/);
    expect(error.message).toMatch(/not valid JSON/);
  });

  test('a tokenizer the library rejects raises TOKENIZER_INVALID', () => {
    const error = catchError(() => loadTokenizer({ tokenizerJson: { version: '1.0' }, source: 'models/empty' }));
    expect(error.code).toBe('TOKENIZER_INVALID');
    expect(error.message).toMatch(/models\/empty/);
  });

  test('a JSON array raises TOKENIZER_INVALID', () => {
    const error = catchError(() => loadTokenizer({ tokenizerJson: '[1, 2]', source: 'models/array' }));
    expect(error.code).toBe('TOKENIZER_INVALID');
  });

  test('a bos_token missing from the vocabulary raises TOKENIZER_INVALID', () => {
    const config = { ...JSON.parse(tokenizerConfigText), bos_token: '<|begin_of_text|>' };
    const error = catchError(() => loadTokenizer({ tokenizerJson: tokenizerJsonText, tokenizerConfig: config, source: 'models/mixed' }));
    expect(error.code).toBe('TOKENIZER_INVALID');
    expect(error.message).toMatch(/<\|begin_of_text\|>/);
    expect(error.message).toMatch(/models\/mixed/);
  });
});
