import type { ParameterCount } from '../allocation/budget';
import type { AllocationId, LayerMasks, MetricId } from '../types';

/** How a plan was made: a baseline (one metric and one allocation) or GPrune on a base metric. */
export type PruneMethod =
  | { kind: 'baseline'; metric: MetricId; allocation: AllocationId }
  | { kind: 'gprune'; baseMetric: MetricId; baseAllocation: AllocationId; modules: number; searched: boolean };

/** Which FFN neurons to keep, with the scores and counts behind the choice. */
export interface PrunePlan {
  method: PruneMethod;
  /** Requested ratio 0–1 of FFN parameters removed. */
  sparsity: number;
  /** Keep-masks per layer: 1 keeps the neuron, 0 removes it. */
  masks: LayerMasks;
  /** Neurons kept per layer (the number of ones in each mask). */
  keepCounts: number[];
  /** Per-neuron score that ordered the neurons, per layer (higher is more important). */
  scores: Float64Array[];
  /** FFN parameters before and after pruning. */
  parameters: ParameterCount;
  /** Whether export adds W_down[:, P] · mean(x_P) of the pruned set P to the layer's output bias. */
  biasCompensation: boolean;
}

/** Formats a short label such as "flap + flap-global" or "gprune(flap, K=4, searched)" for logs and tables. */
export function describeMethod(method: PruneMethod): string {
  if (method.kind === 'baseline') return `${method.metric} + ${method.allocation}`;
  return `gprune(${method.baseMetric}, K=${method.modules}${method.searched ? ', searched' : ''})`;
}
