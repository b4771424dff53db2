import { median } from '../../stats/quantile';
import type { ReliabilityThreshold } from './config';
import type { LayerModules } from './partitionModules';
import type { LayerSensitivity } from './sensitivity';

/** Summary of one module of a layer. */
export interface ModuleSummary {
  /** Neurons in the module. */
  size: number;
  /** σ̄: mean distribution sensitivity of its neurons (rank spread in [0, 0.5]). */
  meanSigma: number;
  /** Mean of μ, the mean percentile rank, in [0, 1]. */
  meanMu: number;
  /** m̄: mean score magnitude (a z-score). */
  meanMagnitude: number;
  /** False when σ̄ > τσ and m̄ < τm. */
  reliable: boolean;
}

/** Reliability of the modules of one layer, with the thresholds used. */
export interface LayerReliability {
  /** τσ applied to this layer. */
  sigmaThreshold: number;
  /** τm applied to this layer. */
  magnitudeThreshold: number;
  /** One summary per module id. */
  modules: ModuleSummary[];
}

/** The thresholds of step 5. */
export interface ReliabilityThresholds {
  sigma: ReliabilityThreshold;
  magnitude: ReliabilityThreshold;
}

/**
 * Step 5 (reliability): a module is unreliable when its mean σ is above τσ and its mean m
 * is below τm, each threshold either fixed or the layer's median over its neurons. Its
 * activation scores rank it inconsistently across datasets and low on average, so they
 * are treated as noise.
 */
export function assessReliability(
  sensitivity: readonly LayerSensitivity[],
  modules: readonly LayerModules[],
  thresholds: ReliabilityThresholds,
): LayerReliability[] {
  return sensitivity.map((layer, l) => {
    const sigmaThreshold = resolveThreshold(thresholds.sigma, layer.sigma);
    const magnitudeThreshold = resolveThreshold(thresholds.magnitude, layer.magnitude);
    const { assignment, count } = modules[l];

    const summaries: ModuleSummary[] = Array.from({ length: count }, () => ({ size: 0, meanSigma: 0, meanMu: 0, meanMagnitude: 0, reliable: true }));
    assignment.forEach((module, j) => {
      const summary = summaries[module];
      summary.size++;
      summary.meanSigma += layer.sigma[j];
      summary.meanMu += layer.mu[j];
      summary.meanMagnitude += layer.magnitude[j];
    });
    for (const summary of summaries) {
      summary.meanSigma /= summary.size;
      summary.meanMu /= summary.size;
      summary.meanMagnitude /= summary.size;
      summary.reliable = !(summary.meanSigma > sigmaThreshold && summary.meanMagnitude < magnitudeThreshold);
    }
    return { sigmaThreshold, magnitudeThreshold, modules: summaries };
  });
}

/** Resolves a threshold for one layer. A layer without neurons has no median and no module, so it gets 0. */
function resolveThreshold(threshold: ReliabilityThreshold, values: Float64Array): number {
  if (threshold !== 'layer-median') return threshold;
  return values.length === 0 ? 0 : median(values);
}
