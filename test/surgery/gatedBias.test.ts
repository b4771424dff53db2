import { describe, expect, test } from 'vitest';
import { MemorySink, memoryFiles, memorySource } from '../../src/core/onnx/files';
import { paramsPerNeuron } from '../../src/core/anatomy/analyze';
import { writeOnnxModel } from '../../src/core/onnx/write';
import { createSession, loadModel } from '../../src/core/run/loaded';
import { pruneModel } from '../../src/core/surgery/prune';
import { maxAbsDiff } from '../helpers/assertClose';
import { testEngine } from '../helpers/fixtures';
import { buildMlpDecoder, encodeModel, filesFromSink } from '../helpers/onnxGraph';
import { runWindows } from '../helpers/run';

const WIDTH = 20;
const HIDDEN = 12;
const windows = [
  [1, 5, 9, 2, 30, 17, 4],
  [3, 12, 7],
];

describe('gated FFN with gate and up biases', () => {
  test('anatomy records both biases and pruning slices them', async () => {
    const proto = buildMlpDecoder({ vocab: 32, hidden: HIDDEN, width: WIDTH, layers: 2, activation: 'relu', gated: true });
    const loaded = await loadModel(memoryFiles('gated', [memorySource('model.onnx', encodeModel(proto))]));
    for (const block of loaded.anatomy.ffn) {
      expect(block.kind).toBe('gated');
      expect(block.gateBias).toBe(`layers.${block.layer}.fc1.bias`);
      expect(block.upBias).toBe(`layers.${block.layer}.up.bias`);
      expect(paramsPerNeuron(block)).toBe(3 * HIDDEN + 2);
    }

    const masks = [0, 1].map((l) => Uint8Array.from({ length: WIDTH }, (_, j) => ((j + l) % 3 === 0 ? 0 : 1)));
    const pruned = await pruneModel(loaded, masks);
    const removed = masks.reduce((sum, m) => sum + m.filter((v) => v === 0).length, 0);
    expect(pruned.removedParameters).toBe(removed * (3 * HIDDEN + 2));

    const sink = new MemorySink();
    await writeOnnxModel(loaded.model, pruned.proto, sink, pruned.replaced);
    const reloaded = await loadModel(filesFromSink(sink));
    const engine = testEngine();
    const masked = await createSession(engine, loaded, { stats: false, masks: true, nll: false });
    const plain = await createSession(engine, reloaded);
    const a = await runWindows(masked, loaded, windows, ['logits'], { masks });
    const b = await runWindows(plain, reloaded, windows, ['logits']);
    expect(maxAbsDiff(a.outputs.logits.data as Float32Array, b.outputs.logits.data as Float32Array)).toBeLessThan(1e-5);
  });
});
