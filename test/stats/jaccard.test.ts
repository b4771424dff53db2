import { describe, expect, it } from 'vitest';
import { jaccard } from '../../src/core/stats';

describe('jaccard', () => {
  it('jaccard(a, b) divides the intersection by the union', () => {
    // A = {0, 1, 2}, B = {1, 2, 3}: |A ∩ B| = 2, |A ∪ B| = 4.
    expect(jaccard(Uint8Array.of(1, 1, 1, 0), Uint8Array.of(0, 1, 1, 1))).toBe(0.5);
  });

  it('jaccard(layersA, layersB) pools every layer into one set', () => {
    const a = [Uint8Array.of(1, 0), Uint8Array.of(1, 1, 0)];
    const b = [Uint8Array.of(1, 1), Uint8Array.of(0, 1, 0)];
    // Intersection {l0:0, l1:1} = 2, union {l0:0, l0:1, l1:0, l1:1} = 4.
    expect(jaccard(a, b)).toBe(0.5);
  });

  it('jaccard(empty, empty) is 1', () => {
    expect(jaccard(new Uint8Array(3), new Uint8Array(3))).toBe(1);
  });

  it('jaccard(a, b) rejects masks of different width', () => {
    expect(() => jaccard(new Uint8Array(2), new Uint8Array(3))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
