import type { GprunePlan } from './plan';
import type { ScoringSource } from './scoringSource';

/** One module of a layer report. */
export interface ModuleReport {
  /** Module id within the layer (0 is the most distribution-robust). */
  module: number;
  /** Neurons in the module. */
  size: number;
  /** σ̄, mean distribution sensitivity (rank spread in [0, 0.5]). */
  meanSigma: number;
  /** Mean percentile rank μ, in [0, 1]. */
  meanMu: number;
  /** m̄, mean score magnitude (a z-score). */
  meanMagnitude: number;
  reliable: boolean;
  source: ScoringSource;
  /** Prior keep count, in neurons. */
  priorKeep: number;
  /** Current keep count, in neurons. */
  keep: number;
  /** keep / size, a ratio 0–1 (1 for an empty module). */
  keepRatio: number;
}

/** One layer of the report shown by the CLI and the UI. */
export interface LayerReport {
  layer: number;
  /** FFN neurons of the layer. */
  width: number;
  /** Neurons kept. */
  keep: number;
  /** keep / width, a ratio 0–1. */
  keepRatio: number;
  /** Neurons the base method alone keeps in this layer. */
  baseKeep: number;
  /** τσ applied to this layer. */
  sigmaThreshold: number;
  /** τm applied to this layer. */
  magnitudeThreshold: number;
  modules: ModuleReport[];
}

/** Builds the per-layer report of a GPrune plan: modules with size, σ̄, m̄, reliability, scoring source and keep ratio. */
export function buildLayerReports(plan: GprunePlan): LayerReport[] {
  return plan.layers.map((layer, l) => {
    const width = plan.problem.widths[l];
    const modules = layer.reliability.modules.map((summary, k): ModuleReport => {
      const m = layer.firstModule + k;
      const keep = plan.moduleKeepCounts[m];
      return {
        module: k,
        size: summary.size,
        meanSigma: summary.meanSigma,
        meanMu: summary.meanMu,
        meanMagnitude: summary.meanMagnitude,
        reliable: summary.reliable,
        source: layer.sources[k],
        priorKeep: plan.problem.prior[m],
        keep,
        keepRatio: summary.size === 0 ? 1 : keep / summary.size,
      };
    });
    return {
      layer: l,
      width,
      keep: plan.keepCounts[l],
      keepRatio: width === 0 ? 1 : plan.keepCounts[l] / width,
      baseKeep: plan.baseline.keepCounts[l],
      sigmaThreshold: layer.reliability.sigmaThreshold,
      magnitudeThreshold: layer.reliability.magnitudeThreshold,
      modules,
    };
  });
}
