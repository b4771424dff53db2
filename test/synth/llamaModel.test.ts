import { describe, expect, test } from 'vitest';
import { analyzeModel } from '../../src/core/anatomy';
import { readOnnxModel } from '../../src/core/onnx/model';
import { memoryFiles, memorySource } from '../../src/core/onnx/files';
import { toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { LLAMA_PRESETS, type LlamaShape, buildLlamaModel, countParameters, planLlamaModel, presetShape } from '../../src/core/synth';
import { initializerValues, referenceLogits } from './reference';
import { emptyPast, floatValues, int64Tensor, logitsAt, openSession } from './session';

const tiny = LLAMA_PRESETS.tiny;
/** Tiny variants covering tied embeddings, Qwen2's q/k/v biases and no grouping of KV heads. */
const VARIANTS: LlamaShape[] = [
  tiny,
  { ...tiny, name: 'tiny-tied-bias', tiedEmbeddings: true, attentionBias: true, modelType: 'qwen2' },
  { ...tiny, name: 'tiny-mha', kvHeads: 4, layers: 1 },
];

/** Two sequences: the first left-padded by two positions, positions counted from the first real token. */
const IDS = [
  [0, 0, 17, 250, 3, 99],
  [5, 44, 301, 7, 12, 180],
];
const MASK = [
  [0, 0, 1, 1, 1, 1],
  [1, 1, 1, 1, 1, 1],
];
const POSITIONS = MASK.map((row) => {
  let next = 0;
  return row.map((m) => (m ? next++ : 0));
});

describe('buildLlamaModel', () => {
  test.each(VARIANTS)('buildLlamaModel($name) logits match a float64 reference', async (shape) => {
    const proto = buildLlamaModel(shape, { seed: 3, initStd: 0.1 });
    const session = await openSession(proto);
    const out = await session.run({ input_ids: int64Tensor(IDS), attention_mask: int64Tensor(MASK), position_ids: int64Tensor(POSITIONS) });
    const logits = floatValues(out.logits);
    expect(out.logits.dims).toEqual([2, 6, shape.vocab]);
    const weights = initializerValues(proto);
    for (let b = 0; b < IDS.length; b++) {
      const expected = referenceLogits(shape, weights, IDS[b], MASK[b], POSITIONS[b]);
      for (let t = 0; t < IDS[b].length; t++) {
        if (!MASK[b][t]) continue;
        const actual = logitsAt(logits, 6, shape.vocab, b, t);
        let maxDiff = 0;
        expected[t].forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - actual[i]))));
        expect(maxDiff, `sequence ${b} position ${t}`).toBeLessThan(1e-4);
      }
    }
    await session.release();
  });

  test('buildLlamaModel(float16) runs with finite logits close to float32', async () => {
    const feeds = { input_ids: int64Tensor(IDS), attention_mask: int64Tensor(MASK), position_ids: int64Tensor(POSITIONS) };
    const half = await openSession(buildLlamaModel(tiny, { dataType: 'float16', seed: 3, initStd: 0.1 }));
    const full = await openSession(buildLlamaModel(tiny, { dataType: 'float32', seed: 3, initStd: 0.1 }));
    const halfOut = await half.run(feeds);
    const fullLogits = floatValues((await full.run(feeds)).logits);
    expect(halfOut.logits.type).toBe('float16');
    const halfLogits = floatValues(halfOut.logits);
    expect(halfLogits.every(Number.isFinite)).toBe(true);
    let maxDiff = 0;
    halfLogits.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - fullLogits[i]))));
    expect(maxDiff).toBeLessThan(0.02);
  });

  test('buildLlamaModel with kvCache and an empty past equals the model without cache', async () => {
    const feeds = { input_ids: int64Tensor(IDS), attention_mask: int64Tensor(MASK), position_ids: int64Tensor(POSITIONS) };
    const plain = await openSession(buildLlamaModel(tiny, { seed: 5 }));
    const cached = await openSession(buildLlamaModel(tiny, { seed: 5, kvCache: true }));
    const a = floatValues((await plain.run(feeds)).logits);
    const out = await cached.run({ ...feeds, ...emptyPast(tiny, 2) });
    expect(Array.from(floatValues(out.logits))).toEqual(Array.from(a));
    expect(out['present.1.key'].dims).toEqual([2, tiny.kvHeads, 6, tiny.headDim]);
  });

  test('buildLlamaModel rejects a shape over the 2 GiB embedded limit', () => {
    expect(() => buildLlamaModel(LLAMA_PRESETS.big)).toThrow(/2 GiB/);
  });

  test('buildLlamaModel rejects invalid options and shapes', () => {
    expect(() => buildLlamaModel(tiny, { initStd: 0 })).toThrow(/initStd/);
    expect(() => buildLlamaModel({ ...tiny, kvHeads: 3 })).toThrow(/kvHeads/);
    expect(() => presetShape('llama-70b')).toThrow(/tiny/);
  });
});

describe('generated graph anatomy', () => {
  test.each(Object.values(LLAMA_PRESETS).flatMap((shape) => [{ shape, kvCache: false }, { shape, kvCache: true }]))(
    'analyzeModel($shape.name, kv $kvCache) finds every FFN block',
    async ({ shape, kvCache }) => {
      // Initializers without data: the anatomy pass reads only names, dims and types.
      const { proto } = planLlamaModel(shape, { kvCache });
      const model = await readOnnxModel(memoryFiles('synth', [memorySource('onnx/model.onnx', toBinary(ModelProtoSchema, proto))]));
      const anatomy = analyzeModel(model);
      expect(anatomy.ffn).toHaveLength(shape.layers);
      for (const [layer, block] of anatomy.ffn.entries()) {
        expect(block.layer).toBe(layer);
        expect(block.kind).toBe('gated');
        expect(block.width).toBe(shape.intermediate);
        expect(block.hidden).toBe(shape.hidden);
        expect(block.activation).toEqual(['Sigmoid', 'Mul']);
        expect(block.down.node).toBe(`/model/layers.${layer}/mlp/down_proj/MatMul`);
        expect(block.gate.initializer).toBe(`model.layers.${layer}.mlp.gate_proj.weight`);
        expect(block.up?.initializer).toBe(`model.layers.${layer}.mlp.up_proj.weight`);
      }
      expect(anatomy.totalParameters).toBe(countParameters(shape));
      expect(anatomy.vocabSize).toBe(shape.vocab);
      expect(anatomy.hasKvCache).toBe(kvCache);
      expect(anatomy.inputs.past).toHaveLength(kvCache ? 2 * shape.layers : 0);
    },
  );
});
