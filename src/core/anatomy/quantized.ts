/**
 * Detection of quantized weights, which GPrune cannot score or slice: the block-quantized
 * MatMul contrib ops of onnxruntime (com.microsoft domain), the integer MatMul ops of ONNX,
 * and weights stored as integers behind a DequantizeLinear (QDQ format).
 */
import type { NodeProto } from 'onnx-buf';
import { GpruneError } from '../errors';
import { DataType, dataTypeName, isFloatType } from '../onnx/dtype';
import { indexGraph } from '../onnx/graph';
import type { OnnxModel } from '../onnx/model';

/** Operators whose weight input is quantized (onnxruntime contrib ops and ONNX integer ops). */
const QUANTIZED_MATMUL_OPS = new Set([
  'MatMulNBits',
  'MatMulBnb4',
  'MatMulFpQ4',
  'MatMulInteger',
  'MatMulIntegerToFloat',
  'DynamicQuantizeMatMul',
  'QLinearMatMul',
  'QGemm',
  'QAttention',
  'GatherBlockQuantized',
]);

/** Initializer element types that only appear as quantized weights. */
const PACKED_TYPES = new Set<DataType>([DataType.INT4, DataType.UINT4]);

export interface QuantizedWeightUse {
  node: string;
  opType: string;
  domain: string;
}

/** Nodes that multiply by quantized weights, in graph order. */
export function findQuantizedWeights(model: OnnxModel): QuantizedWeightUse[] {
  const graph = model.proto.graph!;
  const index = indexGraph(graph);
  const found: QuantizedWeightUse[] = [];
  const add = (node: NodeProto) => found.push({ node: node.name, opType: node.opType, domain: node.domain || 'ai.onnx' });
  for (const node of graph.node) {
    if (QUANTIZED_MATMUL_OPS.has(node.opType)) {
      add(node);
      continue;
    }
    // QDQ: DequantizeLinear(integer initializer) → MatMul/Gemm weight input.
    if (node.opType === 'DequantizeLinear') {
      const weight = index.initializers.get(node.input[0]);
      const feedsMatMul = (index.consumers.get(node.output[0]) ?? []).some((c) => (c.opType === 'MatMul' || c.opType === 'Gemm') && c.input[1] === node.output[0]);
      if (weight && !isFloatType(weight.dataType) && feedsMatMul) add(node);
    }
  }
  return found;
}

/**
 * Raises UNSUPPORTED_OPERATOR when the model multiplies by quantized weights, naming the
 * operator and the fix. A partly quantized model would otherwise show fewer FFN layers.
 */
export function rejectQuantizedWeights(model: OnnxModel): void {
  const uses = findQuantizedWeights(model);
  const packed = model.proto.graph!.initializer.filter((t) => PACKED_TYPES.has(t.dataType));
  if (uses.length === 0 && packed.length === 0) return;
  const counts = new Map<string, number>();
  for (const use of uses) counts.set(`${use.opType} (${use.domain})`, (counts.get(`${use.opType} (${use.domain})`) ?? 0) + 1);
  const ops = [...counts].map(([op, n]) => `${n} × ${op}`);
  const types = [...new Set(packed.map((t) => dataTypeName(t.dataType)))];
  const description = [ops.length ? `quantized operators ${ops.join(', ')}` : '', types.length ? `${types.join('/')} initializers` : ''].filter(Boolean).join(' and ');
  throw new GpruneError(
    'UNSUPPORTED_OPERATOR',
    `${model.path} has quantized weights (${description}, first: ${uses[0] ? `node ${uses[0].node || '(unnamed)'}` : `initializer ${packed[0].name}`}); GPrune prunes float32, float16 and bfloat16 weights only. Use the unquantized export (onnx/model.onnx or model_fp16.onnx) and quantize after pruning.`,
    { details: { operators: [...counts.keys()], types } },
  );
}
