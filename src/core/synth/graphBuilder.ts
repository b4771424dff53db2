/**
 * Builds nodes with the names torch.onnx.export gives them in Optimum exports: a node is
 * `<scope>/<OpType>` (then `_1`, `_2`, … within the same scope) and its output is
 * `<node name>_output_0`. Small constants become Constant nodes, so every initializer is
 * a weight.
 */
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeProto_AttributeType, type NodeProto, type TensorProto } from 'onnx-buf';
import { DataType, float32ToBytes } from '../onnx/dtype';
import { makeInitializer, makeNode } from '../onnx/graph';

/** How the generator fills a weight. */
export type WeightInit = { kind: 'uniform'; std: number } | { kind: 'ones' };

/** A weight initializer before its data exists. */
export interface WeightSpec {
  name: string;
  dims: number[];
  dataType: DataType;
  init: WeightInit;
}

type Attributes = Record<string, number | number[] | string>;

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly weights: WeightSpec[] = [];
  private readonly counts = new Map<string, number>();
  private readonly constants = new Map<string, string>();

  /** Adds a node with one output and returns the output name (`output` overrides it). */
  op(scope: string, opType: string, inputs: string[], attributes: Attributes = {}, output?: string): string {
    const name = this.nodeName(scope, opType);
    const out = output ?? `${name}_output_0`;
    this.nodes.push(makeNode(opType, inputs, [out], name, attributes));
    return out;
  }

  /** Declares a weight initializer; its data is generated later, tensor by tensor. */
  weight(name: string, dims: number[], dataType: DataType, init: WeightInit): string {
    this.weights.push({ name, dims, dataType, init });
    return name;
  }

  /** An int64 constant (1-D, or a scalar when `scalar` is set), shared by every user of the same value. */
  ints(values: number[], scalar = false): string {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    return this.constant(`i64${scalar ? 's' : ''}[${values.join(',')}]`, makeInitializer('', DataType.INT64, scalar ? [] : [values.length], bytes));
  }

  /** A float constant of `dataType` (float32 or float16) with the given dims. */
  floats(values: number[], dataType: DataType, dims: number[] = []): string {
    return this.constant(`f${dataType}[${dims.join(',')}][${values.join(',')}]`, makeInitializer('', dataType, dims, float32ToBytes(values, dataType)));
  }

  private constant(key: string, tensor: TensorProto): string {
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.nodeName('/model', 'Constant');
    const out = `${name}_output_0`;
    const node = makeNode('Constant', [], [out], name);
    node.attribute.push(create(AttributeProtoSchema, { name: 'value', type: AttributeProto_AttributeType.TENSOR, t: tensor }));
    this.nodes.push(node);
    this.constants.set(key, out);
    return out;
  }

  private nodeName(scope: string, opType: string): string {
    const key = `${scope}/${opType}`;
    const count = this.counts.get(key) ?? 0;
    this.counts.set(key, count + 1);
    return count === 0 ? key : `${key}_${count}`;
  }
}
