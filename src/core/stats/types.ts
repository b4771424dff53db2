/**
 * Per-neuron activation sums of one dataset (the statistics of the method's "Units and
 * statistics"). Every field is additive, so shards and batches merge by adding.
 */

/** Sums for the FFN neurons of one layer; each array has one entry per neuron. */
export interface LayerStats {
  /** Non-padding tokens counted (the same for every neuron of the layer). */
  n: number;
  /** Σ x_j */
  s1: Float64Array;
  /** Σ x_j² */
  s2: Float64Array;
  /** Σ |x_j| */
  a1: Float64Array;
  /** #{ |x_j| > ε } */
  f: Float64Array;
}

/** Statistics of one dataset over all FFN layers, in layer order. */
export interface DatasetStats {
  /** Dataset id (a built-in id or the file name). */
  dataset: string;
  /** Threshold ε used for the activation-frequency count F. */
  epsilon: number;
  /** Total non-padding tokens seen. */
  tokens: number;
  layers: LayerStats[];
}
