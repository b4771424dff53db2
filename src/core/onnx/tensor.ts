/**
 * Lazy access to initializer data: raw bytes (whatever the storage), float32 values, shapes.
 */
import type { TensorProto } from 'onnx-buf';
import { GpruneError } from '../errors';
import { DataType, bytesToFloat32, dataTypeName, elementSize } from './dtype';
import { type OnnxModel, externalLocation, externalSource, isExternal } from './model';

export function tensorDims(tensor: TensorProto): number[] {
  return tensor.dims.map(Number);
}

export function tensorElements(tensor: TensorProto): number {
  return tensorDims(tensor).reduce((a, b) => a * b, 1);
}

/**
 * Byte length of the tensor's data once stored as raw little-endian bytes. Raises
 * ONNX_PARSE_FAILED for a negative dim or a size past 2^53 bytes, which only a corrupt
 * file declares.
 */
export function tensorByteLength(tensor: TensorProto): number {
  const size = elementSize(tensor.dataType);
  if (size === undefined) throw new GpruneError('UNSUPPORTED_DTYPE', `Initializer ${tensor.name} has element type ${dataTypeName(tensor.dataType)}, which GPrune cannot read.`);
  const bytes = tensorElements(tensor) * size;
  if (tensor.dims.some((d) => d < 0n) || !Number.isSafeInteger(bytes)) {
    throw new GpruneError('ONNX_PARSE_FAILED', `Initializer ${tensor.name} declares the shape [${tensor.dims.join(', ')}], which no tensor can have; the file is corrupt. Download or export the model again.`);
  }
  return bytes;
}

export function findInitializer(model: OnnxModel, name: string): TensorProto {
  const tensor = model.proto.graph!.initializer.find((t) => t.name === name);
  if (!tensor) throw new GpruneError('TENSOR_NOT_FOUND', `${model.path} has no initializer named ${name}.`);
  return tensor;
}

/**
 * Reads the tensor's data as little-endian bytes, from raw_data, the typed fields or an
 * external file. The result is a fresh copy (raw_data may sit at an unaligned offset).
 */
export async function readTensorBytes(model: OnnxModel, tensor: TensorProto): Promise<Uint8Array> {
  const expected = tensorByteLength(tensor);
  if (isExternal(tensor)) {
    const location = externalLocation(model, tensor);
    // Compare before reading, so a corrupt length never sizes an allocation.
    if (location.length !== expected) {
      throw new GpruneError('EXTERNAL_DATA_TRUNCATED', `${location.path}: initializer ${tensor.name} needs ${expected} bytes for shape [${tensorDims(tensor)}], but its external length is ${location.length}. Export the model again.`);
    }
    const bytes = await externalSource(model, location).read(location.offset, location.length);
    if (bytes.byteLength !== expected || location.length !== expected) {
      throw new GpruneError('EXTERNAL_DATA_TRUNCATED', `${location.path}: initializer ${tensor.name} needs ${expected} bytes, got ${bytes.byteLength}. Download the data file again.`);
    }
    // ByteSource.read returns an array the caller owns, so no second copy is needed.
    return bytes;
  }
  if (tensor.rawData.byteLength > 0 || expected === 0) {
    if (tensor.rawData.byteLength !== expected) {
      throw new GpruneError('ONNX_PARSE_FAILED', `${model.path}: initializer ${tensor.name} has ${tensor.rawData.byteLength} bytes of data for shape [${tensorDims(tensor)}] (${expected} expected).`);
    }
    return tensor.rawData.slice();
  }
  return typedFieldBytes(model, tensor, expected);
}

function typedFieldBytes(model: OnnxModel, tensor: TensorProto, expected: number): Uint8Array {
  const n = tensorElements(tensor);
  const mismatch = (have: number) => new GpruneError('ONNX_PARSE_FAILED', `${model.path}: initializer ${tensor.name} contains ${have} values for shape [${tensorDims(tensor)}].`);
  // Every typed field has one entry per element, so a shape larger than the stored values is rejected before allocating.
  const stored = Math.max(tensor.floatData.length, tensor.doubleData.length, tensor.int64Data.length, tensor.int32Data.length, tensor.uint64Data.length);
  if (n > stored) throw mismatch(stored);
  const out = new Uint8Array(expected);
  const view = new DataView(out.buffer);
  switch (tensor.dataType) {
    case DataType.FLOAT:
      if (tensor.floatData.length !== n) throw mismatch(tensor.floatData.length);
      tensor.floatData.forEach((v, i) => view.setFloat32(i * 4, v, true));
      return out;
    case DataType.DOUBLE:
      if (tensor.doubleData.length !== n) throw mismatch(tensor.doubleData.length);
      tensor.doubleData.forEach((v, i) => view.setFloat64(i * 8, v, true));
      return out;
    case DataType.INT64:
      if (tensor.int64Data.length !== n) throw mismatch(tensor.int64Data.length);
      tensor.int64Data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
      return out;
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
    case DataType.UINT16:
    case DataType.INT16:
      if (tensor.int32Data.length !== n) throw mismatch(tensor.int32Data.length);
      tensor.int32Data.forEach((v, i) => view.setUint16(i * 2, v & 0xffff, true));
      return out;
    case DataType.INT32:
      if (tensor.int32Data.length !== n) throw mismatch(tensor.int32Data.length);
      tensor.int32Data.forEach((v, i) => view.setInt32(i * 4, v, true));
      return out;
    case DataType.INT8:
    case DataType.UINT8:
    case DataType.BOOL:
      if (tensor.int32Data.length !== n) throw mismatch(tensor.int32Data.length);
      tensor.int32Data.forEach((v, i) => view.setUint8(i, v & 0xff));
      return out;
    default:
      throw new GpruneError('UNSUPPORTED_DTYPE', `${model.path}: initializer ${tensor.name} stores ${dataTypeName(tensor.dataType)} in a typed field GPrune cannot read.`);
  }
}

/** Reads a float initializer (float32, float16, bfloat16 or double) as float32 values. */
export async function readFloat32(model: OnnxModel, tensor: TensorProto): Promise<Float32Array> {
  return bytesToFloat32(await readTensorBytes(model, tensor), tensor.dataType);
}
