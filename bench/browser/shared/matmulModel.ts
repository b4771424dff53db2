/**
 * The MatMul used to measure an engine's peak: X[n, 1024] · W[1024, 4096] with a seeded
 * random W. Pure, so the Node benchmark and the browser worker build identical bytes.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { GraphProtoSchema, ModelProtoSchema, OperatorSetIdProtoSchema } from 'onnx-buf';
import { DataType } from '../../../src/core/onnx/dtype';
import { makeInitializer, makeNode, makeValueInfo } from '../../../src/core/onnx/graph';
import { fillUniform } from '../../../src/core/synth';

export const MATMUL_IN = 1024;
export const MATMUL_OUT = 4096;

export function matmulModelBytes(): Uint8Array {
  const weight = fillUniform(new Float32Array(MATMUL_IN * MATMUL_OUT), 7, 0.02);
  const graph = create(GraphProtoSchema, {
    name: 'matmul-peak',
    node: [makeNode('MatMul', ['X', 'W'], ['Y'], 'matmul')],
    initializer: [makeInitializer('W', DataType.FLOAT, [MATMUL_IN, MATMUL_OUT], new Uint8Array(weight.buffer))],
    input: [makeValueInfo('X', DataType.FLOAT, ['n', MATMUL_IN])],
    output: [makeValueInfo('Y', DataType.FLOAT, ['n', MATMUL_OUT])],
  });
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { irVersion: 8n, opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph }));
}

/** Returns a seeded input X of `n` rows. */
export function matmulInput(n: number): Float32Array {
  return fillUniform(new Float32Array(n * MATMUL_IN), 3, 1);
}

/** Floating-point operations of one run with `n` rows (one multiply and one add per weight and row). */
export function matmulFlops(n: number): number {
  return 2 * n * MATMUL_IN * MATMUL_OUT;
}
