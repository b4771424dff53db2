/**
 * stories260K-llama calibrated on three small text sets as the CLI calibrates it: per-set
 * statistics from random-offset windows, held-out windows from the end of each set, and
 * the masked next-token loss (with FLAP bias compensation) that the search minimizes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDataset, type TextDataset } from '../../src/core/data/dataset';
import type { SessionHandle } from '../../src/core/engine';
import { openTokenizer } from '../../src/cli/context';
import { calibrationWindows, DEFAULT_CALIBRATION_CONFIG, type CalibrationConfig } from '../../src/core/pipeline/calibration';
import { maskedLoss } from '../../src/core/pipeline/maskedLoss';
import { profileWindows } from '../../src/core/profile/profile';
import { summarizeWeights } from '../../src/core/profile/weights';
import type { LayerWeightSummary } from '../../src/core/prune/types';
import { createSession, type LoadedModel } from '../../src/core/run/loaded';
import { neuronMean } from '../../src/core/stats/moments';
import { poolStats } from '../../src/core/stats/poolStats';
import type { DatasetStats } from '../../src/core/stats/types';
import { createCompensator } from '../../src/core/surgery/compensation';
import { SHARED_DIR, loadFixture, testEngine } from '../helpers/fixtures';

export interface CalibratedFixture {
  loaded: LoadedModel;
  weights: LayerWeightSummary[];
  stats: DatasetStats[];
  heldOut: Int32Array[];
  /** Masked mean NLL on the held-out windows; `compensated` adds FLAP bias compensation. */
  loss(compensated: boolean): (masks: Uint8Array[]) => Promise<number>;
  release(): Promise<void>;
}

/** Small calibration so the whole file stays fast: 8 windows per set, 2 held out. */
export const TEST_CALIBRATION: CalibrationConfig = { ...DEFAULT_CALIBRATION_CONFIG, samples: 8, heldOutSamples: 2 };

/** Reads the first `characters` of a shared asset as a dataset. TinyStories keeps its story separators. */
function readPrefix(file: string, name: string, characters: number): TextDataset {
  const text = readFileSync(path.join(SHARED_DIR, 'assets', file), 'utf8').slice(0, characters);
  return parseDataset({ name, bytes: new TextEncoder().encode(text) });
}

export async function calibrateFixture(config: CalibrationConfig = TEST_CALIBRATION): Promise<CalibratedFixture> {
  const loaded = await loadFixture('stories260K-llama');
  const tokenizer = await openTokenizer(loaded);
  const engine = testEngine();
  const datasets = [
    readPrefix('tinystories-valid/validation_100.txt', 'tinystories', 40_000),
    readPrefix('wikitext-2/wiki.valid.tokens', 'wikitext-2-valid', 40_000),
    readPrefix('ptb/ptb.valid.txt', 'ptb-valid', 40_000),
  ];

  const statsSession = await createSession(engine, loaded, { stats: true, masks: false, nll: false, epsilon: config.epsilon });
  const stats: DatasetStats[] = [];
  const heldOut: Int32Array[] = [];
  try {
    for (const [i, dataset] of datasets.entries()) {
      const windows = calibrationWindows(dataset, tokenizer, config, i);
      stats.push(await profileWindows(statsSession, loaded, dataset.name, windows.profile, { batchSize: config.batchSize, epsilon: config.epsilon }));
      heldOut.push(...windows.heldOut);
    }
  } finally {
    await statsSession.release();
  }

  const masked: SessionHandle = await createSession(engine, loaded, { stats: false, masks: true, nll: true });
  const compensate = await createCompensator(loaded.model, loaded.anatomy.ffn, poolStats(stats).layers.map(neuronMean));
  return {
    loaded,
    weights: await summarizeWeights(loaded),
    stats,
    heldOut,
    loss: (compensated) => maskedLoss(masked, loaded, heldOut, { batchSize: config.batchSize, compensate: compensated ? compensate : undefined }),
    release: () => masked.release(),
  };
}
