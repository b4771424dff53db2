import { describe, expect, it } from 'vitest';
import { fitAdvice } from '../../src/app/actions/fitAdvice';
import { inspectModel } from '../../src/core/api';
import { DEFAULT_CALIBRATION_CONFIG } from '../../src/core/pipeline/calibration';
import { LLAMA_PRESETS, countParameters, llamaModelFiles } from '../../src/core/synth';
import { deviceLimits, estimateProfile } from '../../workers/studio/profileEstimate';
import { newService, tinyModelInput } from './synthInput';

const shape = LLAMA_PRESETS.tiny;
const calibration = { ...DEFAULT_CALIBRATION_CONFIG, samples: 4, seqlen: 32, batchSize: 2 };

describe('profile estimate', () => {
  it('estimateProfile() counts the windows and the weights of the model', async () => {
    const loaded = await inspectModel(llamaModelFiles(shape));
    const estimate = estimateProfile(loaded, { datasets: ['a', 'b'], calibration }, { engine: 'wasm' }, 2);
    expect(estimate.windows).toBe(8);
    expect(estimate.tokens).toBe(8 * 32);
    expect(estimate.memory.weightBytes).toBe(countParameters(shape) * 4);
    expect(estimate.largestTensorBytes).toBe(shape.vocab * shape.hidden * 4);
    expect(estimate.seconds).toBeGreaterThan(0);
    expect(estimate.problems).toEqual([]);
    expect(estimate.fittingBatchSize).toBe(calibration.batchSize);
  });

  it('estimateProfile() flags the WASM heap and offers a batch that fits', async () => {
    const loaded = await inspectModel(llamaModelFiles(shape));
    const huge = { ...calibration, seqlen: 8192, batchSize: 4096 };
    const estimate = estimateProfile(loaded, { datasets: ['a'], calibration: huge }, { engine: 'wasm' }, 2);
    expect(estimate.problems.map((p) => p.id)).toContain('wasm-memory');
    const advice = fitAdvice(estimate);
    expect(advice.needsConfirmation).toBe(true);
    expect(advice.lowerBatchTo).toBeGreaterThan(0);
    expect(advice.lowerBatchTo).toBeLessThan(huge.batchSize);

    const lowered = estimateProfile(loaded, { datasets: ['a'], calibration: { ...huge, batchSize: advice.lowerBatchTo! } }, { engine: 'wasm' }, 2);
    expect(fitAdvice(lowered).problems).toEqual([]);
    const above = estimateProfile(loaded, { datasets: ['a'], calibration: { ...huge, batchSize: advice.lowerBatchTo! + 1 } }, { engine: 'wasm' }, 2);
    expect(fitAdvice(above).problems).not.toEqual([]);
  });

  it('estimateProfile() checks weights against a small WebGPU buffer limit', async () => {
    const loaded = await inspectModel(llamaModelFiles(shape));
    const largest = shape.vocab * shape.hidden * 4;
    const estimate = estimateProfile(loaded, { datasets: ['a'], calibration }, { engine: 'webgpu', maxBufferSize: largest - 1, maxStorageBufferBindingSize: 2 ** 30 }, 1);
    expect(estimate.problems.map((p) => p.id)).toEqual(['tensor-over-max-buffer']);
    expect(estimate.fittingBatchSize).toBe(0);
    expect(fitAdvice(estimate).lowerBatchTo).toBeNull();
  });

  it('deviceLimits() maps the engine backends', async () => {
    expect(await deviceLimits({ backend: 'node' })).toEqual({ engine: 'onnxruntime-node' });
    expect(await deviceLimits({ backend: 'wasm' })).toEqual({ engine: 'wasm' });
    expect((await deviceLimits({ backend: 'webgpu' })).engine).toBe('webgpu');
  });

  it('StudioService.estimateProfile() needs a model, then estimates on the engine', async () => {
    const service = newService();
    await expect(service.estimateProfile({ datasets: ['a'], calibration })).rejects.toThrow(/No model is loaded/);
    await service.openModel({ kind: 'files', label: 'tiny', files: await tinyModelInput() }, 1);
    const estimate = await service.estimateProfile({ datasets: ['a', 'b', 'c'], calibration });
    expect(estimate.device).toBe('onnxruntime-node');
    expect(estimate.windows).toBe(12);
  });
});
