import type { MetricId } from '../types';
import type { GpruneConfig } from './config';

/** The score that orders the neurons of one module. */
export type ScoringSource =
  /** An unreliable module: an activation-independent metric. */
  | { kind: 'unreliable'; metric: MetricId }
  /** The base metric on the pooled statistics of all calibration datasets. */
  | { kind: 'pooled'; metric: MetricId }
  /** m(j), the mean over datasets of the base metric's within-layer z-scores. */
  | { kind: 'mean-z'; metric: MetricId }
  /** The base metric on one dataset's statistics. */
  | { kind: 'primary'; metric: MetricId; dataset: string };

/**
 * Step 5 (switch): the scoring source of a module. With the metric switch on, unreliable
 * modules use `unreliableMetric`, and every other module uses `reliableSource`.
 */
export function chooseScoringSource(
  reliable: boolean,
  config: Pick<GpruneConfig, 'metricSwitch' | 'unreliableMetric' | 'reliableSource' | 'baseMetric'>,
  primaryDataset: string,
): ScoringSource {
  if (config.metricSwitch && !reliable) return { kind: 'unreliable', metric: config.unreliableMetric };
  switch (config.reliableSource) {
    case 'pooled':
      return { kind: 'pooled', metric: config.baseMetric };
    case 'mean-z':
      return { kind: 'mean-z', metric: config.baseMetric };
    case 'primary':
      return { kind: 'primary', metric: config.baseMetric, dataset: primaryDataset };
  }
}

/** Formats a short label such as "magnitude (unreliable)" or "flap on pooled data" for reports. */
export function describeScoringSource(source: ScoringSource): string {
  switch (source.kind) {
    case 'unreliable':
      return `${source.metric} (unreliable)`;
    case 'pooled':
      return `${source.metric} on pooled data`;
    case 'mean-z':
      return `mean z of ${source.metric}`;
    case 'primary':
      return `${source.metric} on ${source.dataset}`;
  }
}
