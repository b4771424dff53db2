/**
 * Small helpers over a GraphProto: producer/consumer indexes, opset lookup, and builders
 * for the nodes, inputs and initializers that instrumentation and pruning add.
 */
import { create } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  NodeProtoSchema,
  TensorProtoSchema,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import { DataType } from './dtype';

/** Producer and consumers of every tensor name in a graph. */
export interface GraphIndex {
  producer: Map<string, NodeProto>;
  consumers: Map<string, NodeProto[]>;
  initializers: Map<string, TensorProto>;
  /** Outputs of Constant nodes, with their value. */
  constants: Map<string, TensorProto>;
  /** Position of each node in graph order. */
  order: Map<NodeProto, number>;
}

export function indexGraph(graph: GraphProto): GraphIndex {
  const producer = new Map<string, NodeProto>();
  const consumers = new Map<string, NodeProto[]>();
  const constants = new Map<string, TensorProto>();
  const order = new Map<NodeProto, number>();
  graph.node.forEach((node, i) => {
    order.set(node, i);
    for (const output of node.output) if (output) producer.set(output, node);
    for (const input of node.input) {
      if (!input) continue;
      const list = consumers.get(input) ?? [];
      list.push(node);
      consumers.set(input, list);
    }
    if (node.opType === 'Constant' && node.domain === '') {
      const value = node.attribute.find((a) => a.name === 'value')?.t;
      if (value) constants.set(node.output[0], value);
    }
  });
  return { producer, consumers, initializers: new Map(graph.initializer.map((t) => [t.name, t])), constants, order };
}

/** The opset version of the default ONNX domain. */
export function defaultOpset(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return entry ? Number(entry.version) : 1;
}

export function makeNode(opType: string, inputs: string[], outputs: string[], name: string, attributes: Record<string, number | number[] | string> = {}): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    input: inputs,
    output: outputs,
    name,
    attribute: Object.entries(attributes).map(([key, value]) => {
      if (typeof value === 'string') return create(AttributeProtoSchema, { name: key, type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode(value) });
      if (Array.isArray(value)) return create(AttributeProtoSchema, { name: key, type: AttributeProto_AttributeType.INTS, ints: value.map(BigInt) });
      if (Number.isInteger(value)) return create(AttributeProtoSchema, { name: key, type: AttributeProto_AttributeType.INT, i: BigInt(value) });
      return create(AttributeProtoSchema, { name: key, type: AttributeProto_AttributeType.FLOAT, f: value });
    }),
  });
}

/** A tensor value with a type and a shape of ints (fixed) and strings (symbolic). */
export function makeValueInfo(name: string, elemType: DataType, shape?: (number | string)[]): ValueInfoProto {
  const tensorType = create(TypeProto_TensorSchema, { elemType });
  if (shape) {
    tensorType.shape = create(TensorShapeProtoSchema, {
      dim: shape.map((d) =>
        create(TensorShapeProto_DimensionSchema, typeof d === 'number' ? { value: { case: 'dimValue', value: BigInt(d) } } : { value: { case: 'dimParam', value: d } }),
      ),
    });
  }
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: tensorType } }) });
}

export function makeInitializer(name: string, dataType: DataType, dims: number[], rawData: Uint8Array): TensorProto {
  return create(TensorProtoSchema, { name, dataType, dims: dims.map(BigInt), rawData: rawData as Uint8Array<ArrayBuffer> });
}

export function int64Initializer(name: string, values: number[]): TensorProto {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return makeInitializer(name, DataType.INT64, [values.length], bytes);
}

export function floatScalarInitializer(name: string, value: number, dataType: DataType = DataType.FLOAT): TensorProto {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  if (dataType !== DataType.FLOAT) throw new TypeError('floatScalarInitializer: only float32 scalars are built');
  return makeInitializer(name, dataType, [], bytes);
}

/** Element type and dims of a graph input/output/value_info, when declared. */
export function valueInfoType(info: ValueInfoProto): { elemType: DataType; dims: (number | string | undefined)[] } | undefined {
  if (info.type?.value.case !== 'tensorType') return undefined;
  const t = info.type.value.value;
  return {
    elemType: t.elemType,
    dims: (t.shape?.dim ?? []).map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : undefined)),
  };
}

/** Reads an int or ints attribute. */
export function attributeInts(node: NodeProto, name: string): number[] | undefined {
  const a = node.attribute.find((x) => x.name === name);
  if (!a) return undefined;
  if (a.ints.length) return a.ints.map(Number);
  if (a.type === AttributeProto_AttributeType.INT) return [Number(a.i)];
  return undefined;
}

export function attributeInt(node: NodeProto, name: string, fallback: number): number {
  return attributeInts(node, name)?.[0] ?? fallback;
}
