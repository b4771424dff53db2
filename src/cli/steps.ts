/**
 * Steps the prune, profile and eval commands share: profiling several datasets and
 * measuring perplexity on several datasets, with progress on the terminal.
 */
import type { TextDataset } from '../core/data/dataset';
import type { TextTokenizer } from '../core/data/tokenizer';
import { makeWindows } from '../core/data/windows';
import { meanNll, type NllResult } from '../core/eval/perplexity';
import { calibrationWindows, type CalibrationConfig } from '../core/pipeline/calibration';
import { profileWindows } from '../core/profile/profile';
import type { LayerOverrides } from '../core/run/feeds';
import { type LoadedModel, createSession } from '../core/run/loaded';
import type { DatasetStats } from '../core/stats/types';
import type { CliContext } from './main';

/** Profiles each dataset; also returns the held-out windows of all of them (the search loss mixture). */
export async function profileDatasets(ctx: CliContext, loaded: LoadedModel, tokenizer: TextTokenizer, datasets: TextDataset[], calibration: CalibrationConfig): Promise<{ stats: DatasetStats[]; heldOut: Int32Array[] }> {
  const session = await createSession(ctx.engine(), loaded, { stats: true, masks: false, nll: false, epsilon: calibration.epsilon });
  try {
    const stats: DatasetStats[] = [];
    const heldOut: Int32Array[] = [];
    for (const [i, dataset] of datasets.entries()) {
      const windows = calibrationWindows(dataset, tokenizer, calibration, i);
      stats.push(await profileWindows(session, loaded, dataset.name, windows.profile, { batchSize: calibration.batchSize, epsilon: calibration.epsilon, onProgress: ctx.progress }));
      heldOut.push(...windows.heldOut);
    }
    return { stats, heldOut };
  } finally {
    ctx.finishProgress();
    await session.release();
  }
}

export interface PerplexityRow extends NllResult {
  dataset: string;
  protocol: string;
}

export interface EvalSettings {
  seqlen: number;
  batchSize: number;
  maxWindows?: number;
}

/** Tokenizes each dataset once into evaluation windows. */
export function evaluationWindows(tokenizer: TextTokenizer, datasets: TextDataset[], settings: EvalSettings): { dataset: string; windows: Int32Array[]; protocol: string }[] {
  return datasets.map((d) => {
    const w = makeWindows(d, tokenizer, { seqlen: settings.seqlen, mode: 'concat', bos: tokenizer.bosId === null ? 'none' : 'prepend', maxWindows: settings.maxWindows });
    return { dataset: d.name, windows: w.windows, protocol: w.protocol };
  });
}

export async function perplexities(ctx: CliContext, loaded: LoadedModel, sets: { dataset: string; windows: Int32Array[]; protocol: string }[], batchSize: number, overrides?: LayerOverrides): Promise<PerplexityRow[]> {
  const session = await createSession(ctx.engine(), loaded, { stats: false, masks: !!overrides, nll: true });
  try {
    const rows: PerplexityRow[] = [];
    for (const set of sets) {
      const result = await meanNll(session, loaded, set.windows, { batchSize, overrides, onProgress: ctx.progress, dataset: set.dataset });
      rows.push({ dataset: set.dataset, protocol: set.protocol, ...result });
    }
    return rows;
  } finally {
    ctx.finishProgress();
    await session.release();
  }
}
