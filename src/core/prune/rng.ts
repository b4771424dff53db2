/**
 * Seeded pseudo-random numbers for the `random` metric, k-means++ and the sparsity
 * search, so the same seed always gives the same masks in Node, workers and browsers.
 */

import { mulberry32 } from '../random';

/** Draws uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * Creates a generator (mulberry32) from a seed and optional stream ids such as a layer
 * index, so each layer gets its own independent sequence from one user-facing seed.
 */
export function createRng(seed: number, ...streams: number[]): Rng {
  return mulberry32(mixSeed(seed, ...streams));
}

/** Hashes a seed and stream ids into one 32-bit state with murmur3's finalizer. */
function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold both 32-bit halves so seeds above 2³² still change the state.
    const low = part >>> 0;
    const high = Math.floor(part / 4294967296) >>> 0;
    h = fmix32(h ^ low);
    h = fmix32(h ^ high);
  }
  return h;
}

function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
