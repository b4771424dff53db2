import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS_DIR, type ManifestEntry, loadConfig, loadTokenizer, readJson } from './demoAssets';

// Token ids produced by the training-side Python encoder (tools/demo/bpe.py, Encoder.encode),
// which shares no code with @huggingface/tokenizers.
const PYTHON_ENCODINGS: [string, number[]][] = [
  ['In the beginning God created the heaven and the earth.', [1034, 264, 4090, 657, 2085, 264, 2076, 293, 264, 1250, 47]],
  [
    '   .. versionadded:: 3.8\n\n   Return a :class:`Path` object.',
    [257, 553, 1725, 444, 697, 47, 57, 441, 1028, 260, 392, 544, 384, 1915, 97, 599, 47],
  ],
  [
    'def f(x):\n\tif x  >= 10:\n        return x ** 2  # square\n',
    [782, 280, 41, 121, 300, 11, 10, 334, 1176, 33, 2372, 1696, 59, 321, 425, 1176, 1993, 755, 33, 438, 3566, 677, 11],
  ],
  [
    'river, stream (noun): a natural flow of water that can carry significant cargo',
    [400, 343, 45, 2155, 299, 331, 300, 260, 3457, 1203, 286, 1343, 349, 590, 4006, 1261, 1314, 482, 275, 519, 112],
  ],
  [
    "Café naïve — 世界 🙂 don't I'll we've 12345 3.14159",
    [
      68, 1920, 196, 170, 306, 98, 196, 176, 356, 33, 227, 129, 149, 33, 229, 185, 151, 232, 150, 141, 33, 241, 160, 154,
      131, 3060, 1093, 351, 40, 1054, 643, 40, 356, 506, 1497, 3570, 697, 47, 1179, 1192, 58,
    ],
  ],
  ['first<|endoftext|>second\n\n\n', [3466, 0, 1962, 603, 11]],
];

describe('demo tokenizer', () => {
  const tokenizer = loadTokenizer();

  it.each(PYTHON_ENCODINGS)('encode(%j) matches the Python encoder', (text, ids) => {
    expect(tokenizer.encode(text, { add_special_tokens: false }).ids).toEqual(ids);
  });

  it.each(PYTHON_ENCODINGS)('decode round-trips %j exactly', (text, ids) => {
    expect(tokenizer.decode(ids, { skip_special_tokens: false })).toBe(text);
  });

  it('decode round-trips every dataset file exactly', () => {
    const manifest = readJson<ManifestEntry[]>(path.join(DATASETS_DIR, 'manifest.json'));
    for (const entry of manifest) {
      const text = fs.readFileSync(path.join(DATASETS_DIR, entry.file), 'utf8');
      const ids = tokenizer.encode(text, { add_special_tokens: false }).ids;
      expect(tokenizer.decode(ids, { skip_special_tokens: false }) === text, entry.id).toBe(true);
    }
  });

  it('vocabulary size and special ids agree with config.json', () => {
    const config = loadConfig();
    expect(tokenizer.get_vocab(true).size).toBe(config.vocab_size);
    expect(tokenizer.token_to_id('<|endoftext|>')).toBe(config.bos_token_id);
    expect(tokenizer.token_to_id('<|endoftext|>')).toBe(config.eos_token_id);
  });
});
