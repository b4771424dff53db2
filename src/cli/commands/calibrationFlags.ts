/**
 * Calibration flags shared by profile and prune, mapped onto CalibrationConfig.
 */
import os from 'node:os';
import { numberOption } from '../args';
import { type CalibrationConfig, DEFAULT_CALIBRATION_CONFIG, validateCalibrationConfig } from '../../core/pipeline/calibration';
import { DEFAULT_MEMORY_BUDGET, batchMemoryFacts, chooseBatchSize } from '../../core/run/batchSize';
import type { LoadedModel } from '../../core/run/loaded';

const d = DEFAULT_CALIBRATION_CONFIG;

export const calibrationOptions = {
  samples: { type: 'string', value: 'N', description: 'Calibration windows per dataset.', default: String(d.samples) },
  'calib-seqlen': { type: 'string', value: 'N', description: 'Tokens per calibration window, BOS included.', default: String(d.seqlen) },
  seed: { type: 'string', value: 'N', description: 'Seed of window sampling and seeded methods.', default: String(d.seed) },
  'batch-size': { type: 'string', value: 'N|auto', description: 'Windows per onnxruntime run; auto sizes it from free memory and the model\'s shapes.', default: String(d.batchSize) },
  epsilon: { type: 'string', value: 'X', description: 'ε of the activation-frequency count #{|x| > ε}.', default: String(d.epsilon) },
  'held-out': { type: 'string', value: 'R', description: 'Share of each calibration dataset held out of the statistics for the search loss.', default: String(d.heldOutFraction) },
  'held-out-samples': { type: 'string', value: 'N', description: 'Held-out windows per calibration dataset.', default: String(d.heldOutSamples) },
} as const;

export function readCalibration(options: Record<string, string | boolean | undefined>): CalibrationConfig {
  const text = (name: string) => options[name] as string | undefined;
  const config: CalibrationConfig = {
    samples: numberOption('samples', text('samples'), d.samples, { min: 1, max: 1e6, integer: true }),
    seqlen: numberOption('calib-seqlen', text('calib-seqlen'), d.seqlen, { min: 2, max: 1 << 20, integer: true }),
    seed: numberOption('seed', text('seed'), d.seed, { min: 0, max: 2 ** 31 - 1, integer: true }),
    // 'auto' is resolved by autoBatchSize once the model is loaded.
    batchSize: text('batch-size') === 'auto' ? d.batchSize : numberOption('batch-size', text('batch-size'), d.batchSize, { min: 1, max: 4096, integer: true }),
    epsilon: numberOption('epsilon', text('epsilon'), d.epsilon, { min: 0 }),
    heldOutFraction: numberOption('held-out', text('held-out'), d.heldOutFraction, { min: 0, max: 1, maxExclusive: true }),
    heldOutSamples: numberOption('held-out-samples', text('held-out-samples'), d.heldOutSamples, { min: 0, max: 1e5, integer: true }),
  };
  validateCalibrationConfig(config);
  return config;
}

/**
 * Returns the calibration config with `--batch-size auto` resolved: the largest batch whose
 * estimated activations fit in a quarter of the free memory (at most 1 GiB).
 */
export function autoBatchSize(options: Record<string, string | boolean | undefined>, calibration: CalibrationConfig, loaded: LoadedModel): CalibrationConfig {
  if (options['batch-size'] !== 'auto') return calibration;
  const budget = Math.min(DEFAULT_MEMORY_BUDGET, os.freemem() / 4);
  const batchSize = chooseBatchSize(batchMemoryFacts(loaded, calibration.seqlen), budget, { windows: calibration.samples });
  return { ...calibration, batchSize };
}
