/**
 * Calibration windows: random-offset windows (Wanda/FLAP style) drawn with a seed from the
 * concatenated tokens of one dataset.
 */
import type { TextDataset } from '../data/dataset';
import { DOCUMENT_JOINER, tokenizeLongText } from '../data/longText';
import { sampleWindows } from '../data/sample';
import type { TextTokenizer } from '../data/tokenizer';
import { GpruneError } from '../errors';

export interface CalibrationConfig {
  /** Windows drawn per dataset. @defaultValue 64 */
  samples: number;
  /** Tokens per window, BOS included. @defaultValue 128 */
  seqlen: number;
  /** Seed of the window offsets. @defaultValue 0 */
  seed: number;
  /** Windows per onnxruntime run. @defaultValue 8 */
  batchSize: number;
  /** ε of the activation-frequency count F = #{|x| > ε}. @defaultValue 1e-3 */
  epsilon: number;
}

export const DEFAULT_CALIBRATION_CONFIG: Readonly<CalibrationConfig> = Object.freeze({ samples: 64, seqlen: 128, seed: 0, batchSize: 8, epsilon: 1e-3 });

export function validateCalibrationConfig(config: CalibrationConfig): void {
  const check = (name: keyof CalibrationConfig, ok: boolean, expected: string) => {
    if (!ok) throw new GpruneError('INVALID_CONFIG', `Calibration ${name} ${config[name]} is invalid: expected ${expected}.`);
  };
  check('samples', Number.isInteger(config.samples) && config.samples >= 1, 'an integer ≥ 1');
  check('seqlen', Number.isInteger(config.seqlen) && config.seqlen >= 2, 'an integer ≥ 2');
  check('seed', Number.isInteger(config.seed) && config.seed >= 0, 'a non-negative integer');
  check('batchSize', Number.isInteger(config.batchSize) && config.batchSize >= 1, 'an integer ≥ 1');
  check('epsilon', Number.isFinite(config.epsilon) && config.epsilon >= 0, 'a number ≥ 0');
}

/** A one-line statement of how calibration windows were drawn. */
export function calibrationProtocol(config: CalibrationConfig, bos: boolean): string {
  return `${config.samples} windows of ${config.seqlen} tokens per dataset at random offsets of the concatenated documents (seed ${config.seed})${bos ? ', each starting with BOS' : ''}`;
}

export function calibrationWindows(dataset: TextDataset, tokenizer: TextTokenizer, config: CalibrationConfig, seedOffset = 0): Int32Array[] {
  const { ids } = tokenizeLongText(dataset.documents.join(DOCUMENT_JOINER), tokenizer);
  return sampleWindows(ids, config.samples, config.seqlen, config.seed + seedOffset, tokenizer.bosId);
}
