/**
 * The non-attention parts of a LLaMA decoder layer as ONNX nodes: RMSNorm and the SwiGLU
 * FFN, named as in Optimum exports of transformers' LlamaForCausalLM.
 */
import { DataType } from '../onnx/dtype';
import type { GraphBuilder, WeightInit } from './graphBuilder';

/** Element type, hidden size and weight initialisation shared by every block of one model. */
export interface BlockContext {
  b: GraphBuilder;
  dataType: DataType;
  hidden: number;
  matrixInit: WeightInit;
}

/**
 * LlamaRMSNorm: weight · x / sqrt(mean(x²) + eps), computed in float32 and cast back, as
 * transformers does for float16 models. `weightName` is the PyTorch parameter name.
 */
export function rmsNorm(ctx: BlockContext, scope: string, input: string, weightName: string, eps: number): string {
  const { b, dataType } = ctx;
  const half = dataType !== DataType.FLOAT;
  const x = half ? b.op(scope, 'Cast', [input], { to: DataType.FLOAT }) : input;
  const squared = b.op(scope, 'Pow', [x, b.floats([2], DataType.FLOAT)]);
  const variance = b.op(scope, 'ReduceMean', [squared], { axes: [-1], keepdims: 1 });
  const shifted = b.op(scope, 'Add', [variance, b.floats([eps], DataType.FLOAT)]);
  const root = b.op(scope, 'Sqrt', [shifted]);
  const inverse = b.op(scope, 'Div', [b.floats([1], DataType.FLOAT), root]);
  const normed = b.op(scope, 'Mul', [x, inverse]);
  const back = half ? b.op(scope, 'Cast', [normed], { to: dataType }) : normed;
  const weight = b.weight(weightName, [ctx.hidden], dataType, { kind: 'ones' });
  return b.op(scope, 'Mul', [weight, back]);
}

/**
 * A MatMul by a weight stored [in, out] (the transpose of the PyTorch Linear parameter,
 * as MatMul needs it), plus an optional bias. `module` is the PyTorch module path, e.g.
 * `model.layers.0.mlp.gate_proj`; the node scope is derived from it. `output` names the
 * result tensor (default: the node's `_output_0`).
 */
export function linear(ctx: BlockContext, module: string, input: string, inFeatures: number, outFeatures: number, options: { bias?: boolean; output?: string } = {}): string {
  const { b, dataType } = ctx;
  const scope = `/${module.replace(/\./g, '/').replace(/\/(\d+)\//g, '.$1/')}`;
  const weight = b.weight(`${module}.weight`, [inFeatures, outFeatures], dataType, ctx.matrixInit);
  if (!options.bias) return b.op(scope, 'MatMul', [input, weight], {}, options.output);
  const product = b.op(scope, 'MatMul', [input, weight]);
  return b.op(scope, 'Add', [b.weight(`${module}.bias`, [outFeatures], dataType, ctx.matrixInit), product], {}, options.output);
}

/** SwiGLU FFN: down(silu(gate(x)) · up(x)), with SiLU written as x·Sigmoid(x) as torch exports it. */
export function swigluMlp(ctx: BlockContext, layer: number, input: string, intermediate: number): string {
  const { b, hidden } = ctx;
  const prefix = `model.layers.${layer}.mlp`;
  const gate = linear(ctx, `${prefix}.gate_proj`, input, hidden, intermediate);
  const actScope = `/model/layers.${layer}/mlp/act_fn`;
  const sigmoid = b.op(actScope, 'Sigmoid', [gate]);
  const silu = b.op(actScope, 'Mul', [gate, sigmoid]);
  const up = linear(ctx, `${prefix}.up_proj`, input, hidden, intermediate);
  const product = b.op(`/model/layers.${layer}/mlp`, 'Mul', [silu, up]);
  return linear(ctx, `${prefix}.down_proj`, product, intermediate, hidden);
}
