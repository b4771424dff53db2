import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SessionHandle } from '../../src/core/engine';
import { DataType } from '../../src/core/onnx/dtype';
import { makeValueInfo } from '../../src/core/onnx/graph';
import { type LoadedModel, createSession } from '../../src/core/run/loaded';
import { DEFAULT_INSTRUMENT_OPTIONS, instrumentModel } from '../../src/core/surgery/instrument';
import { TOKEN_COUNT, biasInput, maskInput, statsOutput } from '../../src/core/surgery/names';
import { assertClose, maxAbsDiff } from '../helpers/assertClose';
import { FIXTURES, type FixtureName, loadFixture, readReference, testEngine } from '../helpers/fixtures';
import { promptWindows, runWindows } from '../helpers/run';

const engine = testEngine();
const windows = promptWindows(readReference('stories260K-llama').prompt_ids_with_bos);

/** Σx, Σx², Σ|x| and #{|x| > ε} per neuron over the real (non-padding) tokens, in float64. */
function statsByHand(activations: Float32Array, lengths: number[], sequence: number, width: number, epsilon: number): Float64Array[] {
  const sums = [0, 1, 2, 3].map(() => new Float64Array(width));
  lengths.forEach((length, b) => {
    for (let t = 0; t < length; t++) {
      const row = (b * sequence + t) * width;
      for (let j = 0; j < width; j++) {
        const x = activations[row + j];
        sums[0][j] += x;
        sums[1][j] += x * x;
        sums[2][j] += Math.abs(x);
        if (Math.abs(x) > epsilon) sums[3][j] += 1;
      }
    }
  });
  return sums;
}

describe.each(FIXTURES)('instrumentModel on %s', (name: FixtureName) => {
  let loaded: LoadedModel;
  let plain: SessionHandle;
  let instrumented: SessionHandle;

  beforeAll(async () => {
    loaded = await loadFixture(name);
    plain = await createSession(engine, loaded);
    instrumented = await createSession(engine, loaded, {});
  });

  afterAll(async () => {
    await plain.release();
    await instrumented.release();
  });

  test('instrumentModel adds mask, bias, stats and NLL inputs and outputs', () => {
    for (const block of loaded.anatomy.ffn) {
      expect(instrumented.inputNames).toContain(maskInput(block.layer));
      expect(instrumented.inputNames).toContain(biasInput(block.layer));
      expect(instrumented.outputNames).toContain(statsOutput(block.layer));
    }
    expect(instrumented.inputNames).toEqual(expect.arrayContaining(['gprune_token_weight', 'gprune_labels']));
    expect(instrumented.outputNames).toEqual(expect.arrayContaining(['gprune_nll', TOKEN_COUNT, ...plain.outputNames]));
  });

  test('instrumented model with all-ones masks and zero biases returns the original outputs', async () => {
    const fetches = [...plain.outputNames];
    const before = await runWindows(plain, loaded, windows, fetches);
    const after = await runWindows(instrumented, loaded, windows, fetches);
    for (const output of fetches) {
      const diff = maxAbsDiff(after.outputs[output].data as Float32Array, before.outputs[output].data as Float32Array);
      expect(diff, output).toBeLessThanOrEqual(1e-6);
      expect(after.outputs[output].dims, output).toEqual(before.outputs[output].dims);
    }
    if (loaded.anatomy.hasKvCache) expect(fetches.filter((o) => o.startsWith('present.'))).toHaveLength(10);
  });

  test('gprune_stats_L equals sums of the activation tensor over real tokens', async () => {
    // A plain copy that exposes every block's activation tensor as an output.
    const exposed = clone(ModelProtoSchema, loaded.model.proto);
    for (const block of loaded.anatomy.ffn) exposed.graph!.output.push(makeValueInfo(block.activationTensor, DataType.FLOAT));
    const probe = await createSession(engine, loaded, undefined, exposed);
    const activations = await runWindows(probe, loaded, windows, loaded.anatomy.ffn.map((b) => b.activationTensor));
    await probe.release();
    const stats = await runWindows(instrumented, loaded, windows, [TOKEN_COUNT, ...loaded.anatomy.ffn.map((b) => statsOutput(b.layer))]);
    const { lengths, sequence } = activations.layout;
    expect(lengths[0]).not.toBe(lengths[1]);

    expect(Number((stats.outputs[TOKEN_COUNT].data as Float32Array)[0])).toBe(lengths[0] + lengths[1]);
    for (const block of loaded.anatomy.ffn) {
      const x = activations.outputs[block.activationTensor].data as Float32Array;
      const expected = statsByHand(x, lengths, sequence, block.width, DEFAULT_INSTRUMENT_OPTIONS.epsilon);
      const output = stats.outputs[statsOutput(block.layer)];
      expect(output.dims).toEqual([4, block.width]);
      const sums = output.data as Float32Array;
      const row = (k: number) => sums.subarray(k * block.width, (k + 1) * block.width);
      const label = (what: string) => `layer ${block.layer} ${what}`;
      // Σx cancels, so its tolerance is relative to Σ|x| of the same neuron.
      const s1Tolerance = expected[2].map((a1) => 1e-4 * a1);
      for (let j = 0; j < block.width; j++) {
        expect(Math.abs(row(0)[j] - expected[0][j]), `${label('Σx')}[${j}]`).toBeLessThanOrEqual(s1Tolerance[j] + 1e-7);
      }
      assertClose(row(1), expected[1], { rel: 1e-4, abs: 1e-7, label: label('Σx²') });
      assertClose(row(2), expected[2], { rel: 1e-4, abs: 1e-7, label: label('Σ|x|') });
      assertClose(row(3), expected[3], { label: label('#{|x| > ε}') });
    }
  });

  test('gprune_stats_L measures activations before the mask', async () => {
    const fetches = loaded.anatomy.ffn.map((b) => statsOutput(b.layer));
    const width = loaded.anatomy.ffn[0].width;
    const zeroFirstLayer = { masks: [new Float32Array(width)] };
    const open = await runWindows(instrumented, loaded, windows, fetches);
    const masked = await runWindows(instrumented, loaded, windows, fetches, zeroFirstLayer);
    expect(maxAbsDiff(masked.outputs[statsOutput(0)].data as Float32Array, open.outputs[statsOutput(0)].data as Float32Array)).toBe(0);
    // Layer 1 reads the changed residual stream.
    expect(maxAbsDiff(masked.outputs[statsOutput(1)].data as Float32Array, open.outputs[statsOutput(1)].data as Float32Array)).toBeGreaterThan(0);
  });

  test('gprune_bias_L shifts the down projection output', async () => {
    const hidden = loaded.anatomy.ffn[0].hidden;
    const logits = loaded.anatomy.logits;
    const open = await runWindows(instrumented, loaded, windows, [logits]);
    const biased = await runWindows(instrumented, loaded, windows, [logits], { biases: [new Float32Array(hidden).fill(0.5)] });
    expect(maxAbsDiff(biased.outputs[logits].data as Float32Array, open.outputs[logits].data as Float32Array)).toBeGreaterThan(1e-3);
  });
});

describe('instrumentModel options', () => {
  test('instrumentModel without stats and masks adds only the NLL output', async () => {
    const loaded = await loadFixture('stories260K-llama');
    const proto = instrumentModel(loaded.model.proto, loaded.anatomy, { stats: false, masks: false });
    const graph = proto.graph!;
    expect(graph.input.map((i) => i.name)).toEqual(['input_ids', 'attention_mask', 'position_ids', 'gprune_labels']);
    expect(graph.output.map((o) => o.name)).toEqual(['logits', 'gprune_nll']);
    // The input proto is left unchanged.
    expect(loaded.model.proto.graph!.input.map((i) => i.name)).toEqual(['input_ids', 'attention_mask', 'position_ids']);
  });

  test('instrumentModel raises UNSUPPORTED_OPERATOR below opset 11', async () => {
    const loaded = await loadFixture('stories260K-llama');
    expect(() => instrumentModel(loaded.model.proto, { ...loaded.anatomy, opset: 10 })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_OPERATOR' }));
  });
});
