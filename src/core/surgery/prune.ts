/**
 * Physical pruning: removes the FFN neurons a mask drops (columns of gate/up/fc1 and its
 * bias, rows of down/fc2), optionally folds FLAP bias compensation into an output bias, and
 * returns an edited proto plus the replaced tensor bytes for `writeOnnxModel`.
 */
import { create } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto, type NodeProto, type TensorProto } from 'onnx-buf';
import type { FfnBlock, ProjectionWeight } from '../anatomy/types';
import { GpruneError } from '../errors';
import { dataTypeName, elementSize, float32ToBytes } from '../onnx/dtype';
import { makeInitializer, makeNode } from '../onnx/graph';
import { findInitializer, readFloat32, readTensorBytes } from '../onnx/tensor';
import type { TensorBytes } from '../onnx/write';
import type { LoadedModel } from '../run/loaded';
import { compensationBias } from './compensation';
import { keepAlongAxis, keepEntries } from './slice';

export interface PhysicalPruneOptions {
  /**
   * Mean activation per neuron per layer (S1 / n from profiling). When given, FLAP bias
   * compensation is applied for the removed neurons.
   */
  meanActivation?: ArrayLike<number>[];
}

export interface PrunedModel {
  proto: ModelProto;
  /** New data of every changed or added initializer; sliced weights are produced lazily when written. */
  replaced: Map<string, TensorBytes>;
  /** FFN neurons kept per layer. */
  widths: number[];
  /** Parameters removed (weights and fc1 bias entries), not counting added compensation biases. */
  removedParameters: number;
  /** Bytes of weight data removed, net of added compensation biases. */
  removedBytes: number;
}

export async function pruneModel(loaded: LoadedModel, keep: ArrayLike<number>[], options: PhysicalPruneOptions = {}): Promise<PrunedModel> {
  const { model, anatomy } = loaded;
  if (keep.length !== anatomy.ffn.length) {
    throw new GpruneError('INVALID_ARGUMENT', `Got masks for ${keep.length} layers; the model has ${anatomy.ffn.length} FFN layers.`);
  }
  const source = model.proto.graph!;
  const replaced = new Map<string, TensorBytes>();
  const initializers = new Map<string, TensorProto>(source.initializer.map((t) => [t.name, { ...t }]));
  const nodes: NodeProto[] = source.node.map((n) => ({ ...n, output: [...n.output] }));
  const added: { after: string; node: NodeProto; init: TensorProto }[] = [];
  const widths: number[] = [];
  let removedParameters = 0;
  let removedBytes = 0;

  for (const block of anatomy.ffn) {
    const mask = keep[block.layer];
    if (mask.length !== block.width) throw new GpruneError('INVALID_ARGUMENT', `Mask of layer ${block.layer} has ${mask.length} entries; the layer has ${block.width} neurons.`);
    let kept = 0;
    for (let j = 0; j < mask.length; j++) if (mask[j]) kept++;
    if (kept === 0) throw new GpruneError('INVALID_ARGUMENT', `Layer ${block.layer} would keep no neuron. Keep at least one neuron per layer.`);
    widths.push(kept);
    if (kept === block.width) continue;

    for (const weight of [block.gate, block.up, block.down].filter((w): w is ProjectionWeight => !!w)) {
      const tensor = initializers.get(weight.initializer)!;
      const size = elementSizeOf(tensor);
      const source = findInitializer(model, weight.initializer);
      const dims = [...weight.dims];
      dims[weight.neuronAxis] = kept;
      initializers.set(weight.initializer, { ...tensor, dims: dims.map(BigInt) });
      replaced.set(weight.initializer, async () => keepAlongAxis(await readTensorBytes(model, source), weight.dims, weight.neuronAxis, mask, size));
      removedBytes += (block.width - kept) * weight.dims[1 - weight.neuronAxis] * size;
      removedParameters += (block.width - kept) * weight.dims[1 - weight.neuronAxis];
    }
    for (const biasName of [block.upBias, block.gateBias].filter((b): b is string => !!b)) {
      const tensor = initializers.get(biasName)!;
      const size = elementSizeOf(tensor);
      const source = findInitializer(model, biasName);
      initializers.set(biasName, { ...tensor, dims: [BigInt(kept)] });
      replaced.set(biasName, async () => keepEntries(await readTensorBytes(model, source), mask, size));
      removedBytes += (block.width - kept) * size;
      removedParameters += block.width - kept;
    }

    const mean = options.meanActivation?.[block.layer];
    if (mean) {
      const bias = await compensationBias(model, block, mask, mean);
      removedBytes -= await addOutputBias(loaded, block, bias, initializers, replaced, added);
    }
  }

  // Added bias nodes go right after their down projection.
  const ordered: NodeProto[] = [];
  for (const node of nodes) {
    ordered.push(node);
    for (const a of added) if (a.after === node.name) ordered.push(a.node);
  }
  for (const a of added) {
    const down = nodes.find((n) => n.name === a.after)!;
    const original = down.output[0];
    down.output[0] = `${original}/gprune_pre_bias`;
    a.node.input[0] = down.output[0];
    a.node.output[0] = original;
  }
  const prunedTensors = new Set(anatomy.ffn.flatMap((b) => b.neuronTensors));
  const graph = {
    ...source,
    node: ordered,
    initializer: [...initializers.values(), ...added.map((a) => a.init)],
    // Shapes recorded for tensors whose width changed (or that were renamed) would be stale.
    valueInfo: source.valueInfo.filter((v) => !prunedTensors.has(v.name) && !added.some((a) => a.node.output[0] === v.name)),
  };
  const proto = create(ModelProtoSchema, { ...model.proto, graph });
  return { proto, replaced, widths, removedParameters, removedBytes };
}

/** Lists the report's per-layer entries: FFN width before and after, and the indices of the removed neurons. */
export function prunedLayers(loaded: LoadedModel, pruned: PrunedModel, keep: ArrayLike<number>[]): { layer: number; neuronsBefore: number; neuronsAfter: number; removed: number[] }[] {
  return loaded.anatomy.ffn.map((b) => {
    const removed: number[] = [];
    for (let j = 0; j < keep[b.layer].length; j++) if (keep[b.layer][j] === 0) removed.push(j);
    return { layer: b.layer, neuronsBefore: b.width, neuronsAfter: pruned.widths[b.layer], removed };
  });
}

function elementSizeOf(tensor: TensorProto): number {
  const size = elementSize(tensor.dataType);
  if (!size) throw new GpruneError('UNSUPPORTED_DTYPE', `Initializer ${tensor.name} has element type ${dataTypeName(tensor.dataType)}; GPrune prunes float32, float16 and bfloat16 weights.`);
  return size;
}

/** Adds `bias` to the existing down bias, or prepares a new Add node; returns bytes added. */
async function addOutputBias(
  loaded: LoadedModel,
  block: FfnBlock,
  bias: Float32Array,
  initializers: Map<string, TensorProto>,
  replaced: Map<string, TensorBytes>,
  added: { after: string; node: NodeProto; init: TensorProto }[],
): Promise<number> {
  if (block.downBias) {
    const tensor = initializers.get(block.downBias)!;
    const current = await readFloat32(loaded.model, findInitializer(loaded.model, block.downBias));
    const sum = current.map((v, d) => v + bias[d]);
    replaced.set(block.downBias, float32ToBytes(sum, tensor.dataType));
    return 0;
  }
  const dataType = block.down.dataType;
  const name = `${block.down.initializer}.gprune_compensation`;
  const bytes = float32ToBytes(bias, dataType);
  added.push({ after: block.down.node, node: makeNode('Add', ['', name], [''], `${block.down.node}/gprune_compensation`), init: makeInitializer(name, dataType, [block.hidden], bytes) });
  return bytes.byteLength;
}
