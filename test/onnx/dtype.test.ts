import { describe, expect, test } from 'vitest';
import {
  DataType,
  bfloat16ToFloat,
  bytesToFloat32,
  float32ToBytes,
  floatToBfloat16,
  floatToHalf,
  halfToFloat,
} from '../../src/core/onnx/dtype';
import { keepAlongAxis, keepEntries } from '../../src/core/surgery/slice';
import { seededRandom } from '../helpers/onnxGraph';

/** Computes the value of a half bit pattern by exact arithmetic, independently of halfToFloat. */
function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** Every finite non-negative half value in increasing order (index = bit pattern). */
const POSITIVE_HALVES = Array.from({ length: 0x7c00 }, (_, bits) => halfValue(bits));

/**
 * Nearest half to `value` by search over all half values, ties to the even bit pattern,
 * and overflow to infinity from 65520 (the midpoint between 65504 and 2^16) up.
 */
function nearestHalf(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return sign | 0x7c00;
  let lo = 0;
  let hi = POSITIVE_HALVES.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (POSITIVE_HALVES[mid] <= magnitude) lo = mid;
    else hi = mid;
  }
  const below = magnitude - POSITIVE_HALVES[lo];
  const above = POSITIVE_HALVES[hi] - magnitude;
  if (below < above) return sign | lo;
  if (above < below) return sign | hi;
  return sign | (lo % 2 === 0 ? lo : hi);
}

const hex = (bits: number) => `0x${bits.toString(16).padStart(4, '0')}`;

describe('halfToFloat', () => {
  test.each([
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x8001, -(2 ** -24)],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('halfToFloat(%s) decodes to %s', (bits, value) => {
    expect(halfToFloat(bits)).toBe(value);
  });

  test('halfToFloat(0x8000) is negative zero', () => {
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
  });

  test('halfToFloat of NaN patterns is NaN', () => {
    for (const bits of [0x7e00, 0x7c01, 0xfe00, 0x7fff]) expect(halfToFloat(bits), hex(bits)).toBeNaN();
  });

  test('halfToFloat agrees with exact arithmetic on all 65536 patterns', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const expected = halfValue(bits);
      const actual = halfToFloat(bits);
      if (Number.isNaN(expected)) expect(actual, hex(bits)).toBeNaN();
      else if (actual !== expected) expect(actual, hex(bits)).toBe(expected);
    }
  });
});

describe('floatToHalf', () => {
  test('floatToHalf(halfToFloat(h)) returns h for every non-NaN pattern', () => {
    const mismatches: string[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if (Number.isNaN(halfValue(bits))) continue;
      const back = floatToHalf(halfToFloat(bits));
      if (back !== bits) mismatches.push(`${hex(bits)} → ${hex(back)}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('floatToHalf keeps NaN a NaN and infinities infinite', () => {
    const nan = floatToHalf(NaN);
    expect(nan & 0x7c00, hex(nan)).toBe(0x7c00);
    expect(nan & 0x3ff, hex(nan)).not.toBe(0);
    expect(floatToHalf(Infinity)).toBe(0x7c00);
    expect(floatToHalf(-Infinity)).toBe(0xfc00);
  });

  test.each([
    ['1 + 2^-11, tie between 1 and its successor', 1 + 2 ** -11, 0x3c00],
    ['1 + 3·2^-11, tie rounds up to the even pattern', 1 + 3 * 2 ** -11, 0x3c02],
    ['just above the 1 + 2^-11 tie', 1 + 2 ** -11 + 2 ** -20, 0x3c01],
    ['2^-25, tie between 0 and the smallest subnormal', 2 ** -25, 0x0000],
    ['3·2^-25, tie between subnormals 1 and 2', 3 * 2 ** -25, 0x0002],
    ['just above 2^-25', 2 ** -25 * (1 + 2 ** -20), 0x0001],
    ['1.5·2^-26, below half the smallest subnormal', 1.5 * 2 ** -26, 0x0000],
    ['2^-14 − 2^-25, tie between the largest subnormal and the smallest normal', 2 ** -14 - 2 ** -25, 0x0400],
    ['65504, the largest half', 65504, 0x7bff],
    ['65519, still below the overflow tie', 65519, 0x7bff],
    ['65520, tie between 65504 and 2^16', 65520, 0x7c00],
    ['1e6, overflow', 1e6, 0x7c00],
    ['−1e-10, underflow to negative zero', -1e-10, 0x8000],
    ['−0', -0, 0x8000],
  ])('floatToHalf of %s', (_label, value, bits) => {
    expect(hex(floatToHalf(value))).toBe(hex(bits));
  });

  test('floatToHalf matches a nearest-value search on random floats of every scale', () => {
    const next = seededRandom(7);
    const mismatches: string[] = [];
    for (let i = 0; i < 20000; i++) {
      // Float32 values with exponents from 2^-30 to 2^17, so subnormals and overflow are covered.
      const value = Math.fround((next() < 0.5 ? -1 : 1) * (1 + next()) * 2 ** Math.floor(-30 + next() * 48));
      const expected = nearestHalf(value);
      const actual = floatToHalf(value);
      if (actual !== expected && mismatches.length < 10) mismatches.push(`${value}: ${hex(actual)} instead of ${hex(expected)}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('bfloat16', () => {
  test('bfloat16ToFloat decodes the upper half of a float32', () => {
    expect(bfloat16ToFloat(0x3f80)).toBe(1);
    expect(bfloat16ToFloat(0xc040)).toBe(-3);
    expect(bfloat16ToFloat(0x7f80)).toBe(Infinity);
    expect(bfloat16ToFloat(0x0001)).toBe(2 ** -133);
    expect(bfloat16ToFloat(0x7fc0)).toBeNaN();
  });

  test('floatToBfloat16(bfloat16ToFloat(b)) returns b for every non-NaN pattern', () => {
    const mismatches: string[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = bfloat16ToFloat(bits);
      if (Number.isNaN(value)) continue;
      const back = floatToBfloat16(value);
      if (back !== bits) mismatches.push(`${hex(bits)} → ${hex(back)}`);
    }
    expect(mismatches).toEqual([]);
  });

  test.each([
    ['1 + 2^-8, tie rounds to even', 1 + 2 ** -8, 0x3f80],
    ['1 + 3·2^-8, tie rounds up to even', 1 + 3 * 2 ** -8, 0x3f82],
    ['just above the 1 + 2^-8 tie', 1 + 2 ** -8 + 2 ** -20, 0x3f81],
    ['3.4e38 overflows to infinity', 3.4e38, 0x7f80],
  ])('floatToBfloat16 of %s', (_label, value, bits) => {
    expect(hex(floatToBfloat16(value))).toBe(hex(bits));
  });

  test('floatToBfloat16(NaN) is a NaN pattern', () => {
    expect(bfloat16ToFloat(floatToBfloat16(NaN))).toBeNaN();
  });
});

describe('bytesToFloat32 and float32ToBytes', () => {
  test('float32ToBytes writes float16 little-endian', () => {
    expect(Array.from(float32ToBytes([1, -2], DataType.FLOAT16))).toEqual([0x00, 0x3c, 0x00, 0xc0]);
  });

  test.each([
    ['FLOAT', DataType.FLOAT, 4],
    ['FLOAT16', DataType.FLOAT16, 2],
    ['BFLOAT16', DataType.BFLOAT16, 2],
    ['DOUBLE', DataType.DOUBLE, 8],
  ])('bytesToFloat32 inverts float32ToBytes for %s', (_name, type, size) => {
    const values = [0, 1, -2.5, 0.125, 1024, -0.0078125];
    const bytes = float32ToBytes(values, type);
    expect(bytes.byteLength).toBe(values.length * size);
    expect(Array.from(bytesToFloat32(bytes, type))).toEqual(values);
  });

  test('bytesToFloat32 reads float16 at an odd byte offset', () => {
    const buffer = new Uint8Array(5);
    buffer.set(float32ToBytes([0.5, -4], DataType.FLOAT16), 1);
    expect(Array.from(bytesToFloat32(buffer.subarray(1), DataType.FLOAT16))).toEqual([0.5, -4]);
  });

  test('bytesToFloat32 rejects an integer type', () => {
    expect(() => bytesToFloat32(new Uint8Array(8), DataType.INT64)).toThrow(/INT64 is not a float type/);
  });
});

describe('keepAlongAxis on float16 bytes', () => {
  // A 3×4 matrix with value 10·row + column.
  const matrix = Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
  const bytes = float32ToBytes(matrix, DataType.FLOAT16);

  test('keepAlongAxis(axis 1) keeps the masked columns of every row', () => {
    const out = keepAlongAxis(bytes, [3, 4], 1, [1, 0, 1, 1], 2);
    expect(Array.from(bytesToFloat32(out, DataType.FLOAT16))).toEqual([0, 2, 3, 10, 12, 13, 20, 22, 23]);
  });

  test('keepAlongAxis(axis 0) keeps the masked rows', () => {
    const out = keepAlongAxis(bytes, [3, 4], 0, [0, 1, 1], 2);
    expect(Array.from(bytesToFloat32(out, DataType.FLOAT16))).toEqual([10, 11, 12, 13, 20, 21, 22, 23]);
  });

  test('keepEntries keeps the masked entries of a vector', () => {
    const vector = float32ToBytes([1.5, 2.5, 3.5, 4.5], DataType.FLOAT16);
    expect(Array.from(bytesToFloat32(keepEntries(vector, [0, 1, 0, 1], 2), DataType.FLOAT16))).toEqual([2.5, 4.5]);
  });
});
