/**
 * Results of the anatomy pass over a decoder graph.
 */
import type { DataType } from '../onnx/dtype';

/** Form of the FFN's hidden activation: gated (gate × up) or plain (fc1 then activation). */
export type FfnKind = 'gated' | 'plain';

/** One projection weight and which of its two axes indexes FFN neurons. */
export interface ProjectionWeight {
  /** Initializer name. */
  initializer: string;
  /** Node (MatMul or Gemm) that uses it. */
  node: string;
  /** Axis of the 2-D weight that runs over FFN neurons (0 or 1). */
  neuronAxis: 0 | 1;
  dims: [number, number];
  dataType: DataType;
}

/** One FFN block: gate/up/down (gated, e.g. SwiGLU) or fc1/fc2 (plain, e.g. GELU MLP). */
export interface FfnBlock {
  /** Layer index in graph order, from 0. */
  layer: number;
  kind: FfnKind;
  /** Activation ops on the gate (gated) or fc1 (plain) path, e.g. ['Sigmoid', 'Mul'] for SiLU. */
  activation: string[];
  /** Number of FFN neurons (intermediate size). */
  width: number;
  /** Model (hidden) dimension. */
  hidden: number;
  /** Gate projection (gated) or fc1 (plain). */
  gate: ProjectionWeight;
  /** Up projection (gated only). */
  up?: ProjectionWeight;
  down: ProjectionWeight;
  /** Bias of the up projection (gated) or of fc1 (plain), 1-D over neurons. */
  upBias?: string;
  /** Bias of the gate projection (gated FFNs with biases), 1-D over neurons. */
  gateBias?: string;
  /** Bias added to the down projection's output, 1-D over the hidden dimension, if any. */
  downBias?: string;
  /** Tensor feeding the down projection: the neuron activations x_j. */
  activationTensor: string;
  /** Output tensor of the down projection (before any down bias). */
  downOutput: string;
  /** Names of tensors produced inside the block whose last axis runs over neurons. */
  neuronTensors: string[];
  /** Element type of the activation tensor. */
  activationType: DataType;
}

/** The model-level facts the studio and CLI show and the pipeline needs. */
export interface ModelAnatomy {
  ffn: FfnBlock[];
  /** Parameters in all FFN blocks. */
  ffnParameters: number;
  /** Parameters in all initializers of float type. */
  totalParameters: number;
  /** Graph inputs grouped by role. */
  inputs: {
    inputIds?: string;
    attentionMask?: string;
    positionIds?: string;
    /** past_key_values.* inputs with their declared dims and element type. */
    past: { name: string; dims: (number | string | undefined)[]; elemType: DataType }[];
    /** use_cache_branch (merged decoders), fed false. */
    useCacheBranch?: string;
    other: string[];
  };
  /** Output holding logits [batch, sequence, vocab]. */
  logits: string;
  vocabSize?: number;
  hasKvCache: boolean;
  opset: number;
}
