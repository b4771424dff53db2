import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SessionHandle } from '../../src/core/engine';
import { DataType, bytesToFloat32, dataTypeName } from '../../src/core/onnx/dtype';
import { MemorySink, memoryFiles, memorySource } from '../../src/core/onnx/files';
import { makeNode, makeValueInfo } from '../../src/core/onnx/graph';
import { findInitializer, readTensorBytes } from '../../src/core/onnx/tensor';
import { writeOnnxModel } from '../../src/core/onnx/write';
import { type LoadedModel, createSession, loadModel } from '../../src/core/run/loaded';
import { compensationBias } from '../../src/core/surgery/compensation';
import { DEFAULT_INSTRUMENT_OPTIONS } from '../../src/core/surgery/instrument';
import { statsOutput } from '../../src/core/surgery/names';
import { pruneModel } from '../../src/core/surgery/prune';
import { assertClose, maxAbsDiff } from '../helpers/assertClose';
import { testEngine } from '../helpers/fixtures';
import { buildMlpDecoder, buildModel, encodeModel, filesFromSink, floatInitializer, randomValues, seededRandom } from '../helpers/onnxGraph';
import { runWindows } from '../helpers/run';

const engine = testEngine();
const VOCAB = 32;
const HIDDEN = 16;
const WIDTH = 24;
const windows = [
  [1, 5, 9, 2, 30, 17, 4, 4, 11, 8],
  [3, 12, 7, 21, 6],
];

/** Logits as float32 whatever the model's output type. */
function logitsOf(data: unknown, dataType: DataType): Float32Array {
  if (dataType === DataType.FLOAT) return data as Float32Array;
  const half = data as Uint16Array;
  return bytesToFloat32(new Uint8Array(half.buffer, half.byteOffset, half.byteLength), DataType.FLOAT16);
}

// Tolerances: float16 ops round to 11 significant bits, and onnxruntime may fuse the GELU
// pattern differently in two graphs. Float16 activations of the instrumented graph and of
// a plain copy then differ by up to one unit in the last place (measured: 9.8e-4 relative).
// Masked and pruned float16 logits of size ~1–10 differ by a few units.
const CASES = [
  { name: 'float32', dataType: DataType.FLOAT, tolerance: 1e-5, statsTolerance: 1e-4 },
  { name: 'float16', dataType: DataType.FLOAT16, tolerance: 2e-2, statsTolerance: 4e-3 },
];

describe.each(CASES)('GELU MLP decoder in $name', ({ dataType, tolerance, statsTolerance }) => {
  const label = dataTypeName(dataType);
  let loaded: LoadedModel;
  let instrumented: SessionHandle;
  const masks = [0, 1, 2].map((l) => {
    const next = seededRandom(40 + l);
    const mask = Uint8Array.from({ length: WIDTH }, () => (next() < 0.6 ? 1 : 0));
    mask[0] = 1;
    return mask;
  });

  const logits = async (session: SessionHandle, model: LoadedModel, overrides = {}) => {
    const { outputs } = await runWindows(session, model, windows, ['logits'], overrides);
    return logitsOf(outputs.logits.data, dataType);
  };

  beforeAll(async () => {
    const proto = buildMlpDecoder({ vocab: VOCAB, hidden: HIDDEN, width: WIDTH, layers: 3, activation: 'gelu-erf', dataType, seed: 9 });
    loaded = await loadModel(memoryFiles('mlp', [memorySource('model.onnx', encodeModel(proto))]));
    instrumented = await createSession(engine, loaded, {});
  });

  afterAll(async () => {
    await instrumented.release();
  });

  test(`anatomy of the ${label} decoder records the element type`, () => {
    expect(loaded.anatomy.ffn.map((b) => b.activationType)).toEqual([dataType, dataType, dataType]);
  });

  test(`instrumented ${label} model with all-ones masks returns the original logits`, async () => {
    const plain = await createSession(engine, loaded);
    const expected = await logits(plain, loaded);
    await plain.release();
    expect(maxAbsDiff(await logits(instrumented, loaded), expected)).toBeLessThanOrEqual(1e-6);
  });

  test(`gprune_stats_L of the ${label} model sums the activations as float32`, async () => {
    const exposed = clone(ModelProtoSchema, loaded.model.proto);
    for (const block of loaded.anatomy.ffn) exposed.graph!.output.push(makeValueInfo(block.activationTensor, dataType));
    const probe = await createSession(engine, loaded, undefined, exposed);
    const activations = await runWindows(probe, loaded, windows, loaded.anatomy.ffn.map((b) => b.activationTensor));
    await probe.release();
    const stats = await runWindows(instrumented, loaded, windows, loaded.anatomy.ffn.map((b) => statsOutput(b.layer)));
    const { lengths, sequence } = activations.layout;

    for (const block of loaded.anatomy.ffn) {
      const x = logitsOf(activations.outputs[block.activationTensor].data, dataType);
      const expected = new Float64Array(4 * WIDTH);
      lengths.forEach((length, b) => {
        for (let t = 0; t < length; t++) {
          for (let j = 0; j < WIDTH; j++) {
            const v = x[(b * sequence + t) * WIDTH + j];
            expected[j] += v;
            expected[WIDTH + j] += v * v;
            expected[2 * WIDTH + j] += Math.abs(v);
            expected[3 * WIDTH + j] += Math.abs(v) > DEFAULT_INSTRUMENT_OPTIONS.epsilon ? 1 : 0;
          }
        }
      });
      assertClose(stats.outputs[statsOutput(block.layer)].data as Float32Array, expected, { rel: statsTolerance, abs: 1e-4, label: `layer ${block.layer} stats` });
    }
  });

  test(`pruneModel slices the ${label} fc1 bias and matches the masked model`, async () => {
    const pruned = await pruneModel(loaded, masks);
    const kept = masks.map((m) => m.reduce((a, b) => a + b, 0));
    expect(pruned.widths).toEqual(kept);
    expect(pruned.removedParameters).toBe(kept.reduce((sum, width) => sum + (WIDTH - width) * (2 * HIDDEN + 1), 0));

    const sink = new MemorySink();
    await writeOnnxModel(loaded.model, pruned.proto, sink, pruned.replaced);
    const reloaded = await loadModel(filesFromSink(sink));
    const fc1Bias = findInitializer(reloaded.model, 'layers.0.fc1.bias');
    expect(fc1Bias.dims.map(Number)).toEqual([kept[0]]);
    expect(fc1Bias.dataType).toBe(dataType);

    const session = await createSession(engine, reloaded);
    const actual = await logits(session, reloaded);
    await session.release();
    const expected = await logits(instrumented, loaded, { masks });
    assertClose(actual, expected, { abs: tolerance, rel: tolerance, label: 'logits' });
    expect(maxAbsDiff(await logits(instrumented, loaded), expected)).toBeGreaterThan(10 * tolerance);
  });

  test(`pruneModel folds ${label} bias compensation into the existing fc2 bias`, async () => {
    const next = seededRandom(77);
    const means = loaded.anatomy.ffn.map(() => Float64Array.from({ length: WIDTH }, () => next() - 0.3));
    const pruned = await pruneModel(loaded, masks, { meanActivation: means });
    const biases = await Promise.all(loaded.anatomy.ffn.map((b) => compensationBias(loaded.model, b, masks[b.layer], means[b.layer])));
    // The bias is added to fc2.bias in place: no new node, no new initializer.
    expect(pruned.proto.graph!.node.length).toBe(loaded.model.proto.graph!.node.length);
    expect(pruned.replaced.has('layers.0.fc2.bias')).toBe(true);

    const sink = new MemorySink();
    await writeOnnxModel(loaded.model, pruned.proto, sink, pruned.replaced);
    const reloaded = await loadModel(filesFromSink(sink));
    const newBias = bytesToFloat32(await readTensorBytes(reloaded.model, findInitializer(reloaded.model, 'layers.0.fc2.bias')), dataType);
    const oldBias = bytesToFloat32(await readTensorBytes(loaded.model, findInitializer(loaded.model, 'layers.0.fc2.bias')), dataType);
    assertClose(newBias, oldBias.map((v, d) => v + biases[0][d]), { abs: tolerance, rel: tolerance, label: 'fc2 bias' });

    const session = await createSession(engine, reloaded);
    const actual = await logits(session, reloaded);
    await session.release();
    const expected = await logits(instrumented, loaded, { masks, biases });
    assertClose(actual, expected, { abs: tolerance, rel: tolerance, label: 'logits' });
  });
});

describe('pruneModel with value_info', () => {
  test('pruneModel drops value_info whose neuron axis changed', async () => {
    const proto = buildMlpDecoder({ vocab: VOCAB, hidden: HIDDEN, width: WIDTH, layers: 2, activation: 'gelu-erf', seed: 4 });
    // Shapes for every intermediate tensor, as exporters record them: fc1, its bias Add and the activation ops run over neurons.
    const overNeurons = /\/(fc1|fc1_bias|act.*)$/;
    const graph = proto.graph!;
    for (const node of graph.node) {
      for (const output of node.output) {
        if (output !== 'logits') graph.valueInfo.push(makeValueInfo(output, DataType.FLOAT, ['batch_size', 'sequence_length', overNeurons.test(output) ? WIDTH : HIDDEN]));
      }
    }
    const loaded = await loadModel(memoryFiles('mlp', [memorySource('model.onnx', encodeModel(proto))]));
    const masks = loaded.anatomy.ffn.map(() => Uint8Array.from({ length: WIDTH }, (_, j) => j % 2));
    const pruned = await pruneModel(loaded, masks);

    const kept = pruned.proto.graph!.valueInfo.map((v) => v.name);
    expect(kept.filter((name) => overNeurons.test(name))).toEqual([]);
    expect(kept).toEqual(expect.arrayContaining(['layers.0/fc2', 'layers.0/out', 'layers.1/norm']));

    const sink = new MemorySink();
    await writeOnnxModel(loaded.model, pruned.proto, sink, pruned.replaced);
    const reloaded = await loadModel(filesFromSink(sink));
    const session = await createSession(engine, reloaded);
    const instrumented = await createSession(engine, loaded, {});
    const expected = await runWindows(instrumented, loaded, windows, ['logits'], { masks });
    const actual = await runWindows(session, reloaded, windows, ['logits']);
    await session.release();
    await instrumented.release();
    assertClose(actual.outputs.logits.data as Float32Array, expected.outputs.logits.data as Float32Array, { abs: 1e-5, label: 'logits' });
  });
});

describe('pruneModel on Gemm projections', () => {
  test('pruneModel slices the C input of a Gemm fc1', async () => {
    const next = seededRandom(12);
    const proto = buildModel({
      nodes: [
        makeNode('Gather', ['embed', 'input_ids'], ['h'], 'embed'),
        makeNode('Gemm', ['h', 'fc1.weight', 'fc1.bias'], ['u'], 'fc1', { transB: 1 }),
        makeNode('Relu', ['u'], ['a'], 'act'),
        makeNode('Gemm', ['a', 'fc2.weight', 'fc2.bias'], ['d'], 'fc2', { transB: 1 }),
        makeNode('Add', ['h', 'd'], ['out'], 'residual'),
        makeNode('MatMul', ['out', 'lm_head'], ['logits'], 'lm_head'),
      ],
      initializers: [
        floatInitializer('embed', [VOCAB, HIDDEN], randomValues(VOCAB * HIDDEN, next)),
        floatInitializer('fc1.weight', [WIDTH, HIDDEN], randomValues(WIDTH * HIDDEN, next, 0.5)),
        floatInitializer('fc1.bias', [WIDTH], randomValues(WIDTH, next, 0.5)),
        floatInitializer('fc2.weight', [HIDDEN, WIDTH], randomValues(WIDTH * HIDDEN, next, 0.5)),
        floatInitializer('fc2.bias', [HIDDEN], randomValues(HIDDEN, next, 0.5)),
        floatInitializer('lm_head', [HIDDEN, VOCAB], randomValues(VOCAB * HIDDEN, next, 0.5)),
      ],
      // Gemm takes 2-D inputs, so this graph runs over a flat list of tokens.
      inputs: [makeValueInfo('input_ids', DataType.INT64, ['tokens'])],
      outputs: [makeValueInfo('logits', DataType.FLOAT, ['tokens', VOCAB])],
    });
    const loaded = await loadModel(memoryFiles('gemm', [memorySource('model.onnx', encodeModel(proto))]));
    const [block] = loaded.anatomy.ffn;
    expect(block.upBias).toBe('fc1.bias');
    expect(block.downBias).toBeUndefined();

    const mask = Float32Array.from({ length: WIDTH }, (_, j) => (j % 3 === 0 ? 0 : 1));
    const pruned = await pruneModel(loaded, [mask]);
    const sink = new MemorySink();
    await writeOnnxModel(loaded.model, pruned.proto, sink, pruned.replaced);
    const reloaded = await loadModel(filesFromSink(sink));
    expect(findInitializer(reloaded.model, 'fc1.bias').dims.map(Number)).toEqual([pruned.widths[0]]);

    const ids = { type: 'int64' as const, data: BigInt64Array.from([3n, 1n, 30n, 7n]), dims: [4] };
    const instrumented = await createSession(engine, loaded, { stats: false, nll: false });
    const expected = await instrumented.run({ input_ids: ids, gprune_mask_0: { type: 'float32', data: mask, dims: [WIDTH] }, gprune_bias_0: { type: 'float32', data: new Float32Array(HIDDEN), dims: [HIDDEN] } }, ['logits']);
    const session = await createSession(engine, reloaded);
    const actual = await session.run({ input_ids: ids }, ['logits']);
    await instrumented.release();
    await session.release();
    assertClose(actual.logits.data as Float32Array, expected.logits.data as Float32Array, { abs: 1e-5, label: 'logits' });
  });
});
