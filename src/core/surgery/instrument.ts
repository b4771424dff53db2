/**
 * Instrumentation: adds to a decoder graph
 *  - per-layer statistics outputs `gprune_stats_L` [4, F] = (Σx, Σx², Σ|x|, #{|x|>ε}) over
 *    the tokens weighted by the input `gprune_token_weight` [batch, sequence] (1 = counted),
 *  - per-layer keep-mask inputs `gprune_mask_L` [F] and output-bias inputs `gprune_bias_L` [hidden],
 *  - a labels input `gprune_labels` [batch, sequence] and the per-token NLL output `gprune_nll`.
 * Only O(layers × neurons) numbers leave the runtime. With all-ones masks and zero biases the
 * logits equal the original model's.
 */
import type { GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf';
import type { FfnBlock, ModelAnatomy } from '../anatomy/types';
import { GpruneError } from '../errors';
import { DataType } from '../onnx/dtype';
import { floatScalarInitializer, int64Initializer, makeNode, makeValueInfo } from '../onnx/graph';
import { LABELS, NLL, TOKEN_COUNT, TOKEN_WEIGHT, biasInput, maskInput, statsOutput } from './names';

export interface InstrumentOptions {
  /** Add the statistics outputs (profiling). @defaultValue true */
  stats: boolean;
  /** Add keep-mask and bias inputs (live preview, sparsity search). @defaultValue true */
  masks: boolean;
  /** Add the labels input and per-token NLL output (loss without copying logits). @defaultValue true */
  nll: boolean;
  /** ε of the activation-frequency count F = #{|x| > ε}. @defaultValue 1e-3 */
  epsilon: number;
}

export const DEFAULT_INSTRUMENT_OPTIONS: InstrumentOptions = { stats: true, masks: true, nll: true, epsilon: 1e-3 };

/** Builds opset-correct nodes: axes moved from attributes to inputs in opset 13. */
class Builder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private count = 0;

  constructor(private readonly opset: number) {}

  name(hint: string): string {
    return `gprune/${hint}_${this.count++}`;
  }

  op(opType: string, inputs: string[], hint: string, attributes: Record<string, number | number[] | string> = {}): string {
    const out = this.name(hint);
    this.nodes.push(makeNode(opType, inputs, [out], out, attributes));
    return out;
  }

  ints(values: number[], hint: string): string {
    const name = this.name(hint);
    this.initializers.push(int64Initializer(name, values));
    return name;
  }

  unsqueeze(input: string, axes: number[], hint: string): string {
    return this.opset >= 13 ? this.op('Unsqueeze', [input, this.ints(axes, 'axes')], hint) : this.op('Unsqueeze', [input], hint, { axes });
  }

  squeeze(input: string, axes: number[], hint: string): string {
    return this.opset >= 13 ? this.op('Squeeze', [input, this.ints(axes, 'axes')], hint) : this.op('Squeeze', [input], hint, { axes });
  }

  reduceSum(input: string, axes: number[] | null, hint: string): string {
    if (axes === null) return this.op('ReduceSum', [input], hint, { keepdims: 0 });
    return this.opset >= 13 ? this.op('ReduceSum', [input, this.ints(axes, 'axes')], hint, { keepdims: 0 }) : this.op('ReduceSum', [input], hint, { axes, keepdims: 0 });
  }

  cast(input: string, to: DataType, hint: string): string {
    return this.op('Cast', [input], hint, { to });
  }
}

/**
 * Returns an instrumented copy of the model's proto. Initializers are shared with the input
 * proto, not copied; the input is not modified.
 */
export function instrumentModel(proto: ModelProto, anatomy: ModelAnatomy, options: Partial<InstrumentOptions> = {}): ModelProto {
  const opts = { ...DEFAULT_INSTRUMENT_OPTIONS, ...options };
  if (anatomy.opset < 11) throw new GpruneError('UNSUPPORTED_OPERATOR', `Opset ${anatomy.opset} is too old to instrument (11 or newer is needed). Re-export the model with a newer opset.`);
  const source = proto.graph!;
  const b = new Builder(anatomy.opset);
  const nodes = source.node.map((n) => ({ ...n, input: [...n.input], output: [...n.output] }) as NodeProto);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const inputs: ValueInfoProto[] = [...source.input];
  const outputs: ValueInfoProto[] = [...source.output];
  // New nodes are inserted right after the node that produces their input, to keep the graph topologically sorted.
  const after = new Map<NodeProto, NodeProto[]>();
  const insertAfter = (anchor: NodeProto, from: number) => after.set(anchor, [...(after.get(anchor) ?? []), ...b.nodes.slice(from)]);

  // Nodes that depend only on graph inputs go first.
  const prependNodes: NodeProto[] = [];
  let weights3: string | undefined;
  if (opts.stats) {
    inputs.push(makeValueInfo(TOKEN_WEIGHT, DataType.FLOAT, ['batch_size', 'sequence_length']));
    const first = b.nodes.length;
    weights3 = b.unsqueeze(TOKEN_WEIGHT, [1], 'token_weight'); // [B, 1, T]
    const count = b.reduceSum(TOKEN_WEIGHT, null, 'token_count');
    b.nodes.push(makeNode('Identity', [count], [TOKEN_COUNT], 'gprune/tokens'));
    outputs.push(makeValueInfo(TOKEN_COUNT, DataType.FLOAT, []));
    b.initializers.push(floatScalarInitializer('gprune/epsilon', opts.epsilon));
    prependNodes.push(...b.nodes.slice(first));
  }

  for (const block of anatomy.ffn) {
    const down = byName.get(block.down.node);
    const producer = nodes.find((n) => n.output.includes(block.activationTensor));
    if (!down || !producer) throw new GpruneError('GRAPH_PATTERN_MISMATCH', `Layer ${block.layer}: the FFN nodes found by the anatomy pass are missing from the graph.`);

    if (opts.stats) {
      const first = b.nodes.length;
      addStats(b, block, weights3!);
      outputs.push(makeValueInfo(statsOutput(block.layer), DataType.FLOAT, [4, block.width]));
      insertAfter(producer, first);
    }
    if (opts.masks) {
      const first = b.nodes.length;
      inputs.push(makeValueInfo(maskInput(block.layer), DataType.FLOAT, [block.width]));
      inputs.push(makeValueInfo(biasInput(block.layer), DataType.FLOAT, [block.hidden]));
      const mask = block.activationType === DataType.FLOAT ? maskInput(block.layer) : b.cast(maskInput(block.layer), block.activationType, 'mask_cast');
      const masked = b.op('Mul', [block.activationTensor, mask], `masked_${block.layer}`);
      down.input[0] = masked;
      insertAfter(producer, first);

      // Rename the down projection's output and add the bias input to it under the old name.
      const second = b.nodes.length;
      const raw = `${block.downOutput}/gprune_raw`;
      down.output[0] = raw;
      const bias = block.activationType === DataType.FLOAT ? biasInput(block.layer) : b.cast(biasInput(block.layer), block.activationType, 'bias_cast');
      b.nodes.push(makeNode('Add', [raw, bias], [block.downOutput], b.name(`bias_add_${block.layer}`)));
      insertAfter(down, second);
    }
  }

  if (opts.nll) {
    const first = b.nodes.length;
    const logitsProducer = nodes.find((n) => n.output.includes(anatomy.logits));
    if (!logitsProducer) throw new GpruneError('GRAPH_PATTERN_MISMATCH', `No node produces the logits output ${anatomy.logits}.`);
    inputs.push(makeValueInfo(LABELS, DataType.INT64, ['batch_size', 'sequence_length']));
    const logitsType = source.output.find((o) => o.name === anatomy.logits)?.type;
    const elem = logitsType?.value.case === 'tensorType' ? logitsType.value.value.elemType : DataType.FLOAT;
    const logits = elem === DataType.FLOAT ? anatomy.logits : b.cast(anatomy.logits, DataType.FLOAT, 'logits_f32');
    const logProbs = b.op('LogSoftmax', [logits], 'log_probs', { axis: -1 });
    const labels = b.unsqueeze(LABELS, [2], 'labels'); // [B, T, 1]
    const picked = b.op('GatherElements', [logProbs, labels], 'label_log_prob', { axis: 2 });
    const squeezed = b.squeeze(picked, [2], 'label_log_prob_2d');
    b.nodes.push(makeNode('Neg', [squeezed], [NLL], 'gprune/nll'));
    outputs.push(makeValueInfo(NLL, DataType.FLOAT, ['batch_size', 'sequence_length']));
    insertAfter(logitsProducer, first);
  }

  const ordered: NodeProto[] = [...prependNodes];
  for (const node of nodes) {
    ordered.push(node);
    ordered.push(...(after.get(node) ?? []));
  }
  const graph: GraphProto = { ...source, node: ordered, input: inputs, output: outputs, initializer: [...source.initializer, ...b.initializers], valueInfo: dropValueInfo(source.valueInfo, anatomy, opts.masks) };
  return { ...proto, graph };
}

function addStats(b: Builder, block: FfnBlock, weights3: string): void {
  const x = block.activationType === DataType.FLOAT ? block.activationTensor : b.cast(block.activationTensor, DataType.FLOAT, `x_f32_${block.layer}`);
  const square = b.op('Mul', [x, x], `x2_${block.layer}`);
  const abs = b.op('Abs', [x], `abs_${block.layer}`);
  const active = b.cast(b.op('Greater', [abs, 'gprune/epsilon'], `active_${block.layer}`), DataType.FLOAT, `active_f32_${block.layer}`);
  // One token-weighted sum per feature map ([B, 1, T] · [B, T, F] → [B, 1, F]); concatenating the
  // small sums instead of the [B, T, F] maps saves a copy of 4·B·T·F values per layer.
  const weighted = [x, square, abs, active].map((feature, k) => b.op('MatMul', [weights3, feature], `weighted_${k}_${block.layer}`));
  const sums = b.op('Concat', weighted, `sums_${block.layer}`, { axis: -1 }); // [B, 1, 4F]
  const total = b.reduceSum(sums, [0, 1], `sum_${block.layer}`); // [4F]
  const shape = b.ints([4, block.width], `stats_shape_${block.layer}`);
  b.nodes.push(makeNode('Reshape', [total, shape], [statsOutput(block.layer)], b.name(`stats_${block.layer}`)));
}

/** Value infos of renamed tensors would mislead shape inference; they are dropped. */
function dropValueInfo(valueInfo: ValueInfoProto[], anatomy: ModelAnatomy, masks: boolean): ValueInfoProto[] {
  if (!masks) return valueInfo;
  const renamed = new Set(anatomy.ffn.map((b) => b.downOutput));
  return valueInfo.filter((v) => !renamed.has(v.name));
}
