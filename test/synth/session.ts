/**
 * Runs generated models in onnxruntime-node (one thread) with plain feeds, for the synth tests.
 */
import { toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { halfToFloat } from '../../src/core/onnx/dtype';
import type { LlamaShape } from '../../src/core/synth';

export async function openSession(proto: ModelProto | Uint8Array): Promise<ort.InferenceSession> {
  const bytes = proto instanceof Uint8Array ? proto : toBinary(ModelProtoSchema, proto);
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

export function int64Tensor(rows: number[][]): ort.Tensor {
  const width = rows[0].length;
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, width]);
}

/** Float values of a float32 or float16 output tensor. */
export function floatValues(tensor: ort.Tensor): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') return Float32Array.from(tensor.data as Uint16Array, halfToFloat);
  throw new Error(`floatValues: unexpected output type ${tensor.type}`);
}

/** Empty past_key_values.* feeds for `batch` sequences. */
export function emptyPast(shape: LlamaShape, batch: number, type: 'float32' | 'float16' = 'float32'): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < shape.layers; layer++) {
    for (const part of ['key', 'value']) {
      const data = type === 'float32' ? new Float32Array(0) : new Uint16Array(0);
      feeds[`past_key_values.${layer}.${part}`] = new ort.Tensor(type, data, [batch, shape.kvHeads, 0, shape.headDim]);
    }
  }
  return feeds;
}

/** Row `index` of the last axis-2 block of a [batch, sequence, vocab] logits tensor. */
export function logitsAt(values: Float32Array, sequence: number, vocab: number, batchIndex: number, position: number): Float32Array {
  const start = (batchIndex * sequence + position) * vocab;
  return values.subarray(start, start + vocab);
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
