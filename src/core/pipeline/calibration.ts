/**
 * Calibration windows. Each dataset's tokens are split by position: the first part feeds
 * the statistics (random-offset windows, Wanda/FLAP style), the last part gives held-out
 * windows for the sparsity search's loss, so the two never share a token.
 */
import type { TextDataset } from '../data/dataset';
import { DOCUMENT_JOINER, tokenizeLongText } from '../data/longText';
import { sampleWindows } from '../data/sample';
import type { TextTokenizer } from '../data/tokenizer';
import { GpruneError } from '../errors';

export interface CalibrationConfig {
  /** Windows drawn per dataset for the statistics. @defaultValue 64 */
  samples: number;
  /** Tokens per window, BOS included. @defaultValue 128 */
  seqlen: number;
  /** Seed of the window offsets. @defaultValue 0 */
  seed: number;
  /** Windows per onnxruntime run. @defaultValue 8 */
  batchSize: number;
  /** ε of the activation-frequency count F = #{|x| > ε}. @defaultValue 1e-3 */
  epsilon: number;
  /** Share of each dataset's tokens (its end) kept out of the statistics for held-out windows, a ratio 0–1. @defaultValue 0.2 */
  heldOutFraction: number;
  /** Held-out windows per dataset for the search loss. @defaultValue 8 */
  heldOutSamples: number;
}

export const DEFAULT_CALIBRATION_CONFIG: Readonly<CalibrationConfig> = Object.freeze({ samples: 64, seqlen: 128, seed: 0, batchSize: 8, epsilon: 1e-3, heldOutFraction: 0.2, heldOutSamples: 8 });

export function validateCalibrationConfig(config: CalibrationConfig): void {
  const check = (name: keyof CalibrationConfig, ok: boolean, expected: string) => {
    if (!ok) throw new GpruneError('INVALID_CONFIG', `Calibration ${name} ${config[name]} is invalid: expected ${expected}.`);
  };
  check('samples', Number.isInteger(config.samples) && config.samples >= 1, 'an integer ≥ 1');
  check('seqlen', Number.isInteger(config.seqlen) && config.seqlen >= 2, 'an integer ≥ 2');
  check('seed', Number.isInteger(config.seed) && config.seed >= 0, 'a non-negative integer');
  check('batchSize', Number.isInteger(config.batchSize) && config.batchSize >= 1, 'an integer ≥ 1');
  check('epsilon', Number.isFinite(config.epsilon) && config.epsilon >= 0, 'a number ≥ 0');
  check('heldOutFraction', config.heldOutFraction >= 0 && config.heldOutFraction < 1, 'a ratio in [0, 1)');
  check('heldOutSamples', Number.isInteger(config.heldOutSamples) && config.heldOutSamples >= 0, 'a non-negative integer');
}

/** Returns a one-line statement of how calibration windows were drawn. */
export function calibrationProtocol(config: CalibrationConfig, bos: boolean): string {
  const heldOut = config.heldOutFraction > 0 ? `; the last ${Math.round(config.heldOutFraction * 100)}% of each dataset's tokens is held out (${config.heldOutSamples} windows per dataset for the search loss)` : '';
  return `${config.samples} windows of ${config.seqlen} tokens per dataset at random offsets of the concatenated documents (seed ${config.seed})${bos ? ', each starting with BOS' : ''}${heldOut}`;
}

export interface CalibrationWindows {
  /** Windows for the statistics. */
  profile: Int32Array[];
  /** Windows for the search loss, from tokens the statistics never saw. */
  heldOut: Int32Array[];
}

/** Draws the statistics and held-out windows of one dataset (the `index`-th, which offsets the seed). */
export function calibrationWindows(dataset: TextDataset, tokenizer: TextTokenizer, config: CalibrationConfig, index = 0): CalibrationWindows {
  const { ids } = tokenizeLongText(dataset.documents.join(DOCUMENT_JOINER), tokenizer);
  const split = Math.round(ids.length * (1 - config.heldOutFraction));
  const seed = config.seed + 7919 * index;
  let profile: Int32Array[];
  try {
    profile = sampleWindows(ids.subarray(0, split), config.samples, config.seqlen, seed, tokenizer.bosId);
  } catch (cause) {
    throw new GpruneError('DATASET_EMPTY', `Dataset ${dataset.name} is too short for calibration: ${(cause as Error).message.replace(/ Use a smaller seqlen.*$/, '')} Use a shorter calibration window (seqlen ${config.seqlen}) or a longer dataset.`, { cause });
  }
  const heldOutTokens = ids.length - split;
  const heldOut = heldOutTokens >= 2 && config.heldOutSamples > 0 ? sampleWindows(ids.subarray(split), config.heldOutSamples, Math.min(config.seqlen, heldOutTokens), seed + 1, tokenizer.bosId) : [];
  return { profile, heldOut };
}
