/**
 * Weight data for generated models, one tensor at a time, and a lazy tensor map that
 * `writeOnnxModel` reads from so that no more than one tensor exists in memory at once.
 */
import { GpruneError } from '../errors';
import { DataType } from '../onnx/dtype';
import type { WeightSpec } from './graphBuilder';
import { fillUniform, tensorSeed } from './random';

/**
 * Generates the bytes of one weight; the same seed and name give the same bytes. The bytes
 * are typed-array memory, in the platform's byte order, which is little-endian (as ONNX
 * raw data is) on every platform Node and the browsers run on here.
 */
export function generateWeightBytes(spec: WeightSpec, seed: number): Uint8Array {
  const count = spec.dims.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count);
  if (spec.init.kind === 'ones') values.fill(1);
  else fillUniform(values, tensorSeed(seed, spec.name), spec.init.std);
  if (spec.dataType === DataType.FLOAT) return new Uint8Array(values.buffer);
  if (spec.dataType === DataType.FLOAT16) return new Uint8Array(float32ToHalfBits(values).buffer);
  throw new GpruneError('UNSUPPORTED_DTYPE', `generateWeightBytes: ${spec.name} has element type ${spec.dataType}; the generator writes float32 and float16.`);
}

/**
 * Converts float32 values to IEEE 754 half-precision bits, rounding to nearest even, as
 * dtype.ts floatToHalf does. Working on typed arrays makes it faster than float32ToBytes,
 * which calls floatToHalf per element through a DataView (2.2–2.5× in one measurement).
 */
export function float32ToHalfBits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i];
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    let mantissa = x & 0x7fffff;
    const e = exponent - 112; // rebias from 127 to 15
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0); // infinity, or a quiet NaN
    } else if (e >= 0x1f) {
      out[i] = sign | 0x7c00; // overflow to infinity
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign; // underflow to zero
        continue;
      }
      // Subnormal half: shift the mantissa with its implicit 1 into place, then round.
      mantissa |= 0x800000;
      const shift = 14 - e;
      let half = mantissa >> shift;
      const rest = mantissa & ((1 << shift) - 1);
      const halfway = 1 << (shift - 1);
      if (rest > halfway || (rest === halfway && half & 1)) half++;
      out[i] = sign | half;
    } else {
      let half = (e << 10) | (mantissa >> 13);
      const rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // a carry into the exponent is correct rounding
      out[i] = sign | half;
    }
  }
  return out;
}

/**
 * A read-only map from initializer name to bytes that generates each tensor when it is
 * read. Nothing is cached, so every `get` generates the tensor again and the caller decides
 * how long the bytes live.
 */
export class GeneratedTensors implements ReadonlyMap<string, Uint8Array> {
  private readonly specs: Map<string, WeightSpec>;

  constructor(
    specs: readonly WeightSpec[],
    private readonly seed: number,
  ) {
    this.specs = new Map(specs.map((s) => [s.name, s]));
  }

  get size(): number {
    return this.specs.size;
  }

  get(name: string): Uint8Array | undefined {
    const spec = this.specs.get(name);
    return spec && generateWeightBytes(spec, this.seed);
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  forEach(callback: (value: Uint8Array, key: string, map: ReadonlyMap<string, Uint8Array>) => void): void {
    for (const [name, bytes] of this.entries()) callback(bytes, name, this);
  }

  *entries(): MapIterator<[string, Uint8Array]> {
    for (const name of this.specs.keys()) yield [name, this.get(name)!];
  }

  keys(): MapIterator<string> {
    return this.specs.keys();
  }

  *values(): MapIterator<Uint8Array> {
    for (const [, bytes] of this.entries()) yield bytes;
  }

  [Symbol.iterator](): MapIterator<[string, Uint8Array]> {
    return this.entries();
  }
}
