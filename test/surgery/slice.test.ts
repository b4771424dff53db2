import { describe, expect, test } from 'vitest';
import { keepAlongAxis, keepEntries } from '../../src/core/surgery/slice';

/** Element (r, c) of a [rows, cols] matrix as `size` bytes, each byte distinct per element. */
function matrix(rows: number, cols: number, size: number): Uint8Array {
  const out = new Uint8Array(rows * cols * size);
  for (let i = 0; i < rows * cols; i++) for (let b = 0; b < size; b++) out[i * size + b] = (i * 7 + b * 31) & 0xff;
  return out;
}

function element(bytes: Uint8Array, index: number, size: number): number[] {
  return Array.from(bytes.subarray(index * size, (index + 1) * size));
}

describe('keepAlongAxis', () => {
  const rows = 5;
  const cols = 7;
  const keep = [1, 0, 1, 1, 0, 0, 1];

  test.each([1, 2, 4, 8])('keeps columns of %i-byte elements', (size) => {
    const input = matrix(rows, cols, size);
    const kept = keep.flatMap((k, c) => (k ? [c] : []));
    const out = keepAlongAxis(input, [rows, cols], 1, keep, size);
    expect(out.byteLength).toBe(rows * kept.length * size);
    for (let r = 0; r < rows; r++) kept.forEach((c, i) => expect(element(out, r * kept.length + i, size)).toEqual(element(input, r * cols + c, size)));
  });

  test.each([1, 2, 4, 8])('keeps rows of %i-byte elements', (size) => {
    const input = matrix(cols, rows, size);
    const kept = keep.flatMap((k, r) => (k ? [r] : []));
    const out = keepAlongAxis(input, [cols, rows], 0, keep, size);
    expect(out.byteLength).toBe(kept.length * rows * size);
    kept.forEach((r, i) => expect(Array.from(out.subarray(i * rows * size, (i + 1) * rows * size))).toEqual(Array.from(input.subarray(r * rows * size, (r + 1) * rows * size))));
  });

  test('handles an unaligned input view', () => {
    const backing = new Uint8Array(1 + rows * cols * 4);
    backing.set(matrix(rows, cols, 4), 1);
    const unaligned = backing.subarray(1);
    expect(keepAlongAxis(unaligned, [rows, cols], 1, keep, 4)).toEqual(keepAlongAxis(unaligned.slice(), [rows, cols], 1, keep, 4));
  });
});

test('keepEntries keeps the selected entries', () => {
  const input = Uint8Array.from([10, 11, 20, 21, 30, 31]);
  expect(Array.from(keepEntries(input, [1, 0, 1], 2))).toEqual([10, 11, 30, 31]);
});
