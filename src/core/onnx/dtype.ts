/**
 * ONNX tensor element types: sizes, names, and conversion of float16/bfloat16 to float32.
 */
import { TensorProto_DataType as DataType } from 'onnx-buf';

export { DataType };

const SIZES: Partial<Record<DataType, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.UINT16]: 2,
  [DataType.INT16]: 2,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
  [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4,
  [DataType.UINT64]: 8,
  [DataType.BFLOAT16]: 2,
  [DataType.FLOAT8E4M3FN]: 1,
  [DataType.FLOAT8E4M3FNUZ]: 1,
  [DataType.FLOAT8E5M2]: 1,
  [DataType.FLOAT8E5M2FNUZ]: 1,
};

/** Bytes per element, or undefined for sub-byte, string and complex types. */
export function elementSize(type: DataType): number | undefined {
  return SIZES[type];
}

export function dataTypeName(type: DataType): string {
  return DataType[type] ?? `type ${type}`;
}

/** Float types whose weights the pruner can score and slice. */
export function isFloatType(type: DataType): boolean {
  return type === DataType.FLOAT || type === DataType.FLOAT16 || type === DataType.BFLOAT16 || type === DataType.DOUBLE;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half → float. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** float → IEEE 754 half, rounding to nearest even. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function bfloat16ToFloat(b: number): number {
  u32[0] = b << 16;
  return f32[0];
}

export function floatToBfloat16(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Decodes little-endian bytes of a float tensor into float32 values. */
export function bytesToFloat32(bytes: Uint8Array, type: DataType): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case DataType.FLOAT: {
      const out = new Float32Array(bytes.byteLength / 4);
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    case DataType.FLOAT16: {
      const out = new Float32Array(bytes.byteLength / 2);
      for (let i = 0; i < out.length; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    }
    case DataType.BFLOAT16: {
      const out = new Float32Array(bytes.byteLength / 2);
      for (let i = 0; i < out.length; i++) out[i] = bfloat16ToFloat(view.getUint16(i * 2, true));
      return out;
    }
    case DataType.DOUBLE: {
      const out = new Float32Array(bytes.byteLength / 8);
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    }
    default:
      throw new TypeError(`bytesToFloat32: ${dataTypeName(type)} is not a float type`);
  }
}

/** Encodes float values as little-endian bytes of `type`. */
export function float32ToBytes(values: ArrayLike<number>, type: DataType): Uint8Array {
  const size = elementSize(type);
  if (!size || !isFloatType(type)) throw new TypeError(`float32ToBytes: ${dataTypeName(type)} is not a float type`);
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (type === DataType.FLOAT) view.setFloat32(i * 4, v, true);
    else if (type === DataType.FLOAT16) view.setUint16(i * 2, floatToHalf(v), true);
    else if (type === DataType.BFLOAT16) view.setUint16(i * 2, floatToBfloat16(v), true);
    else view.setFloat64(i * 8, v, true);
  }
  return out;
}
