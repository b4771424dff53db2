export { magnitudeScores } from './magnitude';
export { wandaSpScores } from './wandaSp';
export { flapScores } from './flap';
export { randomScores } from './randomScores';
export { METRICS, METRIC_IDS, metricNeedsActivations } from './strategies';
export type { MetricInput, MetricStrategy } from './strategies';
export { scoreLayer } from './scoreLayer';
export { scoreModel } from './scoreModel';
