/**
 * Seeded randomness for calibration data: a PRNG, shuffling, random-offset windows and
 * disjoint document splits. The same seed gives the same result on every platform.
 */

import { GpruneError } from '../errors';
import { mulberry32 } from '../random';

/**
 * Creates a mulberry32 generator (a PRNG with 32 bits of state) returning numbers in [0, 1).
 * Integer seeds only. The state has 32 bits, so a larger seed is folded by mixing its
 * high word into the low word, and two different large seeds can give the same sequence.
 */
export function createRng(seed: number): () => number {
  if (!Number.isSafeInteger(seed)) {
    throw new GpruneError('INVALID_CONFIG', `Seed ${seed} is invalid: use an integer such as 0 or 1234.`, { details: { seed } });
  }
  return mulberry32(((seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32), 0x9e3779b9)) >>> 0);
}

/** Returns a shuffled copy of `items` (Fisher–Yates); `items` is left unchanged. */
export function shuffleWithSeed<T>(items: readonly T[], seed: number): T[] {
  const random = createRng(seed);
  const shuffled = items.slice();
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled;
}

/**
 * Draws `count` windows at uniformly random offsets of a token stream, as GPTQ's
 * datautils.py (reused by Wanda and FLAP) samples the joined wikitext-2 text. Each window
 * is BOS + seqlen - 1 tokens when `bosId` is set, else seqlen tokens. Offsets are drawn with
 * replacement, so windows may overlap. Raises INVALID_CONFIG when the stream is shorter than
 * one window.
 */
export function sampleWindows(tokens: Int32Array, count: number, seqlen: number, seed: number, bosId: number | null): Int32Array[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new GpruneError('INVALID_CONFIG', `Sample count ${count} is invalid: use a non-negative integer such as 128.`, { details: { count } });
  }
  if (!Number.isInteger(seqlen) || seqlen < 2) {
    throw new GpruneError('INVALID_CONFIG', `Sample seqlen ${seqlen} is invalid: use an integer of at least 2, such as 128.`, { details: { seqlen } });
  }
  if (bosId !== null && (!Number.isInteger(bosId) || bosId < 0)) {
    throw new GpruneError('INVALID_CONFIG', `BOS id ${bosId} is invalid: use the tokenizer's bosId or null.`, { details: { bosId } });
  }

  const textLength = bosId === null ? seqlen : seqlen - 1;
  if (tokens.length < textLength) {
    throw new GpruneError(
      'INVALID_CONFIG',
      `Sampling windows of ${seqlen} tokens needs at least ${textLength} text tokens, but the stream has ${tokens.length}. ` +
        'Use a smaller seqlen or a longer dataset.',
      { details: { seqlen, tokens: tokens.length } },
    );
  }

  const random = createRng(seed);
  const offsets = tokens.length - textLength + 1;
  const windows: Int32Array[] = [];
  for (let w = 0; w < count; w++) {
    const offset = Math.floor(random() * offsets);
    const window = new Int32Array(seqlen);
    let position = 0;
    if (bosId !== null) window[position++] = bosId;
    window.set(tokens.subarray(offset, offset + textLength), position);
    windows.push(window);
  }
  return windows;
}

/**
 * Splits items into disjoint random subsets with the given fractions of the total, e.g.
 * `{ train: 0.8, calib: 0.1, eval: 0.1 }`. Each split keeps the input order. When the
 * fractions sum to 1, every item is assigned, and rounding gives the leftover items to the
 * splits with the largest remainders. When they sum to less, sizes round down and the rest
 * is unused.
 */
export function splitDocuments<T, K extends string>(items: readonly T[], fractions: Record<K, number>, seed: number): Record<K, T[]> {
  const names = Object.keys(fractions) as K[];
  if (names.length === 0) {
    throw new GpruneError('INVALID_CONFIG', 'Split fractions are empty: give at least one split, e.g. { calib: 0.5, eval: 0.5 }.');
  }
  let total = 0;
  for (const name of names) {
    const fraction = fractions[name];
    if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0) {
      throw new GpruneError('INVALID_CONFIG', `Split fraction ${name}=${fraction} is invalid: use a number from 0 to 1.`, {
        details: { [name]: fraction },
      });
    }
    total += fraction;
  }
  const tolerance = 1e-9;
  if (total > 1 + tolerance) {
    throw new GpruneError('INVALID_CONFIG', `Split fractions sum to ${total}, more than 1. Reduce them so that they sum to at most 1.`, {
      details: { total },
    });
  }

  const sizes = splitSizes(items.length, names.map((name) => fractions[name]), total >= 1 - tolerance);
  const order = shuffleWithSeed(
    items.map((_, index) => index),
    seed,
  );

  const result = {} as Record<K, T[]>;
  let next = 0;
  names.forEach((name, k) => {
    const indices = order.slice(next, next + sizes[k]).sort((a, b) => a - b);
    result[name] = indices.map((index) => items[index]);
    next += sizes[k];
  });
  return result;
}

/** Rounds each fraction of `total` down, then optionally hands out what is left by largest remainder. */
function splitSizes(total: number, fractions: number[], assignAll: boolean): number[] {
  const exact = fractions.map((fraction) => fraction * total);
  const sizes = exact.map((value) => Math.floor(value + 1e-9));
  if (!assignAll) return sizes;

  let left = total - sizes.reduce((sum, size) => sum + size, 0);
  const byRemainder = exact
    .map((value, k) => ({ k, remainder: value - sizes[k] }))
    .filter(({ k }) => fractions[k] > 0)
    .sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (let i = 0; left > 0 && byRemainder.length > 0; i = (i + 1) % byRemainder.length) {
    sizes[byRemainder[i].k] += 1;
    left -= 1;
  }
  return sizes;
}
