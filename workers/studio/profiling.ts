/**
 * Profiling of the calibration datasets with the statistics session, one dataset after
 * another, reusing cached statistics. Progress counts the tokens of the datasets that
 * really run.
 */
import type { InspectedModel } from '../../src/core/api';
import type { TextTokenizer } from '../../src/core/data/tokenizer';
import { throwIfAborted } from '../../src/core/errors';
import { logger } from '../../src/core/log';
import { type CalibrationConfig, calibrationProtocol, validateCalibrationConfig } from '../../src/core/pipeline/calibration';
import { profileWindows } from '../../src/core/profile/profile';
import { countTokens } from '../../src/core/run/batches';
import type { DatasetStats } from '../../src/core/stats/types';
import type { JobProgress, ProfileSummary } from './api';
import { type SessionDataset, windowsOf } from './datasets';
import type { ModelSessions } from './sessions';
import { type StatsCache, statsCacheKey } from './statsCache';

const log = logger('profile');

export interface ProfileContext {
  model: InspectedModel;
  tokenizer: TextTokenizer;
  sessions: ModelSessions;
  fingerprint: string;
  cache: StatsCache;
}

export interface ProfileOutcome {
  stats: DatasetStats[];
  /** Held-out windows of every dataset, the loss mixture of the estimate and the search. */
  heldOut: Int32Array[];
  summary: ProfileSummary;
}

export async function profileDatasets(context: ProfileContext, datasets: readonly SessionDataset[], calibration: CalibrationConfig, signal: AbortSignal, onProgress: (event: JobProgress) => void): Promise<ProfileOutcome> {
  validateCalibrationConfig(calibration);
  const started = performance.now();

  // The dataset's position offsets its seed, as in the CLI, so the key carries it too.
  const plans = await Promise.all(
    datasets.map(async (entry, index) => {
      const key = `${statsCacheKey(context.fingerprint, entry.summary.sha256, calibration)}|index=${index}`;
      return { entry, key, windows: windowsOf(entry, context.tokenizer, calibration, index), cached: await context.cache.get(key) };
    }),
  );
  log.info(() => `windows drawn in ${Math.round(performance.now() - started)} ms`);
  const pending = plans.filter((plan) => !plan.cached);
  const total = pending.reduce((sum, plan) => sum + countTokens(plan.windows.profile), 0);

  let done = 0;
  const stats: DatasetStats[] = [];
  for (const [i, plan] of plans.entries()) {
    throwIfAborted(signal);
    if (plan.cached) {
      stats.push({ ...plan.cached, dataset: plan.entry.summary.id });
      continue;
    }
    const detail = `${plan.entry.summary.id} (${i + 1} of ${plans.length})`;
    const sessionStarted = performance.now();
    const session = await context.sessions.stats(calibration.epsilon);
    const runStarted = performance.now();
    log.info(() => `statistics session ready in ${Math.round(runStarted - sessionStarted)} ms`);
    const base = done;
    const result = await context.sessions.queue.run(() =>
      profileWindows(session, context.model, plan.entry.summary.id, plan.windows.profile, {
        batchSize: calibration.batchSize,
        epsilon: calibration.epsilon,
        signal,
        onProgress: (event) => onProgress({ phase: 'profile', done: base + event.done, total, unit: 'tokens', detail }),
      }),
    );
    done += countTokens(plan.windows.profile);
    log.info(() => `${plan.entry.summary.id}: ${countTokens(plan.windows.profile)} tokens in ${Math.round(performance.now() - runStarted)} ms`);
    await context.cache.put(plan.key, result);
    stats.push(result);
  }
  await context.sessions.releaseStats();
  onProgress({ phase: 'profile', done: total, total, unit: 'tokens', detail: 'done' });

  return {
    stats,
    heldOut: plans.flatMap((plan) => plan.windows.heldOut),
    summary: {
      datasets: plans.map((plan, i) => ({ id: plan.entry.summary.id, tokens: stats[i].tokens, cached: Boolean(plan.cached) })),
      seconds: (performance.now() - started) / 1000,
      protocol: calibrationProtocol(calibration, context.tokenizer.bosId !== null),
    },
  };
}
