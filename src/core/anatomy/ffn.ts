/**
 * Finds FFN blocks by graph pattern, whatever the node and initializer names are:
 *
 *   gated:  h → MatMul(W_gate) → act ┐
 *           h → MatMul(W_up) ────────┴ Mul → MatMul(W_down) → (+ bias) → residual Add
 *   plain:  h → MatMul(W_fc1) (+ b1) → act → MatMul(W_fc2) → (+ b2) → residual Add
 *
 * The residual Add (whose other operand is an ancestor of h) separates a transformer FFN
 * from, say, the MLP head of an image classifier.
 */
import type { NodeProto, TensorProto } from 'onnx-buf';
import { GpruneError } from '../errors';
import { type GraphIndex, indexGraph } from '../onnx/graph';
import type { OnnxModel } from '../onnx/model';
import { tensorDims } from '../onnx/tensor';
import { isFloatType } from '../onnx/dtype';
import type { FfnBlock, ProjectionWeight } from './types';

/** Element-wise ops an activation chain may contain. */
const ELEMENTWISE = new Set(['Sigmoid', 'Mul', 'Div', 'Add', 'Sub', 'Erf', 'Tanh', 'Pow', 'Relu', 'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'Softplus', 'Exp', 'Log', 'Neg', 'Sqrt', 'Identity', 'Cast', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'LeakyRelu', 'Where', 'Max', 'Min', 'Clip']);
/** Ops that make a chain non-linear (identifies the gate path of a gated FFN). */
const NONLINEAR = new Set(['Sigmoid', 'Erf', 'Tanh', 'Relu', 'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'Softplus', 'Exp', 'Log', 'HardSigmoid', 'HardSwish', 'Elu', 'Selu', 'LeakyRelu', 'Clip', 'Max', 'Min']);
/** Bound on how far activation chains and residual checks walk. */
const MAX_CHAIN = 24;
const MAX_ANCESTRY = 400;

interface Projection {
  node: NodeProto;
  weight: TensorProto;
  input: string;
  output: string;
  neuronAxis: 0 | 1;
}

/** Finds every FFN block of the model in graph order; FFN_NOT_FOUND if there is none. */
export function findFfnBlocks(model: OnnxModel): FfnBlock[] {
  const graph = model.proto.graph!;
  const index = indexGraph(graph);
  const blocks: FfnBlock[] = [];
  for (const node of graph.node) {
    const down = asProjection(node, index, 'in');
    if (!down) continue;
    const block = matchBlock(down, index);
    if (block) blocks.push({ ...block, layer: blocks.length });
  }
  if (blocks.length === 0) {
    throw new GpruneError('FFN_NOT_FOUND', `${model.path}: no FFN block found (no MatMul → activation → MatMul with a residual connection). GPrune needs a decoder-only transformer LLM such as LLaMA, Qwen, Phi or GPT-2 exported to ONNX.`);
  }
  return blocks;
}

/**
 * A MatMul or Gemm whose weight is a 2-D float initializer. `role` tells whether the FFN
 * neurons are the weight's output axis ('out', gate/up/fc1) or its input axis ('in', down/fc2).
 */
function asProjection(node: NodeProto, index: GraphIndex, role: 'in' | 'out'): Projection | undefined {
  if (node.domain !== '' || (node.opType !== 'MatMul' && node.opType !== 'Gemm')) return undefined;
  const weight = index.initializers.get(node.input[1]);
  if (!weight || weight.dims.length !== 2 || !isFloatType(weight.dataType)) return undefined;
  const transB = node.opType === 'Gemm' && node.attribute.some((a) => a.name === 'transB' && a.i === 1n);
  if (node.opType === 'Gemm' && node.attribute.some((a) => a.name === 'transA' && a.i === 1n)) return undefined;
  // MatMul weight is [in, out]; Gemm with transB stores [out, in].
  const outAxis: 0 | 1 = transB ? 0 : 1;
  const neuronAxis: 0 | 1 = role === 'out' ? outAxis : ((1 - outAxis) as 0 | 1);
  return { node, weight, input: node.input[0], output: node.output[0], neuronAxis };
}

/** Walks an element-wise chain back from `tensor`; returns its non-constant sources and ops. */
function traceChain(tensor: string, index: GraphIndex): { sources: Set<string>; ops: NodeProto[] } | undefined {
  const sources = new Set<string>();
  const ops: NodeProto[] = [];
  const stack = [tensor];
  const seen = new Set<string>();
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    if (index.initializers.has(name) || index.constants.has(name)) continue;
    const node = index.producer.get(name);
    // A bias Add right after a projection ends the chain: matchBlock reads it as that projection's bias.
    if (!node || !ELEMENTWISE.has(node.opType) || ops.length > MAX_CHAIN || isProjectionBias(node, index)) {
      sources.add(name);
      continue;
    }
    ops.push(node);
    for (const input of node.input) if (input) stack.push(input);
  }
  return sources.size ? { sources, ops } : undefined;
}

/** True for `Add(projection output, 1-D initializer)`, in either input order. */
function isProjectionBias(node: NodeProto, index: GraphIndex): boolean {
  if (node.opType !== 'Add' || node.input.length !== 2) return false;
  const [a, b] = node.input;
  const biasName = index.initializers.has(a) ? a : index.initializers.has(b) ? b : undefined;
  if (!biasName || index.initializers.get(biasName)!.dims.length !== 1) return false;
  const producer = index.producer.get(biasName === a ? b : a);
  return !!producer && !!asProjection(producer, index, 'out');
}

/** The output of an optional bias Add right after a projection: [bias initializer, Add output]. */
function followBias(output: string, index: GraphIndex, length: number): [string, string] | undefined {
  const consumers = index.consumers.get(output) ?? [];
  if (consumers.length !== 1 || consumers[0].opType !== 'Add') return undefined;
  const add = consumers[0];
  const other = add.input[0] === output ? add.input[1] : add.input[0];
  const bias = index.initializers.get(other);
  if (!bias || bias.dims.length !== 1 || Number(bias.dims[0]) !== length) return undefined;
  return [bias.name, add.output[0]];
}

function matchBlock(down: Projection, index: GraphIndex): Omit<FfnBlock, 'layer'> | undefined {
  const [d0, d1] = tensorDims(down.weight);
  const width = down.neuronAxis === 0 ? d0 : d1;
  const hidden = down.neuronAxis === 0 ? d1 : d0;
  const chain = traceChain(down.input, index);
  if (!chain) return undefined;

  // Each chain source must be the (optionally biased) output of an input-side projection.
  // `source` is where the chain starts: the projection output, or its bias Add's output.
  const projections: { projection: Projection; bias?: string; source: string }[] = [];
  for (const source of chain.sources) {
    let node = index.producer.get(source);
    let bias: string | undefined;
    if (node?.opType === 'Add') {
      const [a, b] = node.input;
      const biasName = index.initializers.has(a) ? a : index.initializers.has(b) ? b : undefined;
      const producer = index.producer.get(biasName === a ? b : a);
      if (biasName && producer) {
        bias = biasName;
        node = producer;
      }
    }
    const projection = node && asProjection(node, index, 'out');
    if (!projection) return undefined;
    // Gemm adds its optional input C itself, and a C of one value per neuron is the projection's bias.
    const gemmBias = projection.node.opType === 'Gemm' ? index.initializers.get(projection.node.input[2] ?? '') : undefined;
    if (!bias && gemmBias && gemmBias.dims.length === 1 && Number(gemmBias.dims[0]) === width) bias = gemmBias.name;
    const dims = tensorDims(projection.weight);
    if (dims[projection.neuronAxis] !== width || dims[1 - projection.neuronAxis] !== hidden) return undefined;
    if (bias && Number(index.initializers.get(bias)!.dims[0]) !== width) return undefined;
    projections.push({ projection, bias, source });
  }
  if (projections.length === 0 || projections.length > 2) return undefined;
  const input = projections[0].projection.input;
  if (projections.some((p) => p.projection.input !== input)) return undefined;
  if (chain.ops.length === 0 && projections.length === 1) return undefined; // two linear maps in a row: not an FFN

  const downBias = followBias(down.output, index, hidden);
  const blockOutput = downBias ? downBias[1] : down.output;
  if (!feedsResidual(blockOutput, input, index)) return undefined;

  const ordered = orderGateUp(projections, chain.ops, index);
  const weight = (p: Projection): ProjectionWeight => ({
    initializer: p.weight.name,
    node: p.node.name,
    neuronAxis: p.neuronAxis,
    dims: tensorDims(p.weight) as [number, number],
    dataType: p.weight.dataType,
  });
  const gate = ordered[0].projection;
  const gateOps = collectPath(ordered[0].source, down.input, chain.ops, index);
  return {
    kind: projections.length === 2 ? 'gated' : 'plain',
    // The gated product (gate activation × up) is the block's combination, not part of the activation.
    activation: gateOps.filter((n) => projections.length === 1 || !n.output.includes(down.input)).map((n) => n.opType),
    width,
    hidden,
    gate: weight(gate),
    up: ordered[1] ? weight(ordered[1].projection) : undefined,
    down: weight(down),
    upBias: projections.length === 1 ? projections[0].bias : ordered[1].bias,
    gateBias: projections.length === 2 ? ordered[0].bias : undefined,
    downBias: downBias?.[0],
    activationTensor: down.input,
    downOutput: down.output,
    neuronTensors: [...projections.flatMap((p) => (p.bias ? [p.projection.output, p.source] : [p.projection.output])), ...chain.ops.map((n) => n.output[0])],
    activationType: down.weight.dataType,
  };
}

/** Gate first: the projection whose path to the down input passes through a non-linear op. */
function orderGateUp<T extends { projection: Projection; source: string }>(projections: T[], ops: NodeProto[], index: GraphIndex): T[] {
  if (projections.length === 1) return projections;
  const nonlinear = (p: T) => collectPath(p.source, undefined, ops, index).some((n) => NONLINEAR.has(n.opType));
  const [a, b] = projections;
  if (nonlinear(a) && !nonlinear(b)) return [a, b];
  if (nonlinear(b) && !nonlinear(a)) return [b, a];
  return index.order.get(a.projection.node)! <= index.order.get(b.projection.node)! ? [a, b] : [b, a];
}

/** Chain ops reachable forward from `start` (restricted to the chain). */
function collectPath(start: string, _end: string | undefined, ops: NodeProto[], index: GraphIndex): NodeProto[] {
  const inChain = new Set(ops);
  const found: NodeProto[] = [];
  const stack = [start];
  const seen = new Set<string>();
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const consumer of index.consumers.get(name) ?? []) {
      if (!inChain.has(consumer) || found.includes(consumer)) continue;
      found.push(consumer);
      stack.push(consumer.output[0]);
    }
  }
  return found.sort((x, y) => index.order.get(x)! - index.order.get(y)!);
}

/** True when `output` is added to a tensor that `input` was derived from (the residual stream). */
function feedsResidual(output: string, input: string, index: GraphIndex): boolean {
  for (const add of index.consumers.get(output) ?? []) {
    if (add.opType !== 'Add') continue;
    const other = add.input[0] === output ? add.input[1] : add.input[0];
    if (isAncestor(other, input, index)) return true;
  }
  return false;
}

function isAncestor(candidate: string, of: string, index: GraphIndex): boolean {
  // Breadth-first, so the nearest ancestors (this layer's residual) are seen first.
  const queue = [of];
  const seen = new Set<string>();
  for (let head = 0; head < queue.length && seen.size < MAX_ANCESTRY; head++) {
    const name = queue[head];
    if (name === candidate) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const node = index.producer.get(name);
    if (node) for (const i of node.input) if (i && !index.initializers.has(i)) queue.push(i);
  }
  return false;
}
