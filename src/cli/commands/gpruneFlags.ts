/**
 * GPrune flags of `gprune prune`, mapped one to one onto the fields of GpruneConfig.
 */
import { choiceOption, numberOption } from '../args';
import { CLUSTERING_IDS, DEFAULT_GPRUNE_CONFIG, PRIOR_IDS, RELIABLE_SOURCES, type GpruneConfig, validateGpruneConfig } from '../../core/prune/gprune';
import { METRIC_IDS } from '../../core/prune/metrics';

const d = DEFAULT_GPRUNE_CONFIG;

export const gpruneOptions = {
  base: { type: 'string', value: 'M', description: `GPrune: base metric scored per dataset (${METRIC_IDS.join(', ')}).`, default: d.baseMetric },
  modules: { type: 'string', value: 'K', description: 'GPrune: modules per layer.', default: String(d.modules) },
  clustering: { type: 'string', value: 'C', description: `GPrune: module partition (${CLUSTERING_IDS.join(', ')}).`, default: d.clustering },
  'metric-switch': { type: 'string', value: 'on|off', description: 'GPrune: score unreliable modules with the activation-free metric.', default: d.metricSwitch ? 'on' : 'off' },
  'unreliable-metric': { type: 'string', value: 'M', description: 'GPrune: metric of unreliable modules.', default: d.unreliableMetric },
  'reliable-source': { type: 'string', value: 'S', description: `GPrune: score of reliable modules (${RELIABLE_SOURCES.join(', ')}).`, default: d.reliableSource },
  'sigma-threshold': { type: 'string', value: 'X', description: 'GPrune: τσ, "layer-median" or a number.', default: String(d.sigmaThreshold) },
  'magnitude-threshold': { type: 'string', value: 'X', description: 'GPrune: τm, "layer-median" or a number.', default: String(d.magnitudeThreshold) },
  prior: { type: 'string', value: 'P', description: `GPrune: starting module keep counts (${PRIOR_IDS.join(', ')}).`, default: d.prior },
  'search-evals': { type: 'string', value: 'N', description: 'GPrune: loss evaluations of the learned module sparsity search (0: prior only).', default: String(d.search.evaluations) },
  'move-size': { type: 'string', value: 'N', description: 'GPrune: neurons moved between modules per search step, or "auto".', default: String(d.search.moveSize) },
} as const;

function threshold(name: string, text: string | undefined, fallback: GpruneConfig['sigmaThreshold']): GpruneConfig['sigmaThreshold'] {
  if (text === undefined || text === 'layer-median') return text === undefined ? fallback : 'layer-median';
  return numberOption(name, text, 0);
}

export function readGpruneConfig(options: Record<string, string | boolean | undefined>, shared: { sparsity: number; seed: number; biasCompensation: GpruneConfig['biasCompensation']; evaluationsWhenNoHeldOut?: number }): GpruneConfig {
  const text = (name: string) => options[name] as string | undefined;
  const moveText = text('move-size');
  const config: GpruneConfig = {
    ...d,
    sparsity: shared.sparsity,
    seed: shared.seed,
    biasCompensation: shared.biasCompensation,
    baseMetric: choiceOption('base', text('base'), METRIC_IDS, d.baseMetric),
    modules: numberOption('modules', text('modules'), d.modules, { min: 1, max: 4096, integer: true }),
    clustering: choiceOption('clustering', text('clustering'), CLUSTERING_IDS, d.clustering),
    metricSwitch: choiceOption('metric-switch', text('metric-switch'), ['on', 'off'] as const, d.metricSwitch ? 'on' : 'off') === 'on',
    unreliableMetric: choiceOption('unreliable-metric', text('unreliable-metric'), METRIC_IDS, d.unreliableMetric),
    reliableSource: choiceOption('reliable-source', text('reliable-source'), RELIABLE_SOURCES, d.reliableSource),
    sigmaThreshold: threshold('sigma-threshold', text('sigma-threshold'), d.sigmaThreshold),
    magnitudeThreshold: threshold('magnitude-threshold', text('magnitude-threshold'), d.magnitudeThreshold),
    prior: choiceOption('prior', text('prior'), PRIOR_IDS, d.prior),
    search: {
      evaluations: shared.evaluationsWhenNoHeldOut ?? numberOption('search-evals', text('search-evals'), d.search.evaluations, { min: 0, max: 1e6, integer: true }),
      moveSize: moveText === undefined || moveText === 'auto' ? 'auto' : numberOption('move-size', moveText, 1, { min: 1, integer: true }),
      seed: shared.seed,
    },
  };
  validateGpruneConfig(config);
  return config;
}
