import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { describe, expect, test } from 'vitest';
import { analyzeModel, findFfnBlocks, paramsPerNeuron } from '../../src/core/anatomy';
import type { FfnBlock } from '../../src/core/anatomy/types';
import { DataType } from '../../src/core/onnx/dtype';
import { makeNode, makeValueInfo } from '../../src/core/onnx/graph';
import { FIXTURES, loadFixture } from '../helpers/fixtures';
import { buildMlpDecoder, buildModel, floatInitializer, openModel, randomValues, seededRandom } from '../helpers/onnxGraph';

/**
 * Copies the model with every node, initializer and intermediate tensor renamed at random.
 * Graph inputs and outputs keep their names. Returns the copy and the old → new map.
 */
function renameEverything(proto: ModelProto, seed: number): { proto: ModelProto; renamed: Map<string, string> } {
  const next = seededRandom(seed);
  const randomName = () => `t${Math.floor(next() * 2 ** 32).toString(36)}_${Math.floor(next() * 2 ** 32).toString(36)}`;
  const copy = clone(ModelProtoSchema, proto);
  const graph = copy.graph!;
  const fixed = new Set([...graph.input.map((i) => i.name), ...graph.output.map((o) => o.name), '']);
  const renamed = new Map<string, string>();
  const rename = (name: string) => {
    if (fixed.has(name)) return name;
    if (!renamed.has(name)) renamed.set(name, randomName());
    return renamed.get(name)!;
  };
  for (const tensor of graph.initializer) tensor.name = rename(tensor.name);
  for (const node of graph.node) {
    node.name = randomName();
    node.input = node.input.map(rename);
    node.output = node.output.map(rename);
  }
  for (const info of graph.valueInfo) info.name = rename(info.name);
  return { proto: copy, renamed };
}

/** Returns the parts of a block that do not depend on names. */
function shape(block: FfnBlock) {
  return {
    layer: block.layer,
    kind: block.kind,
    activation: block.activation,
    width: block.width,
    hidden: block.hidden,
    axes: [block.gate.neuronAxis, block.up?.neuronAxis, block.down.neuronAxis],
    dims: [block.gate.dims, block.up?.dims, block.down.dims],
    hasBias: [!!block.upBias, !!block.downBias],
  };
}

describe('findFfnBlocks on stories260K', () => {
  test.each(FIXTURES)('findFfnBlocks(%s) finds 5 gated blocks of 172 neurons', async (name) => {
    const loaded = await loadFixture(name);
    const blocks = findFfnBlocks(loaded.model);

    expect(blocks.map((b) => b.layer)).toEqual([0, 1, 2, 3, 4]);
    for (const block of blocks) {
      expect(block.kind).toBe('gated');
      expect(block.width).toBe(172);
      expect(block.hidden).toBe(64);
      expect(block.gate.dims).toEqual([64, 172]);
      expect(block.up?.dims).toEqual([64, 172]);
      expect(block.down.dims).toEqual([172, 64]);
      expect(block.down.neuronAxis).toBe(0);
      expect(block.activation).toContain('Sigmoid');
      expect(block.upBias).toBeUndefined();
      expect(block.downBias).toBeUndefined();
      expect(block.activationType).toBe(DataType.FLOAT);
    }
  });

  test.each(FIXTURES)('findFfnBlocks(%s) lists layers in graph order with gate before up', async (name) => {
    const loaded = await loadFixture(name);
    const blocks = findFfnBlocks(loaded.model);
    const position = new Map(loaded.model.proto.graph!.node.map((n, i) => [n.name, i]));
    // The Optimum node names are only used to check the result; the anatomy never reads them.
    blocks.forEach((block, l) => {
      expect(block.gate.node).toBe(`/model/layers.${l}/mlp/gate_proj/MatMul`);
      expect(block.up?.node).toBe(`/model/layers.${l}/mlp/up_proj/MatMul`);
      expect(block.down.node).toBe(`/model/layers.${l}/mlp/down_proj/MatMul`);
      expect(block.activationTensor).toBe(`/model/layers.${l}/mlp/Mul_output_0`);
    });
    const downPositions = blocks.map((b) => position.get(b.down.node)!);
    expect(downPositions).toEqual([...downPositions].sort((a, b) => a - b));
  });

  test.each(FIXTURES)('findFfnBlocks(%s) is unchanged by random node and tensor names', async (name) => {
    const loaded = await loadFixture(name);
    const original = findFfnBlocks(loaded.model);
    const { proto, renamed } = renameEverything(loaded.model.proto, 11);
    const blocks = findFfnBlocks(await openModel(proto));

    expect(blocks.map(shape)).toEqual(original.map(shape));
    blocks.forEach((block, l) => {
      expect(block.gate.initializer).toBe(renamed.get(original[l].gate.initializer));
      expect(block.up?.initializer).toBe(renamed.get(original[l].up!.initializer));
      expect(block.down.initializer).toBe(renamed.get(original[l].down.initializer));
      expect(block.activationTensor).toBe(renamed.get(original[l].activationTensor));
      expect(block.downOutput).toBe(renamed.get(original[l].downOutput));
    });
  });
});

describe('analyzeModel on stories260K', () => {
  test('analyzeModel(stories260K-llama) reports inputs, logits and parameter counts', async () => {
    const { anatomy } = await loadFixture('stories260K-llama');
    expect(anatomy.inputs).toEqual({ inputIds: 'input_ids', attentionMask: 'attention_mask', positionIds: 'position_ids', past: [], other: [] });
    expect(anatomy.hasKvCache).toBe(false);
    expect(anatomy.logits).toBe('logits');
    expect(anatomy.vocabSize).toBe(512);
    expect(anatomy.opset).toBe(14);
    expect(anatomy.ffnParameters).toBe(5 * 172 * 64 * 3);
    expect(anatomy.ffn.map(paramsPerNeuron)).toEqual([192, 192, 192, 192, 192]);
  });

  test('analyzeModel(stories260K-llama-kv) finds the 10 past_key_values inputs', async () => {
    const { anatomy } = await loadFixture('stories260K-llama-kv');
    expect(anatomy.hasKvCache).toBe(true);
    expect(anatomy.inputs.past.map((p) => p.name)).toEqual([0, 1, 2, 3, 4].flatMap((l) => [`past_key_values.${l}.key`, `past_key_values.${l}.value`]));
    for (const past of anatomy.inputs.past) expect(past.dims).toEqual(['batch_size', 4, 'past_sequence_length', 8]);
  });
});

describe('findFfnBlocks on hand-built graphs', () => {
  test.each([
    ['gelu-op', ['Gelu']],
    ['gelu-erf', ['Div', 'Erf', 'Add', 'Mul', 'Mul']],
    ['relu', ['Relu']],
  ] as const)('findFfnBlocks finds a %s MLP decoder as plain with both biases', async (activation, ops) => {
    const model = await openModel(buildMlpDecoder({ vocab: 16, hidden: 8, width: 12, layers: 2, activation }));
    const blocks = findFfnBlocks(model);

    expect(blocks).toHaveLength(2);
    blocks.forEach((block, l) => {
      expect(block.kind).toBe('plain');
      expect(block.activation).toEqual(ops);
      expect(block.width).toBe(12);
      expect(block.hidden).toBe(8);
      expect(block.gate.initializer).toBe(`layers.${l}.fc1.weight`);
      expect(block.gate.neuronAxis).toBe(1);
      expect(block.up).toBeUndefined();
      expect(block.down.initializer).toBe(`layers.${l}.fc2.weight`);
      expect(block.down.neuronAxis).toBe(0);
      expect(block.upBias).toBe(`layers.${l}.fc1.bias`);
      expect(block.downBias).toBe(`layers.${l}.fc2.bias`);
      expect(block.activationTensor).toBe(`layers.${l}/act`);
      expect(block.downOutput).toBe(`layers.${l}/fc2`);
      expect(block.neuronTensors).toContain(`layers.${l}/fc1_bias`);
      expect(paramsPerNeuron(block)).toBe(2 * 8 + 1);
    });
  });

  test('findFfnBlocks reads Gemm weights with transB as [out, in]', async () => {
    const next = seededRandom(3);
    const [hidden, width] = [6, 10];
    const proto = buildModel({
      nodes: [
        makeNode('Gather', ['embed', 'input_ids'], ['h'], 'embed'),
        makeNode('Gemm', ['h', 'fc1'], ['u'], 'fc1', { transB: 1 }),
        makeNode('Relu', ['u'], ['a'], 'act'),
        makeNode('Gemm', ['a', 'fc2'], ['d'], 'fc2', { transB: 1 }),
        makeNode('Add', ['h', 'd'], ['out'], 'residual'),
      ],
      initializers: [
        floatInitializer('embed', [16, hidden], randomValues(16 * hidden, next)),
        floatInitializer('fc1', [width, hidden], randomValues(width * hidden, next)),
        floatInitializer('fc2', [hidden, width], randomValues(width * hidden, next)),
      ],
      inputs: [makeValueInfo('input_ids', DataType.INT64, ['tokens'])],
      outputs: [makeValueInfo('out', DataType.FLOAT, ['tokens', hidden])],
    });
    const [block] = findFfnBlocks(await openModel(proto));
    expect(block.kind).toBe('plain');
    expect(block.width).toBe(width);
    expect(block.hidden).toBe(hidden);
    expect(block.gate.neuronAxis).toBe(0);
    expect(block.down.neuronAxis).toBe(1);
  });

  test('analyzeModel on a GELU MLP decoder reports its logits and no KV cache', async () => {
    const anatomy = analyzeModel(await openModel(buildMlpDecoder({ vocab: 16, hidden: 8, width: 12, layers: 3, activation: 'gelu-erf' })));
    expect(anatomy.ffn).toHaveLength(3);
    expect(anatomy.logits).toBe('logits');
    expect(anatomy.vocabSize).toBe(16);
    expect(anatomy.hasKvCache).toBe(false);
    expect(anatomy.ffnParameters).toBe(3 * (12 * 17 + 8));
  });

  test('findFfnBlocks raises FFN_NOT_FOUND for an image classifier', async () => {
    const next = seededRandom(5);
    const proto = buildModel({
      nodes: [
        makeNode('Conv', ['pixel_values', 'conv.weight', 'conv.bias'], ['c'], 'conv', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
        makeNode('Relu', ['c'], ['r'], 'relu'),
        makeNode('GlobalAveragePool', ['r'], ['p'], 'pool'),
        makeNode('Flatten', ['p'], ['f'], 'flatten', { axis: 1 }),
        makeNode('Gemm', ['f', 'fc1.weight', 'fc1.bias'], ['h'], 'fc1', { transB: 1 }),
        makeNode('Relu', ['h'], ['a'], 'relu2'),
        makeNode('Gemm', ['a', 'fc2.weight', 'fc2.bias'], ['logits'], 'fc2', { transB: 1 }),
      ],
      initializers: [
        floatInitializer('conv.weight', [8, 3, 3, 3], randomValues(8 * 27, next)),
        floatInitializer('conv.bias', [8], randomValues(8, next)),
        floatInitializer('fc1.weight', [16, 8], randomValues(128, next)),
        floatInitializer('fc1.bias', [16], randomValues(16, next)),
        floatInitializer('fc2.weight', [10, 16], randomValues(160, next)),
        floatInitializer('fc2.bias', [10], randomValues(10, next)),
      ],
      inputs: [makeValueInfo('pixel_values', DataType.FLOAT, [1, 3, 8, 8])],
      outputs: [makeValueInfo('logits', DataType.FLOAT, [1, 10])],
    });
    const model = await openModel(proto, [], 'classifier.onnx');
    expect(() => findFfnBlocks(model)).toThrow(expect.objectContaining({ code: 'FFN_NOT_FOUND' }));
  });

  test('findFfnBlocks raises FFN_NOT_FOUND for MatMul → Relu → MatMul without a residual', async () => {
    const next = seededRandom(6);
    const proto = buildModel({
      nodes: [
        makeNode('MatMul', ['x', 'w1'], ['h'], 'fc1'),
        makeNode('Relu', ['h'], ['a'], 'relu'),
        makeNode('MatMul', ['a', 'w2'], ['y'], 'fc2'),
      ],
      initializers: [floatInitializer('w1', [8, 16], randomValues(128, next)), floatInitializer('w2', [16, 8], randomValues(128, next))],
      inputs: [makeValueInfo('x', DataType.FLOAT, ['n', 8])],
      outputs: [makeValueInfo('y', DataType.FLOAT, ['n', 8])],
    });
    const model = await openModel(proto);
    expect(() => findFfnBlocks(model)).toThrow(expect.objectContaining({ code: 'FFN_NOT_FOUND' }));
  });

  test('findFfnBlocks raises FFN_NOT_FOUND for two MatMuls in a row feeding a residual', async () => {
    const next = seededRandom(7);
    const proto = buildModel({
      nodes: [
        makeNode('MatMul', ['x', 'w1'], ['h'], 'fc1'),
        makeNode('MatMul', ['h', 'w2'], ['y'], 'fc2'),
        makeNode('Add', ['x', 'y'], ['out'], 'residual'),
      ],
      initializers: [floatInitializer('w1', [8, 16], randomValues(128, next)), floatInitializer('w2', [16, 8], randomValues(128, next))],
      inputs: [makeValueInfo('x', DataType.FLOAT, ['n', 8])],
      outputs: [makeValueInfo('out', DataType.FLOAT, ['n', 8])],
    });
    const model = await openModel(proto);
    expect(() => findFfnBlocks(model)).toThrow(expect.objectContaining({ code: 'FFN_NOT_FOUND' }));
  });
});
