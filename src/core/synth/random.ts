/**
 * Seeded random weights, fast enough for billions of values: a xorshift32 stream per tensor,
 * seeded from the model seed and the tensor name, so a tensor's values do not depend on
 * which other tensors were generated before it.
 */

/** FNV-1a hash of `text` mixed with `seed`; never 0, because xorshift32 needs a nonzero state. */
export function tensorSeed(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h || 0x6d2b79f5;
}

/**
 * Fills `out` with values drawn uniformly from [−a, a) where a = std·√3, so their standard
 * deviation is `std`. Uniform rather than normal keeps the loop to a few integer operations.
 */
export function fillUniform(out: Float32Array, seed: number, std: number): Float32Array {
  const scale = (std * Math.sqrt(3)) / 2 ** 31;
  let x = seed | 0 || 0x6d2b79f5;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x * scale; // x is a signed 32-bit integer, so x / 2^31 lies in [−1, 1)
  }
  return out;
}
