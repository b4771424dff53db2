/**
 * The model side of the benchmark: one statistics session to profile calibration windows
 * and one mask session that scores every candidate (search loss and perplexity) through
 * the mask and bias inputs, as the CLI does.
 */
import type { TextDataset } from '../../src/core/data/dataset';
import type { TextTokenizer } from '../../src/core/data/tokenizer';
import type { SessionHandle } from '../../src/core/engine';
import { meanNll } from '../../src/core/eval/perplexity';
import { calibrationWindows, type CalibrationConfig } from '../../src/core/pipeline/calibration';
import { maskedLoss } from '../../src/core/pipeline/maskedLoss';
import { summarizeWeights } from '../../src/core/profile/weights';
import { profileWindows } from '../../src/core/profile/profile';
import type { LayerWeightSummary } from '../../src/core/prune/types';
import { createSession, type LoadedModel } from '../../src/core/run/loaded';
import { neuronMean } from '../../src/core/stats/moments';
import { poolStats } from '../../src/core/stats/poolStats';
import type { DatasetStats } from '../../src/core/stats/types';
import { createCompensator } from '../../src/core/surgery/compensation';
import type { Engine } from '../../src/core/engine';
import type { EvalSet } from './data';

/** Calibration of one dataset: its statistics and its held-out windows for the search loss. */
export interface Calibrated {
  stats: DatasetStats;
  heldOut: Int32Array[];
}

/** Returns biases [layer][hidden] of FLAP bias compensation for a candidate's masks. */
export type Compensate = (masks: Uint8Array[]) => Float32Array[];

export interface Harness {
  loaded: LoadedModel;
  weights: LayerWeightSummary[];
  /** Profiles each dataset's calibration windows (the i-th dataset offsets the seed, as the CLI does). */
  calibrate(datasets: TextDataset[], config: CalibrationConfig): Promise<Calibrated[]>;
  /** FLAP bias compensation from the pooled mean activations of `stats`. */
  compensator(stats: DatasetStats[]): Promise<Compensate>;
  /** Mean next-token NLL (nats) of a candidate on `windows`, the search loss. */
  lossFn(windows: Int32Array[], compensate?: Compensate): (masks: Uint8Array[]) => Promise<number>;
  /** Perplexity of a candidate on every evaluation set, by set name. */
  perplexities(sets: EvalSet[], masks: Uint8Array[], compensate?: Compensate): Promise<Record<string, number>>;
  release(): Promise<void>;
}

export async function createHarness(engine: Engine, loaded: LoadedModel, tokenizer: TextTokenizer, batchSize: number): Promise<Harness> {
  const masked: SessionHandle = await createSession(engine, loaded, { stats: false, masks: true, nll: true });
  const weights = await summarizeWeights(loaded);
  let statsSession: SessionHandle | null = null;
  let statsEpsilon = Number.NaN;

  return {
    loaded,
    weights,
    async calibrate(datasets, config) {
      if (statsSession === null || statsEpsilon !== config.epsilon) {
        await statsSession?.release();
        statsSession = await createSession(engine, loaded, { stats: true, masks: false, nll: false, epsilon: config.epsilon });
        statsEpsilon = config.epsilon;
      }
      const out: Calibrated[] = [];
      for (const [i, dataset] of datasets.entries()) {
        const windows = calibrationWindows(dataset, tokenizer, config, i);
        const stats = await profileWindows(statsSession, loaded, dataset.name, windows.profile, { batchSize: config.batchSize, epsilon: config.epsilon });
        out.push({ stats, heldOut: windows.heldOut });
      }
      return out;
    },
    async compensator(stats) {
      const pooled = poolStats(stats);
      return createCompensator(loaded.model, loaded.anatomy.ffn, pooled.layers.map(neuronMean));
    },
    lossFn(windows, compensate) {
      return maskedLoss(masked, loaded, windows, { batchSize, compensate });
    },
    async perplexities(sets, masks, compensate) {
      const biases = compensate?.(masks);
      const out: Record<string, number> = {};
      for (const set of sets) {
        out[set.name] = (await meanNll(masked, loaded, set.windows, { batchSize, overrides: { masks, biases } })).perplexity;
      }
      return out;
    },
    async release() {
      await masked.release();
      await statsSession?.release();
    },
  };
}

/** Masks that keep every neuron. */
export function denseMasks(weights: readonly LayerWeightSummary[]): Uint8Array[] {
  return weights.map((layer) => new Uint8Array(layer.width).fill(1));
}
