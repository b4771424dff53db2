/**
 * Types shared by the pruning metrics, allocations, the GPrune steps and the masks.
 */

/** Base importance metric of one neuron: ‖W_down[:, j]‖₂, Wanda-sp, FLAP fluctuation, or seeded random (see metrics/). */
export type MetricId = 'magnitude' | 'wanda-sp' | 'flap' | 'random';

/** How many neurons each layer keeps in the baselines. */
export type AllocationId = 'uniform' | 'flap-global';

/** Weight-only facts about one FFN layer that the metrics need. */
export interface LayerWeightSummary {
  /** Number of FFN neurons (intermediate size) of the layer. */
  width: number;
  /** Parameters removed with one neuron: 3·d_model for SwiGLU, 2·d_model + 1 for a GELU MLP with fc1 bias. */
  paramsPerNeuron: number;
  /** ‖W_down[:, j]‖₂ for each neuron j (the neuron's output weights). */
  downNorm: Float64Array;
  /** mean_i |W_down[i, j]| for each neuron j. */
  downMeanAbs: Float64Array;
}

/** Keep-masks per layer: 1 keeps the neuron, 0 removes it. */
export type LayerMasks = Uint8Array[];
