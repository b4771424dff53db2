import type { LayerStats } from '../../stats/types';
import type { LayerWeightSummary, MetricId } from '../types';
import { flapScores } from './flap';
import { magnitudeScores } from './magnitude';
import { randomScores } from './randomScores';
import { wandaSpScores } from './wandaSp';

/** Inputs of one metric for one layer. `stats` is set whenever `needsActivations` is true. */
export interface MetricInput {
  weights: LayerWeightSummary;
  stats: LayerStats | null;
  seed: number;
  layerIndex: number;
}

/** One base importance metric: whether it reads activation statistics, and its formula. */
export interface MetricStrategy {
  needsActivations: boolean;
  score(input: MetricInput): Float64Array;
}

/** The base importance metrics, one entry per `MetricId` (TypeScript checks that none is missing). */
export const METRICS: { readonly [id in MetricId]: MetricStrategy } = {
  magnitude: { needsActivations: false, score: ({ weights }) => magnitudeScores(weights) },
  'wanda-sp': { needsActivations: true, score: ({ weights, stats }) => wandaSpScores(weights, stats!) },
  flap: { needsActivations: true, score: ({ weights, stats }) => flapScores(weights, stats!) },
  random: { needsActivations: false, score: ({ weights, seed, layerIndex }) => randomScores(weights.width, seed, layerIndex) },
};

/** The metric ids in table order, for option lists and validators. */
export const METRIC_IDS = Object.keys(METRICS) as MetricId[];

/** Returns whether the metric reads activation statistics (false for `magnitude` and `random`). */
export function metricNeedsActivations(metric: MetricId): boolean {
  return METRICS[metric].needsActivations;
}
