/**
 * Keeps selected rows or columns of a 2-D tensor given as raw bytes, for any element size,
 * so float16/bfloat16 weights are sliced without a round trip through float32.
 */
export function keepAlongAxis(bytes: Uint8Array, dims: [number, number], axis: 0 | 1, keep: ArrayLike<number>, elementBytes: number): Uint8Array {
  const [rows, cols] = dims;
  const kept: number[] = [];
  for (let j = 0; j < keep.length; j++) if (keep[j]) kept.push(j);
  if (axis === 0) {
    const rowBytes = cols * elementBytes;
    const out = new Uint8Array(kept.length * rowBytes);
    kept.forEach((r, i) => out.set(bytes.subarray(r * rowBytes, (r + 1) * rowBytes), i * rowBytes));
    return out;
  }
  const out = new Uint8Array(rows * kept.length * elementBytes);
  // Fast path: whole elements through typed views when the input is aligned (fresh copies are).
  if ((elementBytes === 4 || elementBytes === 2) && bytes.byteOffset % elementBytes === 0) {
    const View = elementBytes === 4 ? Uint32Array : Uint16Array;
    const src = new View(bytes.buffer as ArrayBuffer, bytes.byteOffset, rows * cols);
    const dst = new View(out.buffer);
    const index = Int32Array.from(kept);
    for (let r = 0, o = 0; r < rows; r++) {
      const base = r * cols;
      for (let i = 0; i < index.length; i++) dst[o++] = src[base + index[i]];
    }
    return out;
  }
  for (let r = 0; r < rows; r++) {
    const src = r * cols * elementBytes;
    const dst = r * kept.length * elementBytes;
    for (let i = 0; i < kept.length; i++) {
      const from = src + kept[i] * elementBytes;
      out.set(bytes.subarray(from, from + elementBytes), dst + i * elementBytes);
    }
  }
  return out;
}

/** Keeps selected entries of a 1-D tensor. */
export function keepEntries(bytes: Uint8Array, keep: ArrayLike<number>, elementBytes: number): Uint8Array {
  return keepAlongAxis(bytes, [keep.length, 1], 0, keep, elementBytes);
}
