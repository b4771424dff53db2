/**
 * FLAP bias compensation: when neurons P are removed, their mean contribution
 * Σ_{j∈P} W_down[j, :] · mean(x_j) is added to the layer's output bias, so the expected
 * output over the calibration data stays the same.
 */
import type { FfnBlock } from '../anatomy/types';
import { GpruneError } from '../errors';
import type { OnnxModel } from '../onnx/model';
import { findInitializer, readFloat32 } from '../onnx/tensor';

/** Computes the bias [hidden] of one layer from its down weights as float32. */
export function compensationFromWeights(block: FfnBlock, weight: Float32Array, keep: ArrayLike<number>, meanActivation: ArrayLike<number>): Float32Array {
  if (meanActivation.length !== block.width || keep.length !== block.width) {
    throw new GpruneError('STATS_MISMATCH', `Layer ${block.layer}: bias compensation got ${meanActivation.length} means and ${keep.length} mask entries for ${block.width} neurons. Profile the model again.`);
  }
  const cols = block.down.dims[1];
  const bias = new Float64Array(block.hidden);
  for (let j = 0; j < block.width; j++) {
    const mean = meanActivation[j];
    if (keep[j] || mean === 0) continue;
    // W_down is [F, hidden] (neuron axis 0) or [hidden, F] (neuron axis 1).
    if (block.down.neuronAxis === 0) for (let d = 0; d < block.hidden; d++) bias[d] += weight[j * cols + d] * mean;
    else for (let d = 0; d < block.hidden; d++) bias[d] += weight[d * cols + j] * mean;
  }
  return Float32Array.from(bias);
}

/** Returns the bias [hidden] to add to the down projection's output of one layer. */
export async function compensationBias(model: OnnxModel, block: FfnBlock, keep: ArrayLike<number>, meanActivation: ArrayLike<number>): Promise<Float32Array> {
  const weight = await readFloat32(model, findInitializer(model, block.down.initializer));
  return compensationFromWeights(block, weight, keep, meanActivation);
}

/**
 * Compensation biases for many candidate masks (sparsity search, live preview): the down
 * weights are read once and kept as float32.
 */
export async function createCompensator(model: OnnxModel, blocks: FfnBlock[], meanActivation: ArrayLike<number>[]): Promise<(masks: ArrayLike<number>[]) => Float32Array[]> {
  const weights = await Promise.all(blocks.map((b) => readFloat32(model, findInitializer(model, b.down.initializer))));
  return (masks) => blocks.map((b, l) => compensationFromWeights(b, weights[l], masks[l], meanActivation[l]));
}
